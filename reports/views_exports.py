"""Staff downloads of survey data: the exports page and the files themselves.

Operators export their own agency only; overseers (super admin, evaluator, leader) export
one agency or the whole regency. Exports change nothing, so every staff role may use them.
A large responses export is prepared as a file by a task (``reports.exports``): the page shows
its progress and, once ready, a link that works for its requester only.
"""

import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import get_scoped_or_404, staff_required
from agencies.models import Agency
from reports import exports as jobs
from reports.exporters import CSV_CONTENT_TYPE, EXPORTERS, RENDERERS, XLSX_CONTENT_TYPE
from reports.models import ExportStatus
from reports.views_charts import period_choices, period_from_query
from surveys import periods, selectors
from surveys.periods import Period, PeriodError

REGENCY_FILENAME = "semua-opd"
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9_-]+")


def _agency(request) -> Agency | None:
    """The agency asked for in ``opd``: an operator always gets their own (another agency's
    code is a 404); an overseer gets the one named, or None for the whole regency."""
    code = request.GET.get("opd", "").strip()
    if code:
        return get_scoped_or_404(request.user, Agency, code=code)
    if request.user.is_operator:
        return request.user.agency
    return None


def _filename(identifier: str, agency: Agency | None, period: Period, fmt: str) -> str:
    parts = (identifier, agency.code if agency else REGENCY_FILENAME, period.key)
    return "-".join(_UNSAFE_FILENAME.sub("-", part).strip("-") for part in parts) + f".{fmt}"


@staff_required()
@require_GET
def index(request):
    agency = _agency(request)
    try:
        period = period_from_query(request)
    except PeriodError as exc:
        period = periods.current_semester()
        messages.error(request, _("%(problem)s Showing %(period)s instead.") % {"problem": exc, "period": period.label})
    query = {"periode": period.key}
    if agency is not None and not request.user.is_operator:
        query["opd"] = agency.code
    encoded = urlencode(query)
    respondents = jobs.export_rows_estimate(agency=agency, period=period)
    exports = [
        {
            "identifier": identifier,
            "name": exporter.verbose_name,
            "description": exporter.description,
            "links": [
                {
                    "label": fmt.upper(),
                    "fmt": fmt,
                    "url": f"{reverse('exports:download', args=[identifier, fmt])}?{encoded}",
                    "large": jobs.export_is_large(identifier=identifier, fmt=fmt, rows=respondents),
                }
                for fmt in RENDERERS
            ],
        }
        for identifier, exporter in EXPORTERS.items()
    ]
    own = jobs.export_jobs_of(request.user)
    context = {
        "agency": agency,
        "agencies": None if request.user.is_operator else Agency.objects.order_by("name"),
        "period": period,
        "period_choices": _period_options(agency, period),
        "exports": exports,
        "respondents": respondents,
        "prepare_url": f"{reverse('exports:job_create')}?{encoded}",
        "jobs": own,
        "working": any(job.status in (ExportStatus.QUEUED, ExportStatus.RUNNING) for job in own),
        "keep_hours": settings.EXPORT_KEEP_HOURS,
    }
    return render(request, "reports/exports_index.html", context)


def _period_options(agency: Agency | None, chosen: Period) -> list[dict[str, str]]:
    """The period menu: every response of the scope so far ("all data", from its first counted
    day to today) first, then the named periods of the years with data."""
    named = period_choices(chosen)
    first, _last = selectors.tallied_days(selectors.Scope(agency=agency))
    today = timezone.localdate()
    options = []
    if first is not None and first <= today:
        everything = periods.date_range(first, today)
        options.append({"key": everything.key, "label": _("All data (%(range)s)") % {"range": everything.label}})
        named = [choice for choice in named if choice.key != everything.key]
    return options + [{"key": choice.key, "label": choice.label} for choice in named]


@staff_required()
@require_GET
def download(request, identifier: str, fmt: str):
    exporter_class = EXPORTERS.get(identifier)
    renderer = RENDERERS.get(fmt)
    if exporter_class is None or renderer is None:
        raise Http404
    agency = _agency(request)
    try:
        period = period_from_query(request)
    except PeriodError as exc:
        context = {"problem": str(exc), "back": reverse("exports:index")}
        return render(request, "reports/exports_error.html", context, status=400)
    rows = jobs.export_rows_estimate(agency=agency, period=period)
    if jobs.export_is_large(identifier=identifier, fmt=fmt, rows=rows):
        # Sent while the browser waits, it would outlast the server's time limit.
        messages.warning(request, _("This export is too large to download at once: prepare it as a file below."))
        return redirect(_index_url(request, agency, period))
    exporter = exporter_class(selectors.Scope(agency=agency), period.start, period.end)
    return renderer(exporter, _filename(identifier, agency, period, fmt))


def _index_url(request, agency: Agency | None, period: Period) -> str:
    query = {"periode": period.key}
    if agency is not None and not request.user.is_operator:
        query["opd"] = agency.code
    return f"{reverse('exports:index')}?{urlencode(query)}"


@staff_required()
@require_POST
def job_create(request):
    """Prepare a large export as a file; the page then shows its progress."""
    identifier, fmt = request.POST.get("export", ""), request.POST.get("fmt", "")
    if identifier not in EXPORTERS or fmt not in RENDERERS:
        context = {"problem": _("Choose one of the exports listed."), "back": reverse("exports:index")}
        return render(request, "reports/exports_error.html", context, status=400)
    agency = _agency(request)
    try:
        period = period_from_query(request)
    except PeriodError as exc:
        context = {"problem": str(exc), "back": reverse("exports:index")}
        return render(request, "reports/exports_error.html", context, status=400)
    jobs.export_job_create(
        actor=request.user,
        identifier=identifier,
        fmt=fmt,
        agency=agency,
        period=period,
        filename=_filename(identifier, agency, period, fmt),
    )
    messages.success(
        request,
        _("The file is being prepared. Its progress is shown below; you will also get an email when it is ready."),
    )
    return redirect(_index_url(request, agency, period))


@staff_required()
@require_GET
def job_file(request, pk: int):
    """A prepared export or regency recap, for the staff member who asked for it only (404 for
    anyone else)."""
    job = jobs.export_job_file(user=request.user, pk=pk)
    content_type = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE, "pdf": "application/pdf"}[job.fmt]
    response = FileResponse(job.path.open("rb"), as_attachment=True, filename=job.filename, content_type=content_type)
    patch_cache_control(response, private=True, no_store=True)
    return response
