from django.urls import path

from reports import views_exports as views

app_name = "exports"
urlpatterns = [
    path("kelola/ekspor/", views.index, name="index"),
    path("kelola/ekspor/<slug:identifier>.<str:fmt>", views.download, name="download"),
    path("kelola/ekspor/siapkan/", views.job_create, name="job_create"),
    path("kelola/ekspor/berkas/<int:pk>/", views.job_file, name="job_file"),
]
