from django.urls import path

from kiosks import views_kiosk

app_name = "kiosk"
urlpatterns = [
    path("kios/", views_kiosk.home, name="home"),
    path("kios/daftar/", views_kiosk.enrol, name="enrol"),
    path("kios/layanan/<str:code>/", views_kiosk.survey, name="survey"),
    path("kios/terima-kasih/", views_kiosk.thanks, name="thanks"),
]
