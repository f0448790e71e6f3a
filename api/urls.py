from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from api import views, views_docs, views_opendata, views_survey

app_name = "api"
urlpatterns = [
    path("", views_docs.docs, name="docs"),
    path("agencies", views.AgencyList.as_view(), name="agencies"),
    path("services", views.ServiceList.as_view(), name="services"),
    path("questionnaire", views_survey.QuestionnaireDetail.as_view(), name="questionnaire"),
    path("responses", views_survey.ResponseCreate.as_view(), name="responses"),
    path("ikm", views_survey.IkmDetail.as_view(), name="ikm"),
    path("open-data/results", views_opendata.OpenDataResults.as_view(), name="opendata"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
