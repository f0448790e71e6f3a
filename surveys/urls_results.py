from django.urls import path

from surveys import views_answers, views_contacts
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
    path("kelola/hasil/opd/<str:code>/jawaban-saran/", views_answers.suggestion_answer_list, name="suggestion_answers"),
    path("kelola/saran/<int:pk>/jawab/", views_answers.suggestion_answer, name="suggestion_answer"),
    path(
        "kelola/jawaban-saran/<int:pk>/tarik/",
        views_answers.suggestion_answer_unpublish,
        name="suggestion_answer_unpublish",
    ),
]
