"""Staff pages of the self-assessment pack (``reports.self_assessment``): the regency's, with
every active agency and the totals, and one agency's, each for ``?periode=KEY`` (default: the
current semester) with its registered PDF.

Overseers see every agency; an operator sees their own agency only (another agency's pack is a
404) and is taken from the regency's page to their agency's, as on the results pages.
"""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import OVERSEERS, get_scoped_or_404, staff_required
from agencies.models import Agency
from documents.http import pdf_response
from reports.pdf_self_assessment import agency_self_assessment_issue, regency_self_assessment_issue
from reports.self_assessment import agency_pack, regency_pack
from reports.views_charts import period_choices, period_from_query
from surveys.periods import Period, PeriodError


def _problem(request: HttpRequest, error: PeriodError, back: str) -> HttpResponse:
    context = {
        "heading": _("The self-assessment pack could not be made"),
        "problem": str(error),
        "back": back,
        "back_label": _("Back to the self-assessment pack"),
    }
    return render(request, "reports/send_error.html", context, status=400)


def _period_context(period: Period, pdf_url: str) -> dict:
    return {
        "period": period,
        "period_choices": period_choices(period),
        "pdf_url": f"{pdf_url}?{urlencode({'periode': period.key})}",
    }


@staff_required()
@require_safe
def regency(request: HttpRequest) -> HttpResponse:
    """The regency's pack: its totals and a row of figures per active agency."""
    if request.user.is_operator:
        url = reverse("reports:self_assessment_agency", args=[request.user.agency.code])
        return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
    try:
        period = period_from_query(request)
    except PeriodError as error:
        return _problem(request, error, reverse("reports:self_assessment_regency"))
    context = {
        **_period_context(period, reverse("reports:self_assessment_regency_pdf")),
        "pack": regency_pack(period=period),
    }
    return render(request, "reports/self_assessment_regency.html", context)


@staff_required()
@require_safe
def agency(request: HttpRequest, code: str) -> HttpResponse:
    """One agency's pack, with the recommendations its follow-up figures count."""
    agency = get_scoped_or_404(request.user, Agency, code=code)
    try:
        period = period_from_query(request)
    except PeriodError as error:
        return _problem(request, error, reverse("reports:self_assessment_agency", args=[agency.code]))
    context = {
        **_period_context(period, reverse("reports:self_assessment_agency_pdf", args=[agency.code])),
        "agency": agency,
        "pack": agency_pack(agency=agency, period=period),
    }
    return render(request, "reports/self_assessment_agency.html", context)


@staff_required(*OVERSEERS)
@require_safe
def regency_pdf(request: HttpRequest) -> HttpResponse:
    """The regency's pack as a registered PDF download."""
    try:
        period = period_from_query(request)
    except PeriodError as error:
        return _problem(request, error, reverse("reports:self_assessment_regency"))
    _document, content = regency_self_assessment_issue(period=period, actor=request.user)
    return pdf_response(content, f"penilaian-mandiri-kabupaten-{period.key}.pdf")


@staff_required()
@require_safe
def agency_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """One agency's pack as a registered PDF download; operators reach only their own."""
    agency = get_scoped_or_404(request.user, Agency, code=code)
    try:
        period = period_from_query(request)
    except PeriodError as error:
        return _problem(request, error, reverse("reports:self_assessment_agency", args=[agency.code]))
    _document, content = agency_self_assessment_issue(agency=agency, period=period, actor=request.user)
    return pdf_response(content, f"penilaian-mandiri-{agency.code}-{period.key}.pdf")
