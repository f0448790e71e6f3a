"""Public SVG charts of survey results: per-element NRR, the score trend and the respondent
profile, of the regency or one agency. Aggregates only, read from the tallies; pages show them
with ``<img>`` next to a table of the same numbers."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from reportlab.graphics.shapes import Drawing

from agencies.models import Agency
from reports import charts
from surveys import periods, selectors
from surveys.forms_results import data_years
from surveys.labels import PROFILE_DIMENSIONS
from surveys.periods import Period, PeriodError
from surveys.selectors import tallied_days
from surveys.stamps import period_cached

MAX_AGE = 300
TREND_SEMESTERS = 6


class BadQuery(Exception):
    """A query-string value that cannot be read; the message says why, in the user's language."""


def _scope(request: HttpRequest) -> selectors.Scope:
    code = request.GET.get("opd", "").strip()
    return selectors.Scope(agency=get_object_or_404(Agency, code=code, is_active=True) if code else None)


def period_from_query(request: HttpRequest) -> Period:
    """The period of ``?periode=KEY``, the current semester without one; raise PeriodError for a
    key that cannot be read or a date range outside the years the application knows."""
    key = request.GET.get("periode", "").strip()
    if not key:
        return periods.current_semester()
    period = periods.parse(key)
    if period.start.year < periods.MIN_YEAR or period.end.year > periods.MAX_YEAR:
        raise PeriodError(
            _("The year must be between %(min)d and %(max)d.") % {"min": periods.MIN_YEAR, "max": periods.MAX_YEAR}
        )
    if period.kind == "range" and not request.user.is_authenticated:
        # Public charts show named periods only: a one-day range could single out a respondent.
        raise PeriodError(_("Choose a year, a semester or a quarter."))
    return period


def period_choices(chosen: Period) -> list[Period]:
    """The named periods of the years with data (at least the last three), with ``chosen`` first
    when it is not one of them: the choices of a staff page's period menu."""
    choices = periods.choices(data_years(*tallied_days(), timezone.localdate()))
    if chosen.key not in {period.key for period in choices}:
        choices.insert(0, chosen)
    return choices


def _period(request: HttpRequest) -> Period:
    try:
        return period_from_query(request)
    except PeriodError as error:
        raise BadQuery(str(error)) from None


def _size(request: HttpRequest) -> charts.Size:
    """The chart's width from ``?lebar=`` (one of charts.WEB_WIDTHS, the widest without it)."""
    raw = request.GET.get("lebar", "").strip()
    if not raw:
        return charts.web_size(max(charts.WEB_WIDTHS))
    if not raw.isdigit() or int(raw) not in charts.WEB_WIDTHS:
        raise BadQuery(
            _("Unknown chart width “%(width)s”. Use one of: %(widths)s.")
            % {"width": raw[:10], "widths": ", ".join(map(str, charts.WEB_WIDTHS))}
        )
    return charts.web_size(int(raw))


def _svg(
    request: HttpRequest, scope: selectors.Scope, name: str, period: Period, draw: Callable[[], Drawing]
) -> HttpResponse:
    """The chart ``name`` of ``scope`` for ``period`` as SVG, drawn once per period, scope and
    language and then served from the shared cache (``surveys.stamps.period_cached``)."""
    width = request.GET.get("lebar", "").strip()
    parts = ("chart", name, width, scope.agency.pk if scope.agency else "", period.key, request.LANGUAGE_CODE)
    svg = period_cached(parts, period.end, lambda: charts.to_svg(draw()))
    response = HttpResponse(svg, content_type="image/svg+xml")
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    # The labels follow the visitor's language, which may come from the language cookie.
    patch_vary_headers(response, ("Cookie",))
    return response


def _bad_request(error: BadQuery) -> HttpResponse:
    return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")


@require_safe
def elements(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    try:
        period = _period(request)
        size = _size(request)
    except BadQuery as error:
        return _bad_request(error)
    return _svg(
        request,
        scope,
        "elements",
        period,
        lambda: charts.element_chart(
            selectors.results(scope=scope, start=period.start, end=period.end), selectors.element_names(), size=size
        ),
    )


@require_safe
def trend(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    try:
        period = _period(request)
        size = _size(request)
    except BadQuery as error:
        return _bad_request(error)

    def draw():
        points = charts.trend(scope=scope, semesters=charts.semesters_until(period.end, TREND_SEMESTERS))
        return charts.trend_chart([(semester.label, index.score) for semester, index in points], size=size)

    return _svg(request, scope, "trend", period, draw)


@require_safe
def profile(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    try:
        period = _period(request)
        size = _size(request)
        dimension = request.GET.get("dimensi", "gender").strip() or "gender"
        known = {name: (title, choices) for name, title, choices in PROFILE_DIMENSIONS}
        if dimension not in known:
            raise BadQuery(
                _("Unknown profile dimension “%(name)s”. Use one of: %(names)s.")
                % {"name": dimension[:40], "names": ", ".join(known)}
            )
    except BadQuery as error:
        return _bad_request(error)
    title, choices = known[dimension]

    def draw():
        found = selectors.results(scope=scope, start=period.start, end=period.end)
        return charts.profile_chart(found.profile.get(dimension, {}), choices, title=str(title), size=size)

    return _svg(request, scope, f"profile-{dimension}", period, draw)
