"""The public REST API. Thin: it reads through the same selectors as the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import AgencySerializer, ServiceQuerySerializer, ServiceSerializer
from standards.selectors import public_agencies, published_services


class AgencyList(APIView):
    @extend_schema(responses=AgencySerializer(many=True), summary="Active agencies (OPD)")
    def get(self, request):
        return Response(AgencySerializer(public_agencies().order_by("code"), many=True).data)


class ServiceList(APIView):
    @extend_schema(
        parameters=[ServiceQuerySerializer],
        responses=ServiceSerializer(many=True),
        summary="Published services, optionally of one agency",
    )
    def get(self, request):
        params = ServiceQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        services = published_services().order_by("code")
        if "agency" in params.validated_data:
            services = services.filter(agency__code=params.validated_data["agency"])
        return Response(ServiceSerializer(services, many=True).data)
