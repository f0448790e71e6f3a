from django.urls import path

from evaluations import views_recommendations as views

app_name = "evaluations"
urlpatterns = [
    path("kelola/rekomendasi/", views.recommendation_list, name="recommendation_list"),
    path("kelola/rekomendasi/baru/<str:agency_code>/", views.recommendation_issue, name="recommendation_issue"),
    path("kelola/rekomendasi/<int:pk>/", views.recommendation_detail, name="recommendation_detail"),
    path("kelola/rekomendasi/<int:pk>/terima/", views.recommendation_acknowledge, name="recommendation_acknowledge"),
    path("kelola/tindakan/<int:pk>/rencana/", views.action_plan, name="action_plan"),
    path("kelola/tindakan/<int:pk>/kemajuan/", views.action_progress, name="action_progress"),
    path("kelola/tindakan/<int:pk>/selesai/", views.action_complete, name="action_complete"),
    path("kelola/tindakan/<int:pk>/verifikasi/", views.action_verify, name="action_verify"),
    path("kelola/tindakan/<int:pk>/kembalikan/", views.action_return, name="action_return"),
    path("kelola/bukti/<int:pk>/", views.evidence, name="evidence"),
]
