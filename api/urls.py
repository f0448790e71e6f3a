from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from api import views

app_name = "api"
urlpatterns = [
    re_path(r"^agencies/?$", views.AgencyList.as_view(), name="agencies"),
    re_path(r"^services/?$", views.ServiceList.as_view(), name="services"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
