"""The survey's write path reads the questionnaire in use and the published services once per
process, and again as soon as any of them changes, in whichever process the change was made."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import GOOD_PROFILE
from standards.selectors import published_service
from standards.services import service_save
from surveys.models import Questionnaire, Response, Stamp
from surveys.services import current_questionnaire, questionnaire_create_version
from surveys.stamps import CATALOG

pytestmark = pytest.mark.django_db


def _body(questionnaire, service="A-KTP"):
    return {
        "service": service,
        **GOOD_PROFILE,
        "answers": dict.fromkeys((e.code for e in questionnaire.elements.all()), 4),
    }


def _post(client, questionnaire):
    body = questionnaire if isinstance(questionnaire, dict) else _body(questionnaire)
    return client.post("/api/v1/responses", data=json.dumps(body), content_type="application/json")


def _catalog_reads(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if any(t in q["sql"] for t in ('"surveys_questionnaire"', '"surveys_element"', '"standards_service"'))
        and not q["sql"].startswith("INSERT")
    ]


def test_a_second_submission_reads_neither_questionnaire_nor_service(client, questionnaire, service_a):
    body = _body(questionnaire)
    assert _post(client, body).status_code == 201
    with CaptureQueriesContext(connection) as queries:
        assert _post(client, body).status_code == 201
    assert _catalog_reads(queries) == []
    assert Response.objects.count() == 2


def test_a_new_questionnaire_version_is_used_by_the_next_submission(client, questionnaire, service_a, super_admin):
    assert _post(client, questionnaire).status_code == 201
    elements = [
        {
            "code": code,
            "name_id": code.title(),
            "name_en": code.title(),
            "question_id": f"Bagaimana {code}?",
            "question_en": f"How was {code}?",
            "labels_id": ["1", "2", "3", "4"],
            "labels_en": ["1", "2", "3", "4"],
        }
        for code in ("waktu", "biaya")
    ]
    newer = questionnaire_create_version(name="Singkat", elements=elements, actor=super_admin)
    assert _post(client, newer).status_code == 201
    assert Response.objects.order_by("pk").last().questionnaire == newer
    # The old version's answers are refused now: it is no longer the one in use.
    assert _post(client, questionnaire).status_code == 400


def test_a_service_unpublished_stops_taking_responses_at_once(client, questionnaire, service_a):
    assert _post(client, questionnaire).status_code == 201
    service_a.is_published = False
    service_save(service=service_a)
    assert published_service("A-KTP") is None
    response = _post(client, questionnaire)
    assert response.status_code == 400
    assert "service" in response.json()["errors"]
    assert Response.objects.count() == 1


def test_a_change_made_by_another_process_is_seen_through_the_stamp(questionnaire, service_a):
    assert current_questionnaire() == questionnaire
    assert published_service("A-KTP").name == "Penerbitan KTP-el"
    # Another process renames the service and retires the questionnaire: its signals bump the
    # stamp row in the database, which is all this process shares with it.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE standards_service SET name = 'KTP elektronik' WHERE code = 'A-KTP'")
        cursor.execute("UPDATE surveys_questionnaire SET is_current = %s", [False])
    Stamp.objects.update_or_create(name=CATALOG, defaults={"value": 12345})
    assert published_service("A-KTP").name == "KTP elektronik"
    with pytest.raises(Questionnaire.DoesNotExist):
        current_questionnaire()
