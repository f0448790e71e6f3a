"""The regency recap PDF for the overseers: a page to ask for it and a task that makes it.

Making the recap reads every agency, so the request only records it and returns; the page
shows its progress and, once ready, a download link for the requester only
(``exports:job_file``), kept for ``EXPORT_KEEP_HOURS``. Without a broker the task runs at once,
so the link is there on the next page.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import OVERSEERS, staff_required
from reports import exports as jobs
from reports.models import ExportStatus
from reports.views_charts import period_choices, period_from_query
from surveys.periods import Period, PeriodError


def _problem(request: HttpRequest, error: PeriodError) -> HttpResponse:
    context = {
        "heading": _("The regency recap could not be made"),
        "problem": str(error),
        "back": reverse("results:regency"),
        "back_label": _("Back to the survey results of the regency"),
    }
    return render(request, "reports/send_error.html", context, status=400)


def _page_url(period: Period) -> str:
    return f"{reverse('reports:regency_recap')}?{urlencode({'periode': period.key})}"


@staff_required(*OVERSEERS)
@require_safe
def regency_recap(request: HttpRequest) -> HttpResponse:
    """The recap page for ``?periode=KEY`` (default: the current semester): a button to prepare
    the PDF, and the requester's recaps with their progress and download links."""
    try:
        period = period_from_query(request)
    except PeriodError as error:
        return _problem(request, error)
    own = jobs.recap_jobs_of(request.user)
    context = {
        "period": period,
        "period_choices": period_choices(period),
        "prepare_url": f"{reverse('reports:regency_recap_prepare')}?{urlencode({'periode': period.key})}",
        "jobs": own,
        "working": any(job.status in (ExportStatus.QUEUED, ExportStatus.RUNNING) for job in own),
        "keep_hours": settings.EXPORT_KEEP_HOURS,
    }
    return render(request, "reports/regency_recap.html", context)


@staff_required(*OVERSEERS)
@require_POST
def regency_recap_prepare(request: HttpRequest) -> HttpResponse:
    """Record a recap of ``?periode=KEY`` for the task to make, in the reader's language, and
    go back to the recap page, which shows its progress."""
    try:
        period = period_from_query(request)
    except PeriodError as error:
        return _problem(request, error)
    language = translation.get_language() or settings.LANGUAGE_CODE
    _job, created = jobs.recap_job_create(actor=request.user, period=period, language=language)
    if created:
        messages.success(request, _("The recap is being prepared. Its progress is shown below."))
    else:
        messages.info(request, _("This recap is already being prepared."))
    return redirect(_page_url(period))
