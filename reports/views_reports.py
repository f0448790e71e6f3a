"""Staff downloads of the report PDFs."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from accounts.access import get_scoped_or_404, staff_required
from agencies.models import Agency
from documents.http import pdf_response
from reports.issue import skm_report_issue
from reports.views_charts import period_from_query
from surveys.periods import PeriodError


@staff_required()
@require_safe
def skm_report(request: HttpRequest, code: str) -> HttpResponse:
    """The agency's SKM report for ``?periode=KEY`` (default: the current semester) as a PDF
    download; operators reach only their own agency's."""
    agency = get_scoped_or_404(request.user, Agency, code=code)
    try:
        period = period_from_query(request)
    except PeriodError as error:
        context = {"problem": str(error), "agency": agency, "back": reverse("results:agency", args=[agency.code])}
        return render(request, "reports/skm_report_error.html", context, status=400)
    _document, content = skm_report_issue(agency=agency, period=period, actor=request.user)
    return pdf_response(content, f"laporan-skm-{agency.code}-{period.key}.pdf")
