from django.urls import path

from evaluations import views_announcements, views_requests

app_name = "coordination"
urlpatterns = [
    path("kelola/permintaan/", views_requests.request_list, name="request_list"),
    path("kelola/permintaan/baru/", views_requests.request_create, name="request_create"),
    path("kelola/permintaan/<int:pk>/", views_requests.request_detail, name="request_detail"),
    path("kelola/permintaan/<int:pk>/lampiran/", views_requests.request_attachment, name="request_attachment"),
    path("kelola/pengumuman/", views_announcements.announcement_list, name="announcement_list"),
    path("kelola/pengumuman/baru/", views_announcements.announcement_create, name="announcement_create"),
    path("kelola/pengumuman/<int:pk>/", views_announcements.announcement_detail, name="announcement_detail"),
    path("kelola/pengumuman/<int:pk>/dibaca/", views_announcements.announcement_read, name="announcement_read"),
]
