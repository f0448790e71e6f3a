from django.urls import path

from standards import views_public, views_staff

app_name = "standards"
urlpatterns = [
    path("", views_public.home, name="home"),
    path("cari/", views_public.search, name="search"),
    path("privasi/", views_public.privacy, name="privacy"),
    path("aksesibilitas/", views_public.accessibility, name="accessibility"),
    path("opd/<str:code>/", views_public.agency_detail, name="agency_detail"),
    path("layanan/<str:code>/", views_public.service_detail, name="service_detail"),
    path("kelola/layanan/", views_staff.staff_service_list, name="staff_service_list"),
    path("kelola/layanan/baru/", views_staff.service_create, name="service_create"),
    path("kelola/layanan/impor/", views_staff.catalog_upload, name="catalog_upload"),
    path("kelola/layanan/<str:code>/ubah/", views_staff.service_edit, name="service_edit"),
    path("kelola/sinonim/", views_staff.synonyms_edit, name="synonyms_edit"),
    path("kelola/layanan/<str:code>/riwayat/", views_staff.service_history, name="service_history"),
    path("kelola/layanan/<str:code>/tinjau/", views_staff.service_review, name="service_review"),
    path("kelola/layanan/<str:code>/dokumen/", views_staff.service_documents, name="service_documents"),
    path("kelola/dokumen-standar/<int:pk>/hapus/", views_staff.service_document_delete, name="service_document_delete"),
    path("kelola/standar/opd/<str:code>/kelengkapan/", views_staff.agency_completeness, name="agency_completeness"),
    path("layanan/dokumen/<int:pk>/", views_public.service_document_file, name="service_document_file"),
]
