"""Open data: the satisfaction index of every active agency for one period, as JSON or CSV.
Thin: the rows come from ``reports.opendata``, which reads the tallies."""

from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import errors_response
from api.serializers_survey import ErrorsSerializer
from reports.opendata import csv_text, named_period, open_data
from surveys.periods import PeriodError

FORMATS = ("json", "csv")
CACHE_SECONDS = 300


class _FormatIsAParameter(DefaultContentNegotiation):
    """``format`` here chooses JSON or CSV and is checked by the view; DRF would otherwise
    answer an unknown value with a bare 404. Errors are always JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


_NUMBER = {"type": "number", "nullable": True}
ROW_SCHEMA = {
    "type": "object",
    "required": [
        "agency_code",
        "agency_name",
        "period",
        "period_start",
        "period_end",
        "provisional",
        "respondents",
        "index",
        "score",
        "grade",
        "performance",
    ],
    "properties": {
        "agency_code": {"type": "string"},
        "agency_name": {"type": "string"},
        "period": {"type": "string", "description": "period key, e.g. 2026-S1"},
        "period_start": {"type": "string", "format": "date"},
        "period_end": {"type": "string", "format": "date"},
        "provisional": {"type": "boolean", "description": "true while the period has not ended"},
        "respondents": {"type": "integer"},
        "index": {**_NUMBER, "description": "1–4, 4 decimals; null without responses"},
        "score": {**_NUMBER, "description": "index × 25, 25–100, 2 decimals; null without responses"},
        "grade": {"type": "string", "nullable": True, "description": "mutu: A, B, C or D"},
        "performance": {
            "type": "string",
            "nullable": True,
            "description": "kinerja as PermenPANRB 14/2017 words it: Sangat Baik, Baik, Kurang Baik, Tidak Baik",
        },
    },
    "additionalProperties": {
        **_NUMBER,
        "description": "nrr_<element code>: the element's mean answer (1–4, 4 decimals), one column per "
        "element of the current questionnaire (e.g. nrr_persyaratan); null when nobody answered it",
    },
}
JSON_SCHEMA = {
    "type": "object",
    "required": ["period", "rows"],
    "properties": {
        "period": {"type": "string", "description": "the period key the rows are for"},
        "rows": {"type": "array", "items": ROW_SCHEMA, "description": "one row per active agency, by code"},
    },
}
EXAMPLE_ROW = {
    "agency_code": "DISDUKCAPIL",
    "agency_name": "Dinas Kependudukan dan Pencatatan Sipil",
    "period": "2026-S1",
    "period_start": "2026-01-01",
    "period_end": "2026-06-30",
    "provisional": False,
    "respondents": 29,
    "index": 3.6590,
    "score": 91.48,
    "grade": "A",
    "performance": "Sangat Baik",
    "nrr_persyaratan": 3.6207,
}


class OpenDataResults(APIView):
    authentication_classes: list = []
    content_negotiation_class = _FormatIsAParameter

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "period",
                OpenApiTypes.STR,
                description="a year (2026), a semester (2026-S1, 2026-S2) or a quarter (2026-T1 … 2026-T4); "
                "the current semester when left out",
            ),
            OpenApiParameter("format", OpenApiTypes.STR, enum=list(FORMATS), description="json (default) or csv"),
        ],
        responses={
            (200, "application/json"): OpenApiResponse(JSON_SCHEMA, description="the rows (format=json or csv)"),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR),
            (400, "application/json"): OpenApiResponse(ErrorsSerializer, description="unknown period or format"),
        },
        summary="Open data: the satisfaction index of every agency for a period",
        description="One row per active agency: respondents, index, score, grade, performance and the NRR "
        "of every element, computed as PermenPANRB 14/2017 prescribes. Results of a period that has not "
        "ended are provisional. Suggestions and respondents' details are never included.\n\n"
        "With `format=csv`: a UTF-8 CSV attachment (`open-data-ikm-<period>.csv`) with a header row of "
        "the same column names, dot decimals, ISO dates, `true`/`false`, and empty cells for null; text "
        "cells starting with = + - @, a tab or a carriage return are prefixed with a single quote so no "
        "spreadsheet runs them as formulas.",
        examples=[
            OpenApiExample("rows", value={"period": "2026-S1", "rows": [EXAMPLE_ROW]}, response_only=True),
        ],
    )
    def get(self, request):
        errors = {}
        # Exactly the schema's enum: an empty or differently written value is refused, not guessed.
        chosen = request.query_params.get("format", "json")
        if chosen not in FORMATS:
            errors["format"] = [_("Choose json or csv.")]
        try:
            period = named_period(request.query_params.get("period"))
        except PeriodError as error:
            errors["period"] = [str(error)]
        if errors:
            return errors_response(errors)
        data = open_data(period=period)
        if chosen == "csv":
            response = HttpResponse(csv_text(data), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="open-data-ikm-{period.key}.csv"'
        else:
            response = Response({"period": period.key, "rows": data.rows})
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        return response
