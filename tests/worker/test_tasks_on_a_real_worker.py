"""The background work, through Redis and a real Celery worker."""

import datetime

from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from outbox import tasks as outbox_tasks
from outbox.models import Email, EmailStatus
from outbox.services import emails_queue
from outbox.tests.test_outbox import DOWN, FlakyBackend  # noqa: F401 -- the backend named below
from reports.models import ExportJob, ReportDispatch
from reports.services import skm_report_send
from surveys.periods import parse


def test_a_notification_is_sent_by_the_worker_after_commit(worker, eventually):
    emails_queue(recipients=["kepala@opd.example"], subject="Rekomendasi baru", body="Isi")

    eventually(lambda: Email.objects.filter(status=EmailStatus.SENT).exists())
    assert [message.to for message in mail.outbox] == [["kepala@opd.example"]]


def test_the_skm_report_is_made_and_mailed_by_the_worker(
    worker, eventually, questionnaire, agency_a, leader, operator_a
):
    agency_a.email = "kepala@opd-a.example"
    agency_a.save()

    dispatch = skm_report_send(agency=agency_a, period=parse("2026-S1"), actor=operator_a)

    eventually(lambda: Email.objects.filter(status=EmailStatus.SENT).count() == 2)
    assert ReportDispatch.objects.get(pk=dispatch.pk).status == "ok"
    assert sorted(message.to[0] for message in mail.outbox) == sorted(["kepala@opd-a.example", leader.email])
    assert all(message.attachments[0][1].startswith(b"%PDF") for message in mail.outbox)


def test_a_mail_server_down_for_a_while_is_retried_by_the_scheduled_sweep(worker, eventually):
    DOWN["refusals"] = 1
    try:
        with override_settings(EMAIL_BACKEND="outbox.tests.test_outbox.FlakyBackend"):
            emails_queue(recipients=["camat@opd.example"], subject="Pengingat", body="Isi")
            eventually(lambda: Email.objects.filter(attempts=1).exists())
            assert mail.outbox == []
            Email.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
            outbox_tasks.emails_retry_due.delay()  # what celery beat sends every 30 s
            eventually(lambda: Email.objects.filter(status=EmailStatus.SENT).exists())
    finally:
        DOWN["refusals"] = 0
    assert [message.to for message in mail.outbox] == [["camat@opd.example"]]


def test_the_regency_recap_is_made_by_the_worker_while_the_request_returns(
    worker, eventually, questionnaire, agency_a, evaluator, client_for
):
    client = client_for(evaluator)
    response = client.post(reverse("reports:regency_recap_prepare") + "?periode=2026-S1")

    assert response.status_code == 302
    eventually(lambda: ExportJob.objects.filter(status="done").exists())
    job = ExportJob.objects.get()
    download = client.get(reverse("exports:job_file", args=[job.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    eventually(lambda: Email.objects.filter(status=EmailStatus.SENT).exists())
    assert [message.to for message in mail.outbox] == [[evaluator.email]]
