"""The outbox: every notification email is stored first and sent by a task after commit.

A send that the mail server refuses (or cannot be reached for) is kept and tried again by the
scheduled sweep after 30 s, 1, 2, 4 … minutes (at most an hour apart), ``MAX_ATTEMPTS`` times
in all (about five hours), then marked failed for the super admin, who can send it again. If
the broker cannot take the task, the message is still stored and the sweep sends it.
"""

import datetime
import logging
import smtplib
from collections.abc import Iterable

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from outbox.models import Email, EmailStatus

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
FIRST_PAUSE = datetime.timedelta(seconds=30)
LONGEST_PAUSE = datetime.timedelta(hours=1)
# A message handed to the broker is not handed again before this, unless it is sent or fails.
LEASE = datetime.timedelta(minutes=5)


def pause_after(attempts: int) -> datetime.timedelta:
    """How long to wait after the ``attempts``-th failed attempt."""
    return min(FIRST_PAUSE * 2 ** (attempts - 1), LONGEST_PAUSE)


def _enqueue(ids: list[int]) -> None:
    from outbox import tasks

    for pk in ids:
        try:
            tasks.email_deliver.delay(pk)
        except Exception:  # the broker is down: the message is stored, and the sweep sends it
            log.warning("outbox: could not hand email %s to the broker; the sweep will send it", pk, exc_info=True)


def emails_queue(
    *,
    recipients: Iterable[str],
    subject: str,
    body: str,
    attachment: tuple[str, bytes, str] | None = None,
) -> list[Email]:
    """Store one message per address (so addresses stay private to each other) and send them
    once the current transaction commits. ``attachment`` is (file name, content, MIME type)."""
    name, content, mime = attachment or ("", None, "")
    now = timezone.now()
    emails = [
        Email(
            to=address,
            subject=subject[:300],
            body=body,
            attachment_name=name,
            attachment=content,
            attachment_type=mime,
            created_at=now,
            next_attempt_at=now + LEASE,
        )
        for address in sorted({address.strip() for address in recipients if address and address.strip()})
    ]
    if not emails:
        return []
    with transaction.atomic():
        Email.objects.bulk_create(emails)
        ids = [email.pk for email in emails]
        transaction.on_commit(lambda: _enqueue(ids))
        if current_app.conf.task_always_eager:
            # No broker, so no scheduler either: each new message also retries the due ones.
            transaction.on_commit(emails_retry_due)
    return emails


def email_deliver(*, email_id: int) -> bool:
    """Hand one waiting message to the mail server; True when it was taken.

    The row is locked while sending, so a message handed twice (a sweep and a slow worker) is
    sent once. A refusal is recorded with the next time to try, or as failed after the last try.
    """
    with transaction.atomic():
        email = (
            Email.objects.select_for_update(skip_locked=True).filter(pk=email_id, status=EmailStatus.PENDING).first()
        )
        if email is None:
            return False
        message = EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to])
        if email.attachment_name:
            message.attach(email.attachment_name, bytes(email.attachment), email.attachment_type)
        email.attempts += 1
        try:
            message.send(fail_silently=False)
        except (smtplib.SMTPException, OSError) as error:
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            if email.attempts >= MAX_ATTEMPTS:
                email.status = EmailStatus.FAILED
                log.error("outbox: email %s to %s failed for good: %s", email.pk, email.to, email.last_error)
            else:
                email.next_attempt_at = timezone.now() + pause_after(email.attempts)
                log.warning("outbox: email %s to %s not sent (%s); trying again", email.pk, email.to, email.last_error)
            email.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return False
        email.status = EmailStatus.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
        email.attachment = None  # sent: the copy of the attachment is no longer needed
        email.save(update_fields=["attempts", "last_error", "status", "sent_at", "attachment"])
        return True


def emails_retry_due(*, now: datetime.datetime | None = None) -> int:
    """Hand every waiting message whose time has come to the broker again (the sweep, run by
    the scheduler every 30 s). Returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Email.objects.select_for_update(skip_locked=True)
            .filter(status=EmailStatus.PENDING, next_attempt_at__lte=now)
            .values_list("pk", flat=True)[:500]
        )
        Email.objects.filter(pk__in=due).update(next_attempt_at=now + LEASE)
        transaction.on_commit(lambda: _enqueue(due))
    return len(due)


def email_resend(*, email: Email, actor: User) -> Email:
    """A super admin sends a failed message again (a fresh series of attempts)."""
    if not actor.is_active or actor.role != Role.SUPER_ADMIN:
        raise PermissionDenied
    if email.status != EmailStatus.FAILED:
        raise ValidationError(_("Only a failed email can be sent again."))
    with transaction.atomic():
        email.status = EmailStatus.PENDING
        email.attempts = 0
        email.next_attempt_at = timezone.now() + LEASE
        email.save(update_fields=["status", "attempts", "next_attempt_at"])
        transaction.on_commit(lambda: _enqueue([email.pk]))
    return email
