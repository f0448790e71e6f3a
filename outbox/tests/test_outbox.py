"""Every notification email goes through the outbox: stored, sent after commit, retried while
the mail server is down, never lost, and shown to the super admin when it fails for good."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from outbox import services, tasks
from outbox.models import Email
from siputri.celery import app

DOWN = {"refusals": 0}


class FlakyBackend(BaseEmailBackend):
    """A mail server that refuses the next ``DOWN["refusals"]`` messages, then takes them."""

    def send_messages(self, email_messages):
        if DOWN["refusals"] > 0:
            DOWN["refusals"] -= 1
            raise ConnectionRefusedError(111, "Connection refused")
        mail.outbox.extend(email_messages)
        return len(email_messages)


@pytest.fixture
def mail_server_down():
    """The mail server refuses ``n`` messages from now on, then works again."""

    def down(n):
        DOWN["refusals"] = n

    with override_settings(EMAIL_BACKEND=f"{__name__}.FlakyBackend"):
        yield down
    DOWN["refusals"] = 0


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def queue(*recipients, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.emails_queue(
            recipients=recipients or ["kepala@opd.example"], subject="Rekomendasi baru", body="Isi", **kwargs
        )


def sweep(after: datetime.timedelta) -> int:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.emails_retry_due(now=timezone.now() + after)


def test_a_message_is_stored_then_sent_once_to_each_address_after_commit(db):
    emails = queue("b@opd.example", "a@opd.example", "b@opd.example", "")

    assert [message.to for message in mail.outbox] == [["a@opd.example"], ["b@opd.example"]]
    assert [email.status for email in emails] == ["pending", "pending"]  # as queued
    assert set(Email.objects.values_list("status", flat=True)) == {"sent"}
    assert Email.objects.filter(sent_at__isnull=False).count() == 2


def test_nothing_is_sent_when_the_change_that_queued_it_is_rolled_back(db):
    with TestCase.captureOnCommitCallbacks(execute=True):
        try:
            with transaction.atomic():
                services.emails_queue(recipients=["a@opd.example"], subject="S", body="B")
                raise RuntimeError("the step failed")
        except RuntimeError:
            pass

    assert mail.outbox == []
    assert not Email.objects.exists()


def test_an_attachment_is_sent_and_not_kept_after_sending(db):
    queue(attachment=("laporan.pdf", b"%PDF-1.4 laporan", "application/pdf"))

    assert mail.outbox[0].attachments == [("laporan.pdf", b"%PDF-1.4 laporan", "application/pdf")]
    assert Email.objects.get().attachment is None


def test_a_mail_server_down_for_a_minute_delays_the_message_but_does_not_lose_it(db, mail_server_down):
    mail_server_down(2)  # the first try and the retry 30 s later are refused

    queue("kepala@opd.example")
    email = Email.objects.get()
    assert mail.outbox == []
    assert (email.status, email.attempts) == ("pending", 1)
    assert "Connection refused" in email.last_error

    assert sweep(after=datetime.timedelta(seconds=10)) == 0  # not yet: the first pause is 30 s
    assert sweep(after=datetime.timedelta(seconds=31)) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("pending", 2)
    assert sweep(after=datetime.timedelta(seconds=95)) == 1  # then 60 s more: the server is back

    assert [message.to for message in mail.outbox] == [["kepala@opd.example"]]
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == ("sent", 3, "")
    assert sweep(after=datetime.timedelta(hours=1)) == 0  # and never again


def test_pauses_between_attempts_double_up_to_an_hour():
    pauses = [services.pause_after(n).total_seconds() for n in range(1, 10)]
    assert pauses == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_after_the_last_attempt_the_message_is_failed_and_shown_to_the_super_admin(
    mail_server_down, client_for, super_admin
):
    mail_server_down(services.MAX_ATTEMPTS)
    queue("kepala@opd.example")
    for _attempt in range(services.MAX_ATTEMPTS - 1):
        sweep(after=datetime.timedelta(hours=2))

    email = Email.objects.get()
    assert (email.status, email.attempts) == ("failed", services.MAX_ATTEMPTS)
    assert sweep(after=datetime.timedelta(days=1)) == 0
    page = english(client_for(super_admin)).get(reverse("outbox:problems")).content.decode()
    assert "kepala@opd.example" in page
    assert "Rekomendasi baru" in page
    assert "Connection refused" in page

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_for(super_admin).post(reverse("outbox:resend", args=[email.pk]))
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["kepala@opd.example"]]
    email.refresh_from_db()
    assert email.status == "sent"


def test_messages_still_being_retried_are_listed_with_their_next_attempt(mail_server_down, client_for, super_admin):
    mail_server_down(1)
    queue("camat@opd.example")

    page = english(client_for(super_admin)).get(reverse("outbox:problems")).content.decode()
    assert 'id="outbox-retrying"' in page
    assert "camat@opd.example" in page
    assert "No email has failed." in page


def test_a_message_that_was_sent_cannot_be_sent_again_by_hand(db, client_for, super_admin):
    [email] = queue("kepala@opd.example")

    response = english(client_for(super_admin)).post(reverse("outbox:resend", args=[email.pk]), follow=True)
    assert "Only a failed email can be sent again." in response.content.decode()
    assert len(mail.outbox) == 1


def test_a_message_handed_to_the_broker_twice_is_sent_once(db):
    [email] = queue("kepala@opd.example")

    assert services.email_deliver(email_id=email.pk) is False
    assert len(mail.outbox) == 1


def test_a_broker_that_is_down_loses_nothing_and_the_request_goes_on(db, monkeypatch):
    def unreachable(*_args, **_kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.email_deliver, "delay", unreachable)
    app.conf.task_always_eager = False  # a deployment with a broker (that is down)
    try:
        queue("kepala@opd.example")
    finally:
        app.conf.task_always_eager = True
    assert mail.outbox == []
    assert Email.objects.get().status == "pending"

    monkeypatch.undo()
    assert sweep(after=services.LEASE) == 1  # the broker is back: the sweep hands it on
    assert [message.to for message in mail.outbox] == [["kepala@opd.example"]]
