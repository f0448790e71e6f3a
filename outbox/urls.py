from django.urls import path

from outbox import views

app_name = "outbox"
urlpatterns = [
    path("kelola/surel/", views.problems, name="problems"),
    path("kelola/surel/<int:pk>/kirim-ulang/", views.resend, name="resend"),
]
