"""The regency recap PDF for the overseers."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import OVERSEERS, staff_required
from reports.issue import regency_recap_issue
from reports.views_charts import period_from_query
from surveys.periods import PeriodError


@staff_required(*OVERSEERS)
@require_safe
def regency_recap(request: HttpRequest) -> HttpResponse:
    """The recap of every agency for ``?periode=KEY`` (default: the current semester) as a PDF
    download."""
    try:
        period = period_from_query(request)
    except PeriodError as error:
        context = {
            "heading": _("The regency recap could not be made"),
            "problem": str(error),
            "back": reverse("results:regency"),
            "back_label": _("Back to the survey results of the regency"),
        }
        return render(request, "reports/send_error.html", context, status=400)
    _document, content = regency_recap_issue(period=period, actor=request.user)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="rekap-ikm-{period.key}.pdf"'
    return response
