"""Sending reports: "email this report" delivers an agency's SKM report to the agency head and
the leaders on record, and logs every send as a ReportDispatch. The request only records the
send; a task makes the PDF and queues the messages in the outbox, which delivers them."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.models import Role, User
from agencies.models import Agency
from outbox.services import emails_queue
from reports.issue import skm_report_issue
from reports.models import DispatchStatus, ReportDispatch
from surveys.periods import Period, parse

log = logging.getLogger(__name__)

SENDERS = (Role.SUPER_ADMIN, Role.EVALUATOR, Role.OPERATOR)


def report_recipients(agency: Agency) -> list[str]:
    """Who gets the agency's report: the agency's own address on record (the head's office),
    then every active leader with an email; each address once."""
    addresses = [agency.email] if agency.email else []
    leaders = User.objects.filter(role=Role.LEADER, is_active=True).exclude(email="").order_by("email", "pk")
    addresses += leaders.values_list("email", flat=True)
    seen: set[str] = set()
    unique = []
    for address in addresses:
        if address.lower() not in seen:
            seen.add(address.lower())
            unique.append(address)
    return unique


def _absolute(path: str, **query: str) -> str:
    return settings.SITE_URL.rstrip("/") + path + ("?" + urlencode(query) if query else "")


def _message(*, agency: Agency, period: Period, actor: User) -> tuple[str, str]:
    """The subject and body, in the active language."""
    names = {"agency": agency.name, "period": period.label}
    lines = [
        _("Attached is the Community Satisfaction Survey (SKM) results report of %(agency)s for %(period)s.") % names,
    ]
    if period.is_provisional:
        lines.append(_("This period has not ended yet: its results are provisional and may still change."))
    lines.append("")
    if period.kind != "range":
        public = reverse("public_results:agency", args=[agency.code])
        lines.append(_("Published results: %(url)s") % {"url": _absolute(public, periode=period.key)})
    staff = reverse("results:agency", args=[agency.code])
    lines.append(_("Full results in SI-PUTRI (staff sign-in): %(url)s") % {"url": _absolute(staff, periode=period.key)})
    lines += ["", _("Sent through SI-PUTRI by %(name)s.") % {"name": actor.get_full_name() or actor.username}]
    return _("SKM results report %(agency)s %(period)s") % names, "\n".join(lines)


def skm_report_send(*, agency: Agency, period: Period, actor: User) -> ReportDispatch:
    """Record a send of the agency's SKM report for ``period`` to each recipient on record and,
    once committed, hand the making and mailing of it to a task (``skm_report_deliver``).

    Raises PermissionDenied unless ``actor`` is a super admin, an evaluator or this agency's
    operator; ValidationError, with nothing recorded, when there is no recipient on record.
    """
    if not actor.is_active or actor.role not in SENDERS:
        raise PermissionDenied
    if actor.role == Role.OPERATOR and actor.agency_id != agency.pk:
        raise PermissionDenied
    recipients = report_recipients(agency)
    if not recipients:
        raise ValidationError(_("No recipient on record: add the agency's email or a leader's email."))
    from reports import tasks

    with transaction.atomic():
        dispatch = ReportDispatch.objects.create(
            agency=agency,
            period_key=period.key,
            sent_by=actor,
            sent_at=timezone.now(),
            recipients=", ".join(recipients),
            status=DispatchStatus.QUEUED,
        )
        transaction.on_commit(lambda: tasks.skm_report_deliver.delay(dispatch.pk))
    return dispatch


def skm_report_deliver(*, dispatch_id: int) -> ReportDispatch:
    """Make the PDF of a recorded send (in Indonesian) and queue one message per recipient,
    so addresses stay private; the outbox delivers and retries them. A report that cannot be
    made marks the send failed, with the reason."""
    dispatch = ReportDispatch.objects.select_related("agency", "sent_by").get(pk=dispatch_id)
    if dispatch.status != DispatchStatus.QUEUED:
        return dispatch
    try:
        period = parse(dispatch.period_key)
        with translation.override(settings.LANGUAGE_CODE):
            _document, pdf = skm_report_issue(
                agency=dispatch.agency, period=period, actor=dispatch.sent_by, language=settings.LANGUAGE_CODE
            )
            subject, body = _message(agency=dispatch.agency, period=period, actor=dispatch.sent_by)
    except Exception as error:  # whatever stops the PDF, the sender must see the send failed
        log.exception("reports: the SKM report of send %s could not be made", dispatch.pk)
        dispatch.status = DispatchStatus.FAILED
        dispatch.error = f"{type(error).__name__}: {error}"
        dispatch.save(update_fields=["status", "error"])
        return dispatch
    filename = f"laporan-skm-{dispatch.agency.code}-{period.key}.pdf"
    with transaction.atomic():
        emails_queue(
            recipients=dispatch.recipient_list,
            subject=subject,
            body=body,
            attachment=(filename, pdf, "application/pdf"),
        )
        dispatch.status = DispatchStatus.OK
        dispatch.save(update_fields=["status"])
    return dispatch
