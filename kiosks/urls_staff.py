from django.urls import path

from kiosks import views_staff

app_name = "kiosks"
urlpatterns = [
    path("kelola/kios/", views_staff.kiosk_list, name="list"),
    path("kelola/kios/baru/", views_staff.kiosk_create, name="create"),
    path("kelola/kios/<int:pk>/", views_staff.kiosk_detail, name="detail"),
    path("kelola/kios/<int:pk>/kode-baru/", views_staff.kiosk_reenrol, name="reenrol"),
    path("kelola/kios/<int:pk>/cabut/", views_staff.kiosk_revoke_view, name="revoke"),
]
