from django.urls import path

from reports import views_exports as views

app_name = "exports"
urlpatterns = [
    path("kelola/ekspor/", views.index, name="index"),
    path("kelola/ekspor/<slug:identifier>.<str:fmt>", views.download, name="download"),
]
