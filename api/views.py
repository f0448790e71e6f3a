"""The public REST API. Thin: it reads through the same selectors as the pages."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import errors_response, field_errors
from api.serializers import AgencySerializer, ServiceQuerySerializer, ServiceSerializer
from api.serializers_survey import ErrorsSerializer
from standards.selectors import public_agencies, published_services


class AgencyList(APIView):
    @extend_schema(responses=AgencySerializer(many=True), summary="Active agencies (OPD)")
    def get(self, request):
        return Response(AgencySerializer(public_agencies().order_by("code"), many=True).data)


class ServiceList(APIView):
    @extend_schema(
        parameters=[ServiceQuerySerializer],
        responses={
            200: ServiceSerializer(many=True),
            400: OpenApiResponse(ErrorsSerializer, description="an empty or too long agency code"),
        },
        summary="Published services, optionally of one agency",
    )
    def get(self, request):
        params = ServiceQuerySerializer(data=request.query_params)
        if not params.is_valid():
            return errors_response(field_errors(params.errors))
        services = published_services().order_by("code")
        if "agency" in params.validated_data:
            services = services.filter(agency__code=params.validated_data["agency"])
        return Response(ServiceSerializer(services, many=True).data)
