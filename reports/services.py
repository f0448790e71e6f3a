"""Sending reports: "email this report" delivers an agency's SKM report to the agency head and
the leaders on record, and logs every attempt as a ReportDispatch."""

import smtplib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.models import Role, User
from agencies.models import Agency
from reports.issue import skm_report_issue
from reports.models import DispatchStatus, ReportDispatch
from surveys.periods import Period

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
    """Email the agency's SKM report for ``period`` (in Indonesian, as a PDF attachment) to each
    recipient on record, one message per recipient so addresses stay private, and log the send.

    Raises PermissionDenied unless ``actor`` is a super admin, an evaluator or this agency's
    operator; ValidationError, with nothing sent or logged, when there is no recipient on record;
    ValidationError when the mail server fails, after logging the send as failed.
    """
    if not actor.is_active or actor.role not in SENDERS:
        raise PermissionDenied
    if actor.role == Role.OPERATOR and actor.agency_id != agency.pk:
        raise PermissionDenied
    recipients = report_recipients(agency)
    if not recipients:
        raise ValidationError(_("No recipient on record: add the agency's email or a leader's email."))
    with translation.override(settings.LANGUAGE_CODE):
        _document, pdf = skm_report_issue(agency=agency, period=period, actor=actor, language=settings.LANGUAGE_CODE)
        subject, body = _message(agency=agency, period=period, actor=actor)
    filename = f"laporan-skm-{agency.code}-{period.key}.pdf"
    dispatch = ReportDispatch(
        agency=agency,
        period_key=period.key,
        sent_by=actor,
        sent_at=timezone.now(),
        recipients=", ".join(recipients),
        status=DispatchStatus.OK,
    )
    delivered = 0
    try:
        # One connection for every message: one SMTP session however many recipients.
        with get_connection() as connection:
            for address in recipients:
                message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address], connection=connection)
                message.attach(filename, pdf, "application/pdf")
                message.send(fail_silently=False)
                delivered += 1
    except (smtplib.SMTPException, OSError) as error:
        dispatch.status = DispatchStatus.FAILED
        dispatch.error = f"{type(error).__name__}: {error} (delivered {delivered} of {len(recipients)})"
        dispatch.save()
        raise ValidationError(
            _(
                "The report could not be sent: the mail server did not accept it (%(error)s). It reached "
                "%(delivered)d of %(total)d recipients. The attempt is logged; try again later or ask the "
                "super admin to check the mail settings."
            )
            % {"error": str(error) or type(error).__name__, "delivered": delivered, "total": len(recipients)}
        ) from error
    dispatch.save()
    return dispatch
