"""Staff downloads of survey data: the exports page and the files themselves.

Operators export their own agency only; overseers (super admin, evaluator, leader) export
one agency or the whole regency. Exports change nothing, so every staff role may use them.
"""

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.access import get_scoped_or_404, staff_required
from agencies.models import Agency
from reports.exporters import EXPORTERS, RENDERERS
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
    exports = [
        {
            "name": exporter.verbose_name,
            "description": exporter.description,
            "links": [
                (fmt.upper(), f"{reverse('exports:download', args=[identifier, fmt])}?{encoded}") for fmt in RENDERERS
            ],
        }
        for identifier, exporter in EXPORTERS.items()
    ]
    respondents = selectors.results(scope=selectors.Scope(agency=agency), start=period.start, end=period.end)
    context = {
        "agency": agency,
        "agencies": None if request.user.is_operator else Agency.objects.order_by("name"),
        "period": period,
        "period_choices": period_choices(period),
        "exports": exports,
        "respondents": respondents.respondents,
    }
    return render(request, "reports/exports_index.html", context)


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
    exporter = exporter_class(selectors.Scope(agency=agency), period.start, period.end)
    return renderer(exporter, _filename(identifier, agency, period, fmt))
