from django.urls import path

from documents import views

app_name = "documents"
urlpatterns = [
    path("verifikasi/<str:code>/", views.verify, name="verify"),
]
