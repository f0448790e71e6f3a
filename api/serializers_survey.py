"""Shapes of the survey API: the questionnaire, a submitted response and the index (IKM).

``ResponseBodySerializer`` describes the request body for the schema only; the body is
checked by ``surveys.services.response_submit``, so the API accepts exactly what the web
survey accepts.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agencies.models import Agency
from api.serializers import QuerySerializer
from standards.selectors import published_services
from surveys.models import MAX_AGE, MIN_AGE, Education, Gender, Occupation
from surveys.periods import FIRST_DAY, LAST_DAY, validate_day
from surveys.services import MAX_SUGGESTION_LENGTH


class ErrorsSerializer(serializers.Serializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="field → messages in the request's language; `__all__` for the request as a whole, "
        "`answers.<code>` for one element's answer",
    )


class OptionSerializer(serializers.Serializer):
    value = serializers.IntegerField(min_value=1, max_value=4)
    label = serializers.CharField()


class ElementSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="stable element code, the key in `answers`")
    question = serializers.CharField()
    options = OptionSerializer(many=True)


class QuestionnaireSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    form_token = serializers.CharField(
        help_text="a new one-time token signed by the server, valid for this version for a limited time: "
        "send it as `client_token` with one response"
    )
    elements = ElementSerializer(many=True)


class ResponseBodySerializer(serializers.Serializer):
    service = serializers.CharField(max_length=60, help_text="code of a published service")
    gender = serializers.ChoiceField(choices=Gender.choices)
    age = serializers.IntegerField(min_value=MIN_AGE, max_value=MAX_AGE, help_text="whole years")
    education = serializers.ChoiceField(choices=Education.choices)
    occupation = serializers.ChoiceField(choices=Occupation.choices)
    answers = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=4),
        help_text="element code → answer 1..4, for every element of the current questionnaire",
    )
    suggestion = serializers.CharField(required=False, allow_blank=True, max_length=MAX_SUGGESTION_LENGTH)
    assisted = serializers.BooleanField(
        required=False,
        default=False,
        help_text="optional: true when a staff member helped the respondent fill in the survey; false when left out",
    )
    client_token = serializers.CharField(
        required=False,
        max_length=300,
        help_text="optional: the `form_token` of `GET questionnaire` (one per response). Sending the same "
        "token again stores nothing new and answers 200 with the id first stored; a token the server did "
        "not issue, or an expired one, is refused with 400",
    )


class ResponseCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()


DAY_HELP = f"%s, YYYY-MM-DD, from {FIRST_DAY} to {LAST_DAY}"


class IkmQuerySerializer(QuerySerializer):
    """The filters of ``GET ikm``; ``from`` and ``to`` are Python keywords, hence the renaming."""

    agency = serializers.CharField(required=False, max_length=40, help_text="code of an active agency")
    service = serializers.CharField(
        required=False, max_length=60, help_text="code of a published service (of `agency`, when both are given)"
    )
    from_ = serializers.DateField(
        required=False, input_formats=["%Y-%m-%d"], validators=[validate_day], help_text=DAY_HELP % "first day"
    )
    to = serializers.DateField(
        required=False, input_formats=["%Y-%m-%d"], validators=[validate_day], help_text=DAY_HELP % "last day"
    )

    def get_fields(self):
        fields = super().get_fields()
        return {("from" if name == "from_" else name): field for name, field in fields.items()}

    def validate_agency(self, code):
        agency = Agency.objects.filter(is_active=True, code=code).first()
        if agency is None:
            raise serializers.ValidationError(_("No active agency has this code."))
        return agency

    def validate_service(self, code):
        service = published_services().filter(code=code).first()
        if service is None:
            raise serializers.ValidationError(_("No published service has this code."))
        return service

    def validate(self, attrs):
        agency, service = attrs.get("agency"), attrs.get("service")
        if agency is not None and service is not None and service.agency_id != agency.pk:
            raise serializers.ValidationError({"service": [_("The service belongs to another agency.")]})
        start, end = attrs.get("from"), attrs.get("to")
        if start is not None and end is not None and end < start:
            raise serializers.ValidationError({"to": [_("The end date is before the start date.")]})
        return attrs


def _index_field(help_text: str, **options) -> serializers.DecimalField:
    """An index or NRR (1–4) as a JSON number with 4 decimals."""
    return serializers.DecimalField(
        max_digits=5, decimal_places=4, coerce_to_string=False, min_value=1, max_value=4, help_text=help_text, **options
    )


def _score_field(help_text: str = "", **options) -> serializers.DecimalField:
    """A score (25–100) as a JSON number with 2 decimals."""
    return serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        coerce_to_string=False,
        min_value=25,
        max_value=100,
        help_text=help_text,
        **options,
    )


class IkmElementSerializer(serializers.Serializer):
    code = serializers.CharField()
    answers = serializers.IntegerField(
        help_text="accepted responses that answered this element (a paper form may leave one blank)"
    )
    nrr = _index_field("mean answer, 4 decimals", allow_null=True)
    score = _score_field("NRR × 25, 2 decimals", allow_null=True)
    grade = serializers.CharField(allow_null=True, help_text="A, B, C or D")


class NationalSerializer(serializers.Serializer):
    score = _score_field()
    grade = serializers.CharField()


class IkmSerializer(serializers.Serializer):
    respondents = serializers.IntegerField(help_text="accepted responses; only these are in any figure")
    held = serializers.IntegerField(help_text="responses in the same scope and period held for review, not counted")
    index = _index_field("1–4, 4 decimals", allow_null=True)
    score = _score_field("25–100, 2 decimals", allow_null=True)
    grade = serializers.CharField(allow_null=True, help_text="mutu: A, B, C or D")
    performance = serializers.CharField(
        allow_null=True,
        help_text="kinerja, as PermenPANRB 14/2017 words it: Sangat Baik, Baik, Kurang Baik, Tidak Baik",
    )
    elements = IkmElementSerializer(many=True)
    national = NationalSerializer(
        allow_null=True,
        help_text="the score over the nine national elements alone; null when the questionnaire lacks "
        "one of them or nobody answered",
    )
