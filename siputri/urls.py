from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("accounts.urls")),
    path("", include("agencies.urls")),
    path("", include("standards.urls")),
    path("", include("surveys.urls_survey")),
    path("", include("surveys.urls_results")),
    path("", include("surveys.urls_paper")),
    path("", include("surveys.urls_questionnaire")),
    path("", include("surveys.urls_review")),
    path("", include("kiosks.urls_kiosk")),
    path("", include("kiosks.urls_staff")),
    path("", include("evaluations.urls_recommendations")),
    path("", include("evaluations.urls_print")),
    path("", include("evaluations.urls_requests")),
    path("", include("reports.urls_public")),
    path("", include("reports.urls_exports")),
    path("", include("reports.urls")),
    path("", include("documents.urls")),
    path("", include("outbox.urls")),
    path("", include("operations.urls")),
    path("api/v1/", include("api.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
]
