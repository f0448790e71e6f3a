"""Emails that tell the other side of a recommendation that something happened. They go
through the outbox (stored, then sent by a task after commit and retried while the mail
server refuses), then Django's mail backends (console by default, SMTP via EMAIL_URL)."""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from outbox.services import emails_queue

log = logging.getLogger(__name__)


def operators_of(agency) -> list[str]:
    return list(
        User.objects.filter(role=Role.OPERATOR, agency=agency, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def evaluators() -> list[str]:
    return list(
        User.objects.filter(role__in=[Role.EVALUATOR, Role.SUPER_ADMIN], is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def send(recipients: Iterable[str], subject: str, body: str) -> int:
    """Queue one message to each address (so addresses are not disclosed to each other);
    returns how many were queued."""
    return len(emails_queue(recipients=recipients, subject=f"[SI-PUTRI] {subject}", body=body))


def absolute_url(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def recommendation_url(recommendation) -> str:
    return absolute_url("evaluations:recommendation_detail", recommendation.pk)


def send_in_site_language(recipients: Iterable[str], subject: str, body: str, link: str = "") -> int:
    """Send in the site's language (Indonesian), whoever triggered the message, with a link."""
    with translation.override(settings.LANGUAGE_CODE):
        text = body
        if link:
            text += "\n\n" + _("Open it in SI-PUTRI: %(url)s") % {"url": link}
        return send(recipients, str(subject), text)


def notify(recommendation, recipients: Iterable[str], what, note: str = "") -> int:
    """Tell ``recipients`` that ``what`` (a lazy translation) happened to ``recommendation``,
    in the site's language whoever took the step."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = f"{what}: {recommendation.title}"
        lines = [
            _("Recommendation: %(title)s") % {"title": recommendation.title},
            _("Agency: %(agency)s") % {"agency": recommendation.agency.name},
            _("Due date: %(date)s") % {"date": recommendation.due_date.strftime("%d-%m-%Y")},
            _("Status: %(status)s") % {"status": recommendation.get_status_display()},
        ]
        if note:
            lines += ["", note]
        lines += ["", _("Open it in SI-PUTRI: %(url)s") % {"url": recommendation_url(recommendation)}]
        return send(recipients, subject, "\n".join(lines))
