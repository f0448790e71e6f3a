"""The API keeps to its own schema: Schemathesis generates requests from `/api/v1/schema/` (a
bounded number per operation) and checks every answer, in-process through the WSGI app on the
test database: no server error, only documented statuses and content types, bodies matching
the documented shapes, and schema-invalid input refused."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from siputri.wsgi import application
from surveys.presets import OKI_ELEMENTS

CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
)


# Per operation and mode; with a shrink of any failure, the whole run stays under a minute.
EXAMPLES = 25


def _check(operation, mode: GenerationMode) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def call(case):
        # Through WSGI nothing undoes the site's gzip, as an HTTP client would: ask for none.
        case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})

    call()


@pytest.fixture
def connection_kept_between_requests():
    """Calling the WSGI app directly fires Django's request signals, whose handler closes the
    database connection after each request; on PostgreSQL that is the test's own transaction.
    Django's test client suspends that handler the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("mode", list(GenerationMode), ids=str)
def test_the_api_answers_as_its_schema_says(
    mode, service_a, service_b, questionnaire, submit, connection_kept_between_requests
):
    submit(service_a, answers=4)
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]

    assert {operation.label for operation in operations} >= {"POST /api/v1/responses", "GET /api/v1/ikm"}
    for operation in operations:
        # Without parameters or a body there is nothing invalid to send.
        if mode is GenerationMode.POSITIVE or len(operation.query) or operation.body:
            _check(operation, mode)


def test_the_schemas_own_example_post_is_accepted(client, service_a, questionnaire):
    schema_json = client.get("/api/v1/schema/", {"format": "json"}).json()
    body = schema_json["paths"]["/api/v1/responses"]["post"]["requestBody"]["content"]["application/json"]
    example = next(iter(body["examples"].values()))["value"]

    response = client.post("/api/v1/responses", example, content_type="application/json")

    assert response.status_code == 201, response.json()
    assert set(example["answers"]) == {element["code"] for element in OKI_ELEMENTS}


def test_a_date_past_2100_is_a_400_naming_the_field_not_a_server_error(client):
    response = client.get("/api/v1/ikm", {"to": "9999-12-31"}, HTTP_COOKIE="django_language=en")

    assert response.status_code == 400
    assert response.json() == {"errors": {"to": ["Choose a date between 2000-01-01 and 2100-12-31."]}}


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/api/v1/services?agency=", None),
        ("get", "/api/v1/services?agency=" + "x" * 41, None),
        ("get", "/api/v1/ikm?agency=", None),
        ("get", "/api/v1/ikm?from=2026-02-30", None),
        ("get", "/api/v1/ikm?from=2026-06-01&to=2026-01-01", None),
        ("get", "/api/v1/open-data/results?format=", None),
        ("get", "/api/v1/open-data/results?format=JSON", None),
        ("post", "/api/v1/responses", "not json"),
        ("put", "/api/v1/agencies", None),
        ("delete", "/api/v1/ikm", None),
    ],
    ids=lambda value: value if isinstance(value, str) and value.startswith("/") else None,
)
def test_every_refusal_has_the_documented_errors_shape(client, questionnaire, method, url, data):
    send = getattr(client, method)
    response = send(url, data, content_type="application/json") if data is not None else send(url)

    assert 400 <= response.status_code < 500
    body = response.json()
    assert list(body) == ["errors"]
    assert body["errors"] and all(
        isinstance(messages, list) and all(isinstance(m, str) and m for m in messages)
        for messages in body["errors"].values()
    )


def test_an_unknown_format_suffix_is_a_404_in_the_errors_shape(client):
    response = client.get("/api/v1/ikm", {"format": "xml"})

    assert response.status_code == 404
    assert list(response.json()) == ["errors"]
