from django.urls import path

from surveys import views_questionnaire as views

app_name = "questionnaire"
urlpatterns = [
    path("kelola/kuesioner/", views.questionnaire_list, name="list"),
    path("kelola/kuesioner/ubah/", views.questionnaire_edit, name="edit"),
    path("kelola/kuesioner/preset/", views.questionnaire_preset, name="preset"),
    path("kelola/kuesioner/<int:version>/", views.questionnaire_detail, name="detail"),
]
