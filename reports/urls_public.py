from django.urls import path

from reports import views_public

app_name = "public_results"
urlpatterns = [
    path("hasil/", views_public.regency, name="regency"),
    path("hasil/opd/<str:code>/", views_public.agency, name="agency"),
]
