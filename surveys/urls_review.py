from django.urls import path

from surveys import views_review as views

app_name = "review"
urlpatterns = [
    path("kelola/tinjauan/", views.index, name="index"),
    path("kelola/tinjauan/opd/<str:code>/", views.agency, name="agency"),
    path("kelola/tinjauan/opd/<str:code>/putuskan/", views.decide, name="decide"),
    path("kelola/survei-kertas/batch/", views.batches, name="batches"),
    path("kelola/survei-kertas/batch/<int:pk>/", views.batch_decide, name="batch_decide"),
]
