import datetime
import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import GOOD_PROFILE
from standards.models import Service
from surveys.index import NATIONAL_ELEMENTS
from surveys.models import ElementTally, Questionnaire, RespondentTally, Response
from surveys.services import questionnaire_from_preset

pytestmark = pytest.mark.django_db

QUESTIONNAIRE = "/api/v1/questionnaire"
RESPONSES = "/api/v1/responses"
IKM = "/api/v1/ikm"


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _codes(questionnaire):
    return [element.code for element in questionnaire.elements.all()]


def _body(questionnaire, service="A-KTP", value=4, **overrides):
    return {
        "service": service,
        **GOOD_PROFILE,
        "answers": dict.fromkeys(_codes(questionnaire), value),
        "suggestion": "Antrean lebih tertib.",
        **overrides,
    }


def _post(client, body, content_type="application/json"):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(RESPONSES, data=data, content_type=content_type)


# --- GET questionnaire ---------------------------------------------------------------------


def test_questionnaire_lists_the_current_version_in_indonesian_by_default(client, questionnaire):
    response = client.get(QUESTIONNAIRE)
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"version", "form_token", "elements"}
    assert data["version"] == questionnaire.version
    assert [e["code"] for e in data["elements"]] == _codes(questionnaire)
    first = questionnaire.elements.get(code="persyaratan")
    assert data["elements"][0] == {
        "code": "persyaratan",
        "question": first.question_id,
        "options": [
            {"value": 1, "label": "Tidak sesuai"},
            {"value": 2, "label": "Kurang sesuai"},
            {"value": 3, "label": "Sesuai"},
            {"value": 4, "label": "Sangat sesuai"},
        ],
    }


def test_questionnaire_speaks_english_when_the_visitor_chose_it(client, questionnaire):
    data = _english(client).get(QUESTIONNAIRE).json()
    first = questionnaire.elements.get(code="persyaratan")
    assert data["elements"][0]["question"] == first.question_en
    assert [o["label"] for o in data["elements"][0]["options"]] == first.labels_en


def test_questionnaire_follows_a_new_version(client, questionnaire):
    national = questionnaire_from_preset(preset="national", actor=None)
    data = client.get(QUESTIONNAIRE).json()
    assert data["version"] == national.version
    assert [e["code"] for e in data["elements"]] == list(NATIONAL_ELEMENTS)


def test_questionnaire_without_a_version_in_use_is_a_404_with_errors(client, questionnaire):
    Questionnaire.objects.update(is_current=False)
    response = client.get(QUESTIONNAIRE)
    assert response.status_code == 404
    assert "__all__" in response.json()["errors"]


# --- POST responses ------------------------------------------------------------------------


def test_a_good_response_is_stored_through_the_api_channel_and_counted(client, questionnaire, service_a):
    response = _post(client, _body(questionnaire, value=3, suggestion=" Cepat "))
    assert response.status_code == 201
    assert set(response.json()) == {"id"}
    stored = Response.objects.get(pk=response.json()["id"])
    assert stored.channel == "api"
    assert stored.service == service_a
    assert stored.questionnaire == questionnaire
    assert stored.answers == dict.fromkeys(_codes(questionnaire), 3)
    assert (stored.gender, stored.age, stored.education, stored.occupation) == ("P", 34, "sma", "wirausaha")
    assert stored.suggestion == "Cepat"
    assert RespondentTally.objects.filter(span="d").get(service=service_a).count == 1
    assert ElementTally.objects.filter(span="d").get(service=service_a, element_code="waktu", value=3).count == 1
    assert client.get(IKM, {"service": "A-KTP"}).json()["score"] == 75.0


def test_assisted_is_optional_and_true_marks_a_response_helped_by_staff(client, questionnaire, service_a):
    helped = _post(client, _body(questionnaire, assisted=True))
    alone = _post(client, _body(questionnaire, assisted=False))
    unsaid = _post(client, _body(questionnaire))

    assert (helped.status_code, alone.status_code, unsaid.status_code) == (201, 201, 201)
    stored = {r.pk: r.assisted for r in Response.objects.all()}
    assert [stored[r.json()["id"]] for r in (helped, alone, unsaid)] == [True, False, False]


def test_assisted_as_anything_but_a_boolean_is_explained(client, questionnaire, service_a):
    response = _post(_english(client), _body(questionnaire, assisted="yes"))

    assert response.status_code == 400
    assert response.json()["errors"] == {"assisted": ["Assisted must be true or false."]}
    assert not Response.objects.exists()


def test_unknown_top_level_fields_are_ignored(client, questionnaire, service_a):
    response = _post(client, _body(questionnaire, name="Budi", nik="1234567890123456"))
    assert response.status_code == 201
    assert Response.objects.count() == 1


def test_a_float_age_that_is_a_whole_number_is_accepted(client, questionnaire, service_a):
    assert _post(client, _body(questionnaire, age=40.0)).status_code == 201
    assert Response.objects.get().age == 40


def _issued(client) -> str:
    return client.get(QUESTIONNAIRE).json()["form_token"]


def test_the_same_client_token_stores_once_and_returns_the_same_id(client, questionnaire, service_a):
    body = _body(questionnaire, client_token=_issued(client))
    first = _post(client, body)
    again = _post(client, body)
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json() == first.json()
    assert Response.objects.count() == 1
    assert RespondentTally.objects.filter(span="d").get().count == 1
    assert _post(client, {**body, "client_token": _issued(client)}).status_code == 201
    assert Response.objects.count() == 2


def test_a_client_token_the_server_did_not_issue_is_refused(client, questionnaire, service_a):
    response = _post(client, _body(questionnaire, client_token="app-7f3c9a2b1d4e5f60"))

    assert response.status_code == 400
    assert "client_token" in response.json()["errors"]
    assert not Response.objects.exists()


def test_errors_name_every_bad_field_in_the_visitors_language(client, questionnaire, service_a):
    answers = {**dict.fromkeys(_codes(questionnaire), 4), "waktu": 5}
    del answers["biaya"]
    body = _body(questionnaire, age=14, gender="X", answers={**answers, "kecepatan": 3})
    response = _post(_english(client), body)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors == {
        "gender": ["Choose one of the listed options."],
        "age": ["Age must be between 15 and 100 years."],
        "answers.waktu": ["Choose an answer from 1 to 4."],
        "answers.biaya": ["Please choose an answer."],
        "answers": ["Unknown elements: kecepatan."],
    }
    assert Response.objects.count() == 0


def _raw(data):
    return lambda good: (data, "application/json")


def _json(**changes):
    return lambda good: ({**good, **changes}, "application/json")


def _without(field):
    return lambda good: ({k: v for k, v in good.items() if k != field}, "application/json")


def _answer(value):
    return lambda good: ({**good, "answers": {**good["answers"], "waktu": value}}, "application/json")


BAD_BODIES = [
    ("malformed JSON", _raw(b'{"service": "A-KTP", '), "__all__"),
    ("JSON array", _raw(b"[1, 2, 3]"), "__all__"),
    ("JSON string", _raw(b'"A-KTP"'), "__all__"),
    ("JSON null", _raw(b"null"), "__all__"),
    ("NaN is not JSON", _raw(b'{"age": NaN}'), "__all__"),
    ("invalid UTF-8", _raw(b'{"suggestion": "\xff\xfe"}'), "__all__"),
    ("deeply nested", _raw(b"[" * 60000), "__all__"),
    ("plain text", lambda good: ("service=A-KTP", "text/plain"), "__all__"),
    ("form encoded", lambda good: ("service=A-KTP&age=34", "application/x-www-form-urlencoded"), "__all__"),
    ("lone surrogate", _raw(b'{"service": "A-KTP", "suggestion": "\\ud800"}'), "__all__"),
    ("NUL character", _json(suggestion="Bagus\x00"), "__all__"),
    ("empty body", _raw(b""), "service"),
    ("empty object", _raw(b"{}"), "gender"),
    ("missing service", _without("service"), "service"),
    ("missing answers", _without("answers"), "answers"),
    ("missing age", _without("age"), "age"),
    ("unknown service", _json(service="NOPE"), "service"),
    ("unpublished service", _json(service="A-DRAFT"), "service"),
    ("service as number", _json(service=5), "service"),
    ("service as list", _json(service=["A-KTP"]), "service"),
    ("answers as list", _json(answers=[4, 4, 4]), "answers"),
    ("answers as string", _json(answers="4444444444"), "answers"),
    ("answers null", _json(answers=None), "answers"),
    ("answer as string", _answer("4"), "answers.waktu"),
    ("answer as boolean", _answer(True), "answers.waktu"),
    ("answer as object", _answer({"value": 4}), "answers.waktu"),
    ("huge answer", _answer(10**30), "answers.waktu"),
    ("infinite answer", _raw(None), "answers.waktu"),
    ("age as string", _json(age="34"), "age"),
    ("age as boolean", _json(age=True), "age"),
    ("huge age", _json(age=10**40), "age"),
    ("fractional age", _json(age=34.5), "age"),
    ("gender as object", _json(gender={"value": "P"}), "gender"),
    ("education as list", _json(education=["sma"]), "education"),
    ("occupation null", _json(occupation=None), "occupation"),
    ("suggestion as number", _json(suggestion=12), "suggestion"),
    ("overlong suggestion", _json(suggestion="x" * 2001), "suggestion"),
    ("malformed client token", _json(client_token="short"), "client_token"),
    ("client token as number", _json(client_token=1234567890123456789), "client_token"),
    ("client token as boolean", _json(client_token=False), "client_token"),
    ("assisted as string", _json(assisted="ya"), "assisted"),
    ("assisted as number", _json(assisted=1), "assisted"),
    ("assisted null", _json(assisted=None), "assisted"),
]


@pytest.mark.parametrize(("make", "field"), [(m, f) for _, m, f in BAD_BODIES], ids=[i for i, _, _ in BAD_BODIES])
def test_a_bad_body_is_a_400_naming_the_field_and_stores_nothing(client, questionnaire, service_a, make, field):
    Service.objects.create(agency=service_a.agency, code="A-DRAFT", name="Konsep", is_published=False)
    good = _body(questionnaire)
    body, content_type = make(good)
    if body is None:  # 1e999 parses to infinity: only raw JSON can carry it
        body = json.dumps(good).replace('"waktu": 4', '"waktu": 1e999').encode()
    response = _post(client, body, content_type)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    errors = response.json()["errors"]
    assert field in errors
    assert all(isinstance(messages, list) and messages for messages in errors.values())
    assert all(isinstance(message, str) and message for messages in errors.values() for message in messages)
    assert Response.objects.count() == 0
    assert RespondentTally.objects.count() == 0


def test_a_malformed_body_gets_a_message_in_the_errors_shape(client, questionnaire):
    response = _post(_english(client), b"{not json")
    assert response.json() == {"errors": {"__all__": ["Send the response as a JSON object."]}}


def test_a_one_megabyte_body_is_a_413_and_stores_nothing(client, questionnaire, service_a):
    body = _body(questionnaire, suggestion="x" * 1024 * 1024)
    response = _post(_english(client), body)
    assert response.status_code == 413
    assert response.json() == {"errors": {"__all__": ["The request is too large."]}}
    assert Response.objects.count() == 0


def test_over_the_rate_limit_is_a_429_and_stores_nothing(client, questionnaire, service_a, settings):
    settings.SURVEY_RATE_LIMIT = (1, 3600)
    assert _post(client, _body(questionnaire)).status_code == 201
    response = _post(_english(client), _body(questionnaire))
    assert response.status_code == 429
    assert response.json() == {
        "errors": {"__all__": ["Too many submissions from this device. Please try again later."]}
    }
    assert Response.objects.count() == 1


def test_a_signed_in_staff_session_posts_without_a_csrf_token(questionnaire, service_a, operator_a):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(operator_a, backend="django.contrib.auth.backends.ModelBackend")
    response = _post(browser, _body(questionnaire))
    assert response.status_code == 201
    assert Response.objects.get().channel == "api"


def test_a_response_without_a_questionnaire_in_use_is_a_400(client, questionnaire, service_a):
    body = _body(questionnaire)
    Questionnaire.objects.update(is_current=False)
    response = _post(client, body)
    assert response.status_code == 400
    assert "__all__" in response.json()["errors"]
    assert Response.objects.count() == 0


def test_responses_only_take_posts(client, questionnaire):
    assert client.get(RESPONSES).status_code == 405


# --- GET ikm -------------------------------------------------------------------------------

# The worked example of DESIGN.md: 29 respondents, score totals per national element.
WORKED_TOTALS = dict(zip(NATIONAL_ELEMENTS, (105, 101, 100, 116, 102, 105, 106, 105, 115), strict=True))


def _worked_example_answers(respondent):
    """Respondent ``respondent`` (0..28) of the worked example: each element's total is
    29 × 3 plus one for every respondent answering 4 instead of 3."""
    return {code: 4 if respondent < total - 29 * 3 else 3 for code, total in WORKED_TOTALS.items()}


def test_the_worked_example_through_the_api_scores_91_48_grade_a(client, questionnaire, service_a, settings):
    # 29 posts from one address in a moment would be held for review: this test is about the index.
    settings.SURVEY_RATE_LIMIT = settings.SURVEY_COOKIELESS_LIMIT = None
    settings.SURVEY_PATTERN_MIN = settings.SURVEY_BURST_MIN = 0
    questionnaire_from_preset(preset="national", actor=None)
    for respondent in range(29):
        body = {"service": "A-KTP", **GOOD_PROFILE, "answers": _worked_example_answers(respondent)}
        assert _post(client, body).status_code == 201
    data = client.get(IKM).json()
    assert data["respondents"] == 29
    assert data["score"] == 91.48
    assert data["index"] == 3.659  # 955 / 261 = 3.65900…
    assert data["grade"] == "A"
    assert data["performance"] == "Sangat Baik"
    assert data["national"] == {"score": 91.48, "grade": "A"}
    assert [e["code"] for e in data["elements"]] == list(NATIONAL_ELEMENTS)
    persyaratan = data["elements"][0]
    assert persyaratan == {"code": "persyaratan", "answers": 29, "nrr": 3.6207, "score": 90.52, "grade": "A"}
    assert data["elements"][3] == {"code": "biaya", "answers": 29, "nrr": 4.0, "score": 100.0, "grade": "A"}


def test_ikm_has_exactly_the_designed_keys_and_types(client, service_a, submit):
    submit(service_a, answers=3)
    data = client.get(IKM).json()
    assert set(data) == {"respondents", "held", "index", "score", "grade", "performance", "elements", "national"}
    assert isinstance(data["respondents"], int)
    assert data["held"] == 0
    assert isinstance(data["index"], float)
    assert isinstance(data["score"], float)
    assert data["grade"] in {"A", "B", "C", "D"}
    assert isinstance(data["performance"], str)
    for element in data["elements"]:
        assert set(element) == {"code", "answers", "nrr", "score", "grade"}
        assert element["answers"] == 1
        assert isinstance(element["nrr"], float) and isinstance(element["score"], float)
    assert set(data["national"]) == {"score", "grade"}
    assert (data["score"], data["grade"], data["performance"]) == (75.0, "C", "Kurang Baik")


def test_ikm_keeps_the_regulations_indonesian_labels_in_english(client, service_a, submit):
    submit(service_a, answers=4)
    assert _english(client).get(IKM).json()["performance"] == "Sangat Baik"


def test_ikm_without_responses_has_nulls_and_no_national_score(client, questionnaire, service_a):
    data = client.get(IKM, {"agency": "OPD-A"}).json()
    assert data["respondents"] == 0
    assert (data["index"], data["score"], data["grade"], data["performance"]) == (None, None, None, None)
    assert data["national"] is None
    assert [e["code"] for e in data["elements"]] == _codes(questionnaire)
    assert all(e["nrr"] is None and e["score"] is None and e["grade"] is None for e in data["elements"])


@pytest.fixture
def spread(agency_a, service_a, service_b, submit):
    """Two perfect responses for A-KTP in January, one of 2 for agency A's A-AKTA in February,
    one of 1 for agency B's B-NIB in March."""
    akta = Service.objects.create(agency=agency_a, code="A-AKTA", name="Akta Kelahiran")
    submit(service_a, answers=4, day=datetime.date(2026, 1, 10))
    submit(service_a, answers=4, day=datetime.date(2026, 1, 20))
    submit(akta, answers=2, day=datetime.date(2026, 2, 15))
    submit(service_b, answers=1, day=datetime.date(2026, 3, 5))


@pytest.mark.parametrize(
    ("filters", "respondents", "score", "grade"),
    [
        ({}, 4, 68.75, "C"),
        ({"agency": "OPD-A"}, 3, 83.33, "B"),
        ({"agency": "OPD-B"}, 1, 25.0, "D"),
        ({"service": "A-KTP"}, 2, 100.0, "A"),
        ({"agency": "OPD-A", "service": "A-AKTA"}, 1, 50.0, "D"),
        ({"from": "2026-02-01"}, 2, 37.5, "D"),
        ({"to": "2026-01-31"}, 2, 100.0, "A"),
        ({"from": "2026-02-01", "to": "2026-02-28"}, 1, 50.0, "D"),
        ({"agency": "OPD-A", "from": "2026-01-20"}, 2, 75.0, "C"),
        ({"from": "2026-01-10", "to": "2026-01-10"}, 1, 100.0, "A"),
        ({"from": "2027-01-01"}, 0, None, None),
    ],
)
def test_each_filter_narrows_the_index(client, spread, filters, respondents, score, grade):
    data = client.get(IKM, filters).json()
    assert (data["respondents"], data["score"], data["grade"]) == (respondents, score, grade)
    assert data["national"] == (None if score is None else {"score": score, "grade": grade})


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"agency": "NOPE"}, "agency"),
        ({"agency": "X" * 41}, "agency"),
        ({"agency": "OPD\x00A"}, "agency"),
        ({"service": "NOPE"}, "service"),
        ({"service": "A-DRAFT"}, "service"),
        ({"agency": "OPD-B", "service": "A-KTP"}, "service"),
        ({"from": "2026-13-01"}, "from"),
        ({"from": "01-02-2026"}, "from"),
        ({"to": "kemarin"}, "to"),
        ({"from": "2026-06-30", "to": "2026-01-01"}, "to"),
    ],
)
def test_bad_ikm_filters_are_a_400_naming_the_filter(client, spread, service_a, filters, field):
    Service.objects.create(agency=service_a.agency, code="A-DRAFT", name="Konsep", is_published=False)
    response = client.get(IKM, filters)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert all(isinstance(message, str) for message in errors[field])


def test_a_service_of_another_agency_is_explained(client, spread):
    response = _english(client).get(IKM, {"agency": "OPD-B", "service": "A-KTP"})
    assert response.json() == {"errors": {"service": ["The service belongs to another agency."]}}


def test_an_unknown_agency_is_explained(client, spread):
    response = _english(client).get(IKM, {"agency": "NOPE"})
    assert response.json() == {"errors": {"agency": ["No active agency has this code."]}}


# --- schema --------------------------------------------------------------------------------


def test_openapi_schema_documents_the_survey_endpoints(client):
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert reverse("api:questionnaire") in paths and "get" in paths[reverse("api:questionnaire")]
    post = paths[reverse("api:responses")]["post"]
    assert "requestBody" in post
    body = response.json()["components"]["schemas"]["ResponseBody"]
    assert body["properties"]["assisted"]["type"] == "boolean"
    assert "assisted" not in body.get("required", [])
    assert {"201", "200", "400", "413", "429"} <= set(post["responses"])
    ikm = paths[reverse("api:ikm")]["get"]
    assert {p["name"] for p in ikm["parameters"]} == {"agency", "service", "from", "to"}
    assert "200" in ikm["responses"] and "400" in ikm["responses"]
