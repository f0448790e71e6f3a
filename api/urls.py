from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from api import views

app_name = "api"
urlpatterns = [
    path("agencies", views.AgencyList.as_view(), name="agencies"),
    path("services", views.ServiceList.as_view(), name="services"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
