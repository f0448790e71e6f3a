from django.urls import path

from surveys import views_survey

app_name = "survey"
urlpatterns = [
    path("survei/", views_survey.survey_index, name="index"),
    path("survei/opd/<str:code>/", views_survey.agency_survey, name="agency_survey"),
    path("survei/layanan/<str:code>/", views_survey.service_survey, name="service_survey"),
    path("survei/terima-kasih/", views_survey.thanks, name="thanks"),
    path("sw.js", views_survey.service_worker, name="service_worker"),
]
