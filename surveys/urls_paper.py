from django.urls import path

from surveys import views_paper

app_name = "paper"
urlpatterns = [
    path("kelola/survei-kertas/", views_paper.upload, name="upload"),
    path("kelola/survei-kertas/templat.csv", views_paper.template, name="template"),
    path("kelola/poster/opd/<str:code>.pdf", views_paper.agency_poster, name="agency_poster"),
    path("kelola/poster/layanan/<str:code>.pdf", views_paper.service_poster, name="service_poster"),
    path("kelola/kuesioner-kertas/opd/<str:code>.pdf", views_paper.agency_paper_form, name="agency_form"),
    path("kelola/kuesioner-kertas/layanan/<str:code>.pdf", views_paper.service_paper_form, name="service_form"),
]
