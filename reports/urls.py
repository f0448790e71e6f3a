from django.urls import path

from reports import views_charts, views_recap, views_reports, views_self_assessment, views_send

app_name = "reports"
urlpatterns = [
    path("grafik/unsur.svg", views_charts.elements, name="chart_elements"),
    path("grafik/tren.svg", views_charts.trend, name="chart_trend"),
    path("grafik/profil.svg", views_charts.profile, name="chart_profile"),
    path("kelola/laporan/skm/<str:code>/", views_reports.skm_report, name="skm_report"),
    path("kelola/laporan/skm/<str:code>/kirim/", views_send.skm_report_send, name="skm_report_send"),
    path("kelola/laporan/rekap/", views_recap.regency_recap, name="regency_recap"),
    path("kelola/laporan/rekap/siapkan/", views_recap.regency_recap_prepare, name="regency_recap_prepare"),
    path("kelola/penilaian-mandiri/", views_self_assessment.regency, name="self_assessment_regency"),
    path("kelola/penilaian-mandiri/pdf/", views_self_assessment.regency_pdf, name="self_assessment_regency_pdf"),
    path("kelola/penilaian-mandiri/opd/<str:code>/", views_self_assessment.agency, name="self_assessment_agency"),
    path(
        "kelola/penilaian-mandiri/opd/<str:code>/pdf/",
        views_self_assessment.agency_pdf,
        name="self_assessment_agency_pdf",
    ),
]
