from django.urls import path

from evaluations import views_print

app_name = "evaluation_print"
urlpatterns = [
    path("kelola/rekomendasi/<int:pk>/cetak.pdf", views_print.recommendation_pdf, name="recommendation_pdf"),
]
