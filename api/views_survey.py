"""The survey API: the questionnaire in use, submitting a response, and the published index
(IKM). Thin: it calls the same services and selectors as the survey and results pages."""

from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import RequestDataTooBig, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.exceptions import ParseError, UnsupportedMediaType
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import errors_response, field_errors
from api.serializers_survey import (
    ErrorsSerializer,
    IkmQuerySerializer,
    IkmSerializer,
    QuestionnaireSerializer,
    ResponseBodySerializer,
    ResponseCreatedSerializer,
)
from standards.selectors import published_service
from surveys.index import IndexResult, round_half_up
from surveys.models import Channel, Questionnaire
from surveys.presets import OKI_ELEMENTS
from surveys.ratelimit import submission_failed, submission_gate
from surveys.selectors import Scope, held_count, results
from surveys.services import current_questionnaire, response_submit, response_validate
from surveys.suspicion import public_screen
from surveys.tokens import token_issue

# A complete response with a 2,000-character suggestion, every character a six-byte JSON
# escape, stays well under this; anything bigger is not a survey response.
MAX_BODY_BYTES = 64 * 1024
PROFILE_FIELDS = ("gender", "age", "education", "occupation")


class QuestionnaireDetail(APIView):
    @extend_schema(
        responses={200: QuestionnaireSerializer, 404: ErrorsSerializer},
        summary="The questionnaire in use",
        description="Questions and answer labels are in the request's language (Indonesian unless "
        "the language cookie chose English).",
    )
    def get(self, request):
        try:
            questionnaire = current_questionnaire()
        except Questionnaire.DoesNotExist:
            return errors_response({"__all__": [_("No questionnaire is in use.")]}, status=404)
        data = {
            "version": questionnaire.version,
            "form_token": token_issue(questionnaire_version=questionnaire.version),
            "elements": [
                {
                    "code": element.code,
                    "question": element.question,
                    "options": [{"value": value, "label": label} for value, label in element.options],
                }
                for element in questionnaire.elements.all()
            ],
        }
        return Response(QuestionnaireSerializer(data).data)


def _text_is_storable(data) -> bool:
    """False when a string anywhere in the parsed body holds a NUL or a lone surrogate, which
    no database stores and no JSON encoder writes back."""
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str):
            if "\x00" in item:
                return False
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return False
    return True


EXAMPLE_BODY = {
    "service": "A-KTP",
    "gender": "P",
    "age": 34,
    "education": "sma",
    "occupation": "wirausaha",
    # Every element of the questionnaire shipped as version 1, so the example is a body the API accepts.
    "answers": {element["code"]: 4 - index % 2 for index, element in enumerate(OKI_ELEMENTS)},
    "suggestion": "Antrean lebih tertib.",
}


class ResponseCreate(APIView):
    """Public: any citizen's app may submit. No authentication at all, so a staff member's
    browser session neither identifies the respondent nor makes CSRF apply to a JSON post."""

    authentication_classes: list = []
    parser_classes = [JSONParser]

    @extend_schema(
        request=ResponseBodySerializer,
        responses={
            201: ResponseCreatedSerializer,
            200: OpenApiResponse(
                ResponseCreatedSerializer, description="a repeat of an already stored `client_token`: nothing new"
            ),
            400: OpenApiResponse(ErrorsSerializer, description="invalid body; nothing was stored"),
            413: OpenApiResponse(ErrorsSerializer, description="body over 64 KiB; nothing was stored"),
            429: OpenApiResponse(ErrorsSerializer, description="over the rate limit; nothing was stored"),
        },
        summary="Submit one survey response",
        description="Answers every element of the current questionnaire (`GET questionnaire`) for "
        "one published service. Unknown top-level fields are ignored. `assisted` (optional, default "
        "false) records that a staff member helped the respondent. Messages are in the "
        "request's language. Submissions go through the same limits and review rules as the web "
        "form: over the per-address ceiling the answer is 429 and nothing is stored; a submission "
        "a review rule holds is stored, not counted until reviewed, and answered exactly like any "
        "other (201).",
        examples=[
            OpenApiExample("response", value=EXAMPLE_BODY, request_only=True),
            OpenApiExample("stored", value={"id": 1234}, response_only=True, status_codes=["201"]),
            OpenApiExample(
                "invalid",
                value={"errors": {"age": ["Age must be between 15 and 100 years."]}},
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    def post(self, request):
        gate = submission_gate(request)
        if not gate.allowed:
            message = _("Too many submissions from this device. Please try again later.")
            return errors_response({"__all__": [message]}, status=429)
        body, refusal = self._body(request)
        if refusal is not None:
            return refusal
        try:
            questionnaire = current_questionnaire()
        except Questionnaire.DoesNotExist:
            return errors_response({"__all__": [_("No questionnaire is in use.")]})
        service, errors = self._service(body.get("service"))
        errors.update(self._type_errors(body, questionnaire))
        answers, suggestion = body.get("answers"), body.get("suggestion", "")
        profile = {field: body.get(field) for field in PROFILE_FIELDS}
        assisted = body.get("assisted", False)
        if not isinstance(assisted, bool):
            errors["assisted"] = [_("Assisted must be true or false.")]
        token = body.get("client_token")
        if token in (None, ""):
            token = None
        elif not isinstance(token, str):
            errors["client_token"] = [_("The client token must be text.")]
        try:
            response_validate(questionnaire=questionnaire, answers=answers, profile=profile, suggestion=suggestion)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, messages)
        if errors:
            return errors_response(errors)
        try:
            stored = response_submit(
                service=service,
                answers=answers,
                profile=profile,
                channel=Channel.API,
                assisted=assisted,
                suggestion=suggestion,
                form_token=token,
                questionnaire=questionnaire,
                screen=public_screen(request, service=service, gate=gate),
            )
        except ValidationError as error:
            if "form_token" in error.message_dict:
                submission_failed(request)
            return errors_response(
                {("client_token" if field == "form_token" else field): m for field, m in error.message_dict.items()}
            )
        return Response({"id": stored.pk}, status=200 if stored.is_repeat else 201)

    def _body(self, request):
        """The JSON object sent, or (None, the response refusing it)."""
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        too_big = errors_response({"__all__": [_("The request is too large.")]}, status=413)
        if length > MAX_BODY_BYTES:
            return None, too_big
        try:
            body = request.data
        except RequestDataTooBig:
            return None, too_big
        except (ParseError, UnsupportedMediaType, RecursionError):
            body = None
        if not isinstance(body, dict):
            return None, errors_response({"__all__": [_("Send the response as a JSON object.")]})
        if not _text_is_storable(body):
            return None, errors_response({"__all__": [_("The request contains characters that are not allowed.")]})
        return body, None

    def _service(self, code):
        if code in (None, ""):
            return None, {"service": [_("Please choose a service.")]}
        service = published_service(code)
        if service is None:
            return None, {"service": [_("No published service has this code.")]}
        return service, {}

    def _type_errors(self, body, questionnaire) -> dict[str, list[str]]:
        """JSON numbers written as strings: the web form sends text, an API client sends numbers."""
        errors = {}
        if isinstance(body.get("age"), str):
            errors["age"] = [_("Age must be a whole number of years.")]
        answers = body.get("answers")
        if isinstance(answers, dict):
            for element in questionnaire.elements.all():
                if isinstance(answers.get(element.code), str):
                    errors[f"answers.{element.code}"] = [_("Choose an answer from 1 to 4.")]
        return errors


def _rounded(value: Fraction | None, places: int) -> Decimal | None:
    return None if value is None else round_half_up(value, places)


def _ikm(index: IndexResult, held: int) -> dict:
    national = index.national
    return {
        "respondents": index.respondents,
        "held": held,
        "index": _rounded(index.index, 4),
        "score": index.score,
        "grade": index.grade,
        "performance": index.performance,
        "elements": [
            {"code": e.code, "answers": e.responses, "nrr": _rounded(e.nrr, 4), "score": e.score, "grade": e.grade}
            for e in index.elements
        ],
        "national": (
            {"score": national.score, "grade": national.grade}
            if national is not None and national.score is not None
            else None
        ),
    }


class IkmDetail(APIView):
    @extend_schema(
        parameters=[IkmQuerySerializer],
        responses={
            200: IkmSerializer,
            400: OpenApiResponse(ErrorsSerializer, description="unknown agency or service, or bad dates"),
        },
        summary="The satisfaction index (IKM)",
        description="Of one service, one agency or (no filter) the whole regency, between two days "
        "inclusive (either may be left out). Computed from the daily tallies as PermenPANRB 14/2017 "
        "prescribes. With no responses, `respondents` is 0 and every figure is null.",
        examples=[
            OpenApiExample(
                "index",
                value={
                    "respondents": 29,
                    "held": 0,
                    "index": 3.6590,
                    "score": 91.48,
                    "grade": "A",
                    "performance": "Sangat Baik",
                    "elements": [{"code": "persyaratan", "answers": 29, "nrr": 3.6207, "score": 90.52, "grade": "A"}],
                    "national": {"score": 91.48, "grade": "A"},
                },
                response_only=True,
            )
        ],
    )
    def get(self, request):
        params = IkmQuerySerializer(data=request.query_params)
        if not params.is_valid():
            return errors_response(field_errors(params.errors))
        agency, service = params.validated_data.get("agency"), params.validated_data.get("service")
        scope = Scope(agency=agency or (service.agency if service else None), service=service)
        start, end = params.validated_data.get("from"), params.validated_data.get("to")
        found = results(scope=scope, start=start, end=end)
        return Response(IkmSerializer(_ikm(found.index, held_count(scope, start, end))).data)
