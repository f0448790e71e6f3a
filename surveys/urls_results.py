from django.urls import path

from surveys import views_contacts
from surveys import views_results as views

app_name = "results"
urlpatterns = [
    path("kelola/hasil/", views.regency, name="regency"),
    path("kelola/hasil/opd/<str:code>/", views.agency, name="agency"),
    path("kelola/hasil/opd/<str:code>/populasi/", views.population, name="population"),
    path("kelola/hasil/opd/<str:code>/saran/", views.suggestions, name="suggestions"),
    path("kelola/hasil/opd/<str:code>/kontak/", views_contacts.reply_contact_list, name="reply_contacts"),
    path("kelola/hasil/layanan/<str:code>/", views.service, name="service"),
    path("kelola/saran/<int:pk>/sembunyikan/", views.suggestion_hide, name="suggestion_hide"),
]
