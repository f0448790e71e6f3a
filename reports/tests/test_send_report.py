"""'Email this report': the SKM report sent in one click to the agency head and the leaders on
record, and the send log."""

import datetime
import html

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.mail.backends.base import BaseEmailBackend
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role, User
from outbox.models import Email, EmailStatus
from outbox.services import emails_retry_due
from reports.models import ReportDispatch
from reports.services import skm_report_send
from surveys import periods

PERIOD = periods.parse("2026-S1")
HEAD = "kepala@disdukcapil.oki.example"
SECRETARY = "sekda@oki.example"


class RefusingBackend(BaseEmailBackend):
    """A mail server that cannot be reached."""

    def send_messages(self, email_messages):
        raise OSError("Connection refused")


def url(code="OPD-A", **query):
    address = reverse("reports:skm_report_send", args=[code])
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def client_for(client_for):
    """Signed-in clients whose POSTs also run what their commit hands on: the task that makes
    the report, then the outbox that mails it (each test runs in a transaction never committed)."""

    def signed_in(user):
        client = client_for(user)
        post = client.post

        def post_and_commit(*args, **kwargs):
            with TestCase.captureOnCommitCallbacks(execute=True):
                return post(*args, **kwargs)

        client.post = post_and_commit
        return client

    return signed_in


@pytest.fixture(autouse=True)
def _language_back_to_default():
    yield
    translation.deactivate()


def _leader(username, email, is_active=True):
    return User.objects.create(username=username, role=Role.LEADER, email=email, is_active=is_active)


@pytest.fixture
def on_record(agency_a, leader, submit, service_a):
    """Agency A with its head's office address; two active leaders with an email (the ``leader``
    fixture and the regional secretary), an inactive one and one without an email; one
    response in 2026-S1."""
    agency_a.email = HEAD
    agency_a.save()
    _leader("sekda", SECRETARY)
    _leader("mantan", "mantan@oki.example", is_active=False)
    _leader("tanpa.email", "")
    submit(service_a, day=datetime.date(2026, 3, 2))
    return agency_a


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_sending_mails_the_pdf_to_the_agency_and_each_leader(on_record, leader, operator_a, client_for):
    response = client_for(operator_a).post(url(periode="2026-S1"))

    assert response.status_code == 302
    assert response["Location"] == url(periode="2026-S1")
    assert sorted(message.to[0] for message in mail.outbox) == sorted([HEAD, leader.email, SECRETARY])
    for message in mail.outbox:
        assert len(message.to) == 1  # one message each: no recipient sees the other addresses
        assert not message.cc and not message.bcc
        [(name, content, mimetype)] = message.attachments
        assert name == "laporan-skm-OPD-A-2026-S1.pdf"
        assert mimetype == "application/pdf"
        assert content.startswith(b"%PDF")


def test_the_mail_is_in_indonesian_and_links_to_the_results(on_record, operator_a, client_for):
    english(client_for(operator_a)).post(url(periode="2026-S1"))

    message = mail.outbox[0]
    with translation.override("id"):
        label = PERIOD.label
    assert message.subject == f"Laporan Hasil SKM {on_record.name} {label}"
    assert f"{settings.SITE_URL}/hasil/opd/OPD-A/?periode=2026-S1" in message.body
    assert f"{settings.SITE_URL}/kelola/hasil/opd/OPD-A/?periode=2026-S1" in message.body


def test_each_send_is_logged_with_who_sent_it_and_to_whom(on_record, leader, evaluator, client_for):
    client_for(evaluator).post(url(periode="2026-S1"))

    dispatch = ReportDispatch.objects.get()
    assert dispatch.agency == on_record
    assert dispatch.period_key == "2026-S1"
    assert dispatch.sent_by == evaluator
    assert dispatch.status == "ok"
    assert dispatch.error == ""
    assert dispatch.recipient_list == [HEAD, leader.email, SECRETARY]


def test_the_sender_is_told_how_many_recipients_got_it(on_record, super_admin, client_for):
    response = english(client_for(super_admin)).post(url(periode="2026-S1"), follow=True)

    assert "The SKM report for Semester I 2026 is on its way to 3 recipients." in response.content.decode()


def test_an_address_shared_by_the_agency_and_a_leader_gets_one_message(on_record, leader, operator_a):
    on_record.email = leader.email.upper()
    on_record.save()

    with TestCase.captureOnCommitCallbacks(execute=True):
        dispatch = skm_report_send(agency=on_record, period=PERIOD, actor=operator_a)

    assert len(mail.outbox) == 2
    assert dispatch.recipient_list == [leader.email.upper(), SECRETARY]


def test_without_any_recipient_nothing_is_sent_or_logged(agency_a, operator_a, client_for):
    client = english(client_for(operator_a))

    page = client.get(url(periode="2026-S1"))
    response = client.post(url(periode="2026-S1"), follow=True)

    message = "No recipient on record: add the agency's email or a leader's email."
    assert message in html.unescape(page.content.decode())
    assert 'id="send-submit"' not in page.content.decode()
    assert message in html.unescape(response.content.decode())
    assert mail.outbox == []
    assert not ReportDispatch.objects.exists()


def test_the_confirmation_page_lists_the_recipients_and_the_earlier_sends(
    on_record, leader, evaluator, operator_a, client_for
):
    ReportDispatch.objects.create(
        agency=on_record, period_key="2025-S2", sent_by=evaluator, recipients=f"{HEAD}, {SECRETARY}", status="ok"
    )
    ReportDispatch.objects.create(
        agency=on_record, period_key="2026-S1", sent_by=operator_a, recipients=HEAD, status="failed", error="boom"
    )

    page = english(client_for(operator_a)).get(url(periode="2026-S1")).content.decode()

    recipients = page[page.index('id="send-recipients"') : page.index('id="send-submit"')]
    for address in (HEAD, leader.email, SECRETARY):
        assert address in recipients
    assert "mantan@oki.example" not in page
    assert "Send the report to 3 recipients" in page
    log = page[page.index('id="send-log"') :]
    assert "Semester II 2025" in log and "Semester I 2026" in log
    assert "evaluator" in log and "operator.a" in log
    assert "Failed" in log and "boom" in log
    assert log.index("Semester I 2026") < log.index("Semester II 2025")  # newest first


def test_the_chosen_period_is_carried_to_the_send(on_record, operator_a, client_for):
    client = client_for(operator_a)

    page = client.get(url(periode="2025-S2")).content.decode()
    client.post(url(periode="2025-S2"))

    assert 'value="2025-S2" selected' in page
    assert 'action="/kelola/laporan/skm/OPD-A/kirim/?periode=2025-S2"' in page
    assert ReportDispatch.objects.get().period_key == "2025-S2"
    assert mail.outbox[0].attachments[0][0] == "laporan-skm-OPD-A-2025-S2.pdf"


def test_a_mail_server_that_is_down_delays_the_report_but_loses_it_for_nobody(
    on_record, leader, operator_a, client_for
):
    client = english(client_for(operator_a))

    with override_settings(EMAIL_BACKEND=f"{__name__}.RefusingBackend"):
        response = client.post(url(periode="2026-S1"), follow=True)

    assert response.status_code == 200
    assert "is on its way to 3 recipients" in response.content.decode()
    assert mail.outbox == []
    waiting = Email.objects.filter(status=EmailStatus.PENDING)
    assert waiting.count() == 3
    assert {email.last_error for email in waiting} == {"OSError: Connection refused"}

    # The mail server is back: the scheduled sweep sends each waiting copy, once.
    with TestCase.captureOnCommitCallbacks(execute=True):
        emails_retry_due(now=timezone.now() + datetime.timedelta(minutes=1))
    assert sorted(message.to[0] for message in mail.outbox) == sorted([HEAD, leader.email, SECRETARY])
    assert all(message.attachments[0][0] == "laporan-skm-OPD-A-2026-S1.pdf" for message in mail.outbox)
    assert ReportDispatch.objects.get().status == "ok"


def test_a_report_that_cannot_be_made_is_shown_as_failed_with_the_reason(
    on_record, operator_a, client_for, monkeypatch
):
    def broken(**_kwargs):
        raise ValueError("no questionnaire")

    monkeypatch.setattr("reports.services.skm_report_issue", broken)
    client = english(client_for(operator_a))
    client.post(url(periode="2026-S1"))
    page = client.get(url(periode="2026-S1")).content.decode()

    dispatch = ReportDispatch.objects.get()
    assert dispatch.status == "failed"
    assert "no questionnaire" in dispatch.error
    assert "Failed" in page
    assert mail.outbox == []


# --- Who may send ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["super_admin", "evaluator", "operator_a"])
def test_super_admin_evaluator_and_the_agencys_operator_may_send(on_record, actors, client_for, role):
    client = client_for(actors[role])

    assert client.get(url(periode="2026-S1")).status_code == 200
    assert client.post(url(periode="2026-S1")).status_code == 302
    assert len(mail.outbox) == 3


def test_another_agencys_operator_gets_404_and_nothing_is_sent(on_record, operator_b, client_for):
    client = client_for(operator_b)

    assert client.get(url(periode="2026-S1")).status_code == 404
    assert client.post(url(periode="2026-S1")).status_code == 404
    assert mail.outbox == []
    assert not ReportDispatch.objects.exists()


def test_leaders_read_reports_but_do_not_send_them(on_record, leader, client_for):
    client = client_for(leader)

    assert client.get(url(periode="2026-S1")).status_code == 403
    assert client.post(url(periode="2026-S1")).status_code == 403
    assert mail.outbox == []


def test_anonymous_visitors_are_sent_to_the_login_page(on_record, client_for):
    response = client_for(None).post(url(periode="2026-S1"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert mail.outbox == []


def test_the_service_refuses_a_leader_and_another_agencys_operator(on_record, leader, operator_b):
    for actor in (leader, operator_b):
        with pytest.raises(PermissionDenied):
            skm_report_send(agency=on_record, period=PERIOD, actor=actor)
    assert mail.outbox == []


def test_a_bad_period_gets_a_400_page_and_nothing_is_sent(on_record, operator_a, client_for):
    client = english(client_for(operator_a))

    page = client.get(url(periode="2026-S3"))
    posted = client.post(url(periode="2026-S3"))

    assert page.status_code == 400
    assert "A year has two semesters." in page.content.decode()
    assert posted.status_code == 400
    assert mail.outbox == []
    assert not ReportDispatch.objects.exists()
