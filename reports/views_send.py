""" "Email this report": confirm, then send an agency's SKM report to the recipients on record."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts.access import get_scoped_or_404, staff_required
from accounts.models import Role, User
from agencies.models import Agency
from reports import services
from reports.models import ReportDispatch
from reports.pdf import period_label
from reports.services import SENDERS, report_recipients
from reports.views_charts import period_choices, period_from_query
from surveys.periods import Period, PeriodError

DISPATCHES_SHOWN = 20


def _here(agency: Agency, period: Period) -> str:
    return reverse("reports:skm_report_send", args=[agency.code]) + "?" + urlencode({"periode": period.key})


def _bad_period(request: HttpRequest, agency: Agency, error: PeriodError) -> HttpResponse:
    context = {
        "heading": _("The SKM report could not be sent"),
        "problem": str(error),
        "back": reverse("results:agency", args=[agency.code]),
        "back_label": _("Back to the survey results of %(name)s") % {"name": agency.name},
    }
    return render(request, "reports/send_error.html", context, status=400)


def _recipients_shown(agency: Agency) -> list[tuple[str, str]]:
    """(address, whose) for each recipient, in sending order."""
    leaders = {
        user.email.lower(): user.get_full_name() or user.username
        for user in User.objects.filter(role=Role.LEADER, is_active=True).exclude(email="")
    }
    shown = []
    for address in report_recipients(agency):
        if agency.email and address.lower() == agency.email.lower():
            shown.append((address, _("the agency (head of agency's office)")))
        else:
            shown.append((address, _("leader: %(name)s") % {"name": leaders.get(address.lower(), "")}))
    return shown


@staff_required(*SENDERS)
@require_http_methods(["GET", "HEAD", "POST"])
def skm_report_send(request: HttpRequest, code: str) -> HttpResponse:
    """GET: what will be sent to whom, and the earlier sends; POST: send it now."""
    agency = get_scoped_or_404(request.user, Agency, code=code)
    try:
        # The confirmation form posts back to its own address, so the period it showed travels
        # in ``?periode=`` and is read by the same rules either way.
        period = period_from_query(request)
    except PeriodError as error:
        return _bad_period(request, agency, error)
    if request.method == "POST":
        try:
            dispatch = services.skm_report_send(agency=agency, period=period, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            count = len(dispatch.recipient_list)
            messages.success(
                request,
                ngettext(
                    "The SKM report for %(period)s is on its way to %(count)d recipient.",
                    "The SKM report for %(period)s is on its way to %(count)d recipients.",
                    count,
                )
                % {"period": period.label, "count": count},
            )
        return redirect(_here(agency, period))
    dispatches = list(ReportDispatch.objects.filter(agency=agency).select_related("sent_by")[: DISPATCHES_SHOWN + 1])
    context = {
        "agency": agency,
        "period": period,
        "period_choices": period_choices(period),
        "recipients": _recipients_shown(agency),
        "dispatches": [(dispatch, period_label(dispatch.period_key)) for dispatch in dispatches[:DISPATCHES_SHOWN]],
        "more_dispatches": len(dispatches) > DISPATCHES_SHOWN,
        "dispatches_shown": DISPATCHES_SHOWN,
        "results_query": urlencode({"periode": period.key}),
        "here": _here(agency, period),
    }
    return render(request, "reports/send_skm_report.html", context)
