"""Structured logs: a JSON line per request, carrying the request id the response sends back."""

import io
import json
import logging

import pytest
from django.urls import reverse

from operations.logs import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines():
    """What the siputri.request logger writes, formatted as in production."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("siputri.request")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_each_request_gets_an_id_sent_back_and_written_in_its_log_line(client, lines):
    response = client.get(reverse("standards:home"))

    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    [line] = lines()
    assert line["request_id"] == request_id
    assert (line["method"], line["path"], line["status"]) == ("GET", "/", 200)
    assert line["level"] == "INFO"
    assert line["duration_ms"] >= 0


def test_the_proxys_request_id_is_kept_so_both_logs_match(client, lines):
    response = client.get(reverse("standards:home"), HTTP_X_REQUEST_ID="nginx-4f2a9c1e")

    assert response["X-Request-ID"] == "nginx-4f2a9c1e"
    assert lines()[0]["request_id"] == "nginx-4f2a9c1e"


def test_a_request_id_that_could_forge_log_lines_is_replaced(client, lines):
    response = client.get(reverse("standards:home"), HTTP_X_REQUEST_ID='x"\n{"level": "ERROR"}')

    assert response["X-Request-ID"] != 'x"\n{"level": "ERROR"}'
    assert len(response["X-Request-ID"]) == 32
    assert len(lines()) == 1


def test_a_log_line_outside_any_request_says_so():
    record = logging.LogRecord("outbox.services", logging.WARNING, __file__, 1, "email %s not sent", (7,), None)
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert (line["message"], line["request_id"], line["level"]) == ("email 7 not sent", "-", "WARNING")
