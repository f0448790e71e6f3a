from django.urls import path

from agencies import views

app_name = "agencies"
urlpatterns = [
    path("kelola/opd/", views.staff_agency_list, name="staff_agency_list"),
    path("kelola/opd/baru/", views.agency_create, name="agency_create"),
    path("kelola/opd/<str:code>/ubah/", views.agency_edit, name="agency_edit"),
    path("kelola/opd/<str:code>/maklumat/", views.pledge_edit, name="pledge_edit"),
    path("kelola/opd/<str:code>/maklumat/poster/", views.pledge_poster, name="pledge_poster"),
    path("kelola/identitas/", views.regency_identity_edit, name="regency_identity"),
    path("identitas/logo/", views.regency_logo_file, name="regency_logo"),
]
