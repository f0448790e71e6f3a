"""A contact for a reply: only with explicit consent, kept apart from the answers, seen only by
the agency's operators, never exported, purged after the retention period."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from surveys.models import ReplyContact, Response
from surveys.tests.test_survey_form import SURVEY_URL, filled

pytestmark = pytest.mark.django_db
CONTACTS_URL = reverse("results:reply_contacts", args=["OPD-A"])


def test_a_contact_given_with_consent_is_kept_apart_from_the_answers(client, service_a, questionnaire):
    response = client.post(
        SURVEY_URL, filled(client, questionnaire, reply_contact="0812 3456 7890", reply_consent="on")
    )
    assert response.status_code == 302
    stored = Response.objects.get()
    contact = ReplyContact.objects.get()
    assert contact.response == stored and contact.contact == "0812 3456 7890"
    assert "0812" not in str(stored.answers) and "0812" not in stored.suggestion


def test_a_contact_without_consent_is_refused_and_nothing_is_stored(client, service_a, questionnaire):
    html = client.post(SURVEY_URL, filled(client, questionnaire, reply_contact="budi@mail.id")).content.decode()
    assert "Centang kotak untuk menyetujui, atau kosongkan kontak." in html
    assert Response.objects.count() == 0 and ReplyContact.objects.count() == 0


def test_something_that_is_no_contact_gets_a_message(client, service_a, questionnaire):
    data = filled(client, questionnaire, reply_contact="rumah saya", reply_consent="on")
    html = client.post(SURVEY_URL, data).content.decode()
    assert "Tulis nomor telepon atau alamat surel." in html
    assert ReplyContact.objects.count() == 0


def test_only_the_agency_operator_sees_the_contacts_and_exports_never_do(
    client, client_for, service_a, questionnaire, operator_a, operator_b, super_admin
):
    client.post(SURVEY_URL, filled(client, questionnaire, reply_contact="budi@mail.id", reply_consent="on"))
    assert "budi@mail.id" in client_for(operator_a).get(CONTACTS_URL).content.decode()
    assert client_for(operator_b).get(CONTACTS_URL).status_code == 404
    assert client_for(super_admin).get(CONTACTS_URL).status_code == 403
    export = client_for(super_admin).get(reverse("exports:download", args=["respons", "csv"]))
    assert b"budi@mail.id" not in b"".join(export.streaming_content if export.streaming else [export.content])


def test_purge_deletes_contacts_past_the_retention_period_and_says_how_many(client, service_a, questionnaire, settings):
    settings.REPLY_CONTACT_RETENTION_DAYS = 30
    for address in ("lama@mail.id", "baru@mail.id"):
        client.post(SURVEY_URL, filled(client, questionnaire, reply_contact=address, reply_consent="on"))
    ReplyContact.objects.filter(contact="lama@mail.id").update(
        consented_at=timezone.now() - datetime.timedelta(days=31)
    )
    out = io.StringIO()
    call_command("purge_reply_contacts", stdout=out)
    assert out.getvalue().startswith("Menghapus 1 kontak balasan")
    assert "(disimpan 30 hari)" in out.getvalue()
    assert list(ReplyContact.objects.values_list("contact", flat=True)) == ["baru@mail.id"]
    assert Response.objects.count() == 2  # the answers stay; only the contact goes
