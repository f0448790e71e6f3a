"""Public results pages, no login: the regency with every agency's score, and one agency with
its elements, trend, profile, services, the status of its recommendations and "You said, we
did" (the agency's published answers to suggestions and the follow-up actions it carried out).

Numbers come from the selectors, which read tallies. Nothing here reads a response: no
suggestion and nothing about a single respondent can reach these pages: an answered suggestion
is shown only as the operator edited it for publication. Recommendations are
reduced to plain rows of what may be published (titles, periods, states, due dates, action
texts) before a template sees them, so internal notes, findings, evidence and return reasons
cannot leak through a template edit.
"""

from urllib.parse import urlencode

from django.db.models import Count, F, Max, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from evaluations.models import ActionStatus, EventKind, Recommendation, RecommendationAction, RecommendationStatus
from reports import charts
from reports.opendata import named_period
from reports.views_charts import TREND_SEMESTERS
from surveys import periods
from surveys.forms_results import data_years
from surveys.index import IndexResult, round_half_up
from surveys.labels import PERFORMANCE, profile_tables
from surveys.periods import Period, PeriodError
from surveys.selectors import (
    Results,
    Scope,
    agency_ranking,
    element_names,
    element_order,
    element_questions,
    published_answers,
    results,
    service_ranking,
    tallied_days,
)
from surveys.stamps import period_cached

PERIOD_PARAM = "periode"
# Below this many respondents a score moves a lot with each new answer (the usual rule of thumb
# for a mean); such figures are shown, but marked as not yet reliable. Where the agency entered
# its number of service users, the Krejcie & Morgan minimum sample says it instead.
SMALL_SAMPLE = 30
LATEST_RECOMMENDATIONS = 10
# "You said, we did": the newest answers and carried-out actions shown, so the page stays short.
ANSWERS_SHOWN = 10
DONE_ACTIONS_SHOWN = 10


def _regency_figures(period: Period) -> tuple[Results, list, list[tuple[Period, IndexResult]]]:
    """What the regency page shows of the period: its results, the ranking and the trend,
    with the element order read once."""
    codes = element_order()
    found = results(scope=Scope(), start=period.start, end=period.end, codes=codes)
    ranking = agency_ranking(start=period.start, end=period.end, codes=codes)
    return found, ranking, _trend_points(Scope(), period)


def _agency_figures(agency: Agency, period: Period):
    codes = element_order()
    scope = Scope(agency=agency)
    found = results(scope=scope, start=period.start, end=period.end, codes=codes)
    ranked = service_ranking(agency=agency, start=period.start, end=period.end, codes=codes)
    return found, ranked, _trend_points(scope, period)


def regency(request):
    period, period_error = _chosen_period(request)
    found, ranking, trend = period_cached(("regency", period.key), period.end, lambda: _regency_figures(period))
    context = {
        **_page_context(period, period_error, found),
        "ranking": _ranked_rows((ranked.agency, ranked.index) for ranked in ranking),
        "trend": _trend_rows(trend),
        "followup": followup_status(Recommendation.objects.filter(agency__is_active=True), latest=0),
    }
    return render(request, "reports/public_regency.html", context)


def agency(request, code: str):
    agency = get_object_or_404(Agency, code=code, is_active=True)
    period, period_error = _chosen_period(request)
    found, ranked, trend = period_cached(
        ("agency", agency.pk, period.key), period.end, lambda: _agency_figures(agency, period)
    )
    services = [(service, index) for service, index in ranked if service.is_published]
    services.sort(key=lambda item: (item[1].score is None, -(item[1].score or 0), item[0].name))
    context = {
        **_page_context(period, period_error, found),
        "agency": agency,
        "sample": found.sample,
        "profile": profile_tables(found.profile),
        "services": _ranked_rows(services),
        "trend": _trend_rows(trend),
        "followup": followup_status(agency.recommendations.all()),
        "answers": published_answers(agency=agency, limit=ANSWERS_SHOWN),
        "done_actions": _done_actions(agency.recommendations.all(), DONE_ACTIONS_SHOWN),
    }
    return render(request, "reports/public_agency.html", context)


def _dated_actions() -> QuerySet[RecommendationAction]:
    """Actions with the dates they were last reported complete and verified (or None)."""
    return RecommendationAction.objects.only("recommendation", "element_code", "text", "status").annotate(
        completed_at=Max("events__at", filter=Q(events__kind=EventKind.COMPLETED)),
        verified_at=Max("events__at", filter=Q(events__kind=EventKind.VERIFIED)),
    )


def _action_row(action: RecommendationAction) -> dict:
    """What may be published of an action: its text, element and state, and for one carried out
    the dates it was reported complete and verified, so the page can say it in plain words."""
    return {
        "element": action.element_code,
        "text": action.text,
        "status": action.get_status_display(),
        "is_done": action.status in (ActionStatus.COMPLETED, ActionStatus.VERIFIED),
        "is_verified": action.status == ActionStatus.VERIFIED,
        "completed_at": action.completed_at,
        "verified_at": action.verified_at,
    }


def _done_actions(recommendations: QuerySet[Recommendation], count: int) -> list[dict]:
    """The newest ``count`` actions of ``recommendations`` reported complete or verified, the
    latest carried out first."""
    done = (
        _dated_actions()
        .filter(recommendation__in=recommendations, status__in=(ActionStatus.COMPLETED, ActionStatus.VERIFIED))
        .annotate(done_at=Coalesce("verified_at", "completed_at"))
        .order_by(F("done_at").desc(nulls_last=True), "-pk")[:count]
    )
    return [_action_row(action) for action in done]


def followup_status(recommendations: QuerySet[Recommendation], *, latest: int = LATEST_RECOMMENDATIONS) -> dict:
    """How far ``recommendations`` and their actions have been followed up: counts per state,
    and the ``latest`` recommendations with their actions, reduced to what may be published."""
    by_status = dict(recommendations.order_by().values_list("status").annotate(n=Count("pk")))
    actions = RecommendationAction.objects.filter(recommendation__in=recommendations)
    by_action = dict(actions.order_by().values_list("status").annotate(n=Count("pk")))
    return {
        "total": sum(by_status.values()),
        "statuses": [(value, label, by_status.get(value, 0)) for value, label in RecommendationStatus.choices],
        "action_total": sum(by_action.values()),
        "action_statuses": [(value, label, by_action.get(value, 0)) for value, label in ActionStatus.choices],
        "latest": _published_recommendations(recommendations, latest) if latest else [],
    }


def _published_recommendations(recommendations: QuerySet[Recommendation], count: int) -> list[dict]:
    """The newest ``count`` recommendations as plain rows: title, period, state, due date and
    the text and state of each action; never findings, plans, notes or evidence."""
    today = timezone.localdate()
    actions = _dated_actions()
    chosen = (
        recommendations.only("title", "period_key", "status", "due_date", "issued_at")
        .prefetch_related(Prefetch("actions", queryset=actions.order_by("position", "pk")))
        .order_by("-issued_at", "-pk")[:count]
    )
    return [
        {
            "title": recommendation.title,
            "period": _period_label(recommendation.period_key),
            "status": recommendation.get_status_display(),
            "due_date": recommendation.due_date,
            "is_overdue": recommendation.is_overdue(today),
            "actions": [_action_row(action) for action in recommendation.actions.all()],
        }
        for recommendation in chosen
    ]


def _period_label(key: str) -> str:
    try:
        return periods.parse(key).label
    except PeriodError:
        return key


def _offered_periods() -> list[Period]:
    """Named periods of the years with data (at least the last three), none in the future."""
    today = timezone.localdate()
    years = data_years(*tallied_days(), today)
    return [period for period in periods.choices(years) if period.start <= today]


def _chosen_period(request) -> tuple[Period, str]:
    """The named period asked for, else the current semester, with a message when the one asked
    for cannot be shown (date ranges included: see ``reports.opendata.named_period``)."""
    try:
        return named_period(request.GET.get(PERIOD_PARAM)), ""
    except PeriodError as error:
        default = periods.current_semester()
        return default, _("%(problem)s Showing %(period)s instead.") % {"problem": error, "period": default.label}


def _page_context(period: Period, period_error: str, found: Results) -> dict:
    offered = _offered_periods()
    if period not in offered:
        offered.insert(0, period)
    return {
        "period": period,
        "period_error": period_error,
        "period_param": PERIOD_PARAM,
        "period_query": urlencode({PERIOD_PARAM: period.key}),
        "period_choices": offered,
        "summary": {
            **_summary(found.index),
            "held": found.held,
            "versions": ", ".join(str(v) for v in found.versions) if found.spans_versions else "",
            "answered_elements": found.answered_elements,
        },
        "small_sample": SMALL_SAMPLE,
        "elements": _element_rows(found),
    }


def _summary(index: IndexResult) -> dict:
    national = index.national
    return {
        "respondents": index.respondents,
        "index": round_half_up(index.index, 4) if index.index is not None else None,
        "score": index.score,
        "grade": index.grade,
        "performance": PERFORMANCE.get(index.grade),
        "small_sample": 0 < index.respondents < SMALL_SAMPLE,
        "national": (
            {"score": national.score, "grade": national.grade, "performance": PERFORMANCE.get(national.grade)}
            if national is not None and national.score is not None
            else None
        ),
    }


def _element_rows(found: Results) -> list[dict]:
    questions = element_questions()
    names = element_names()
    return [
        {
            "code": element.code,
            "name": names.get(element.code) or element.code,
            "question": questions.get(element.code, element.code),
            "responses": element.responses,
            "nrr": round_half_up(element.nrr, 3) if element.nrr is not None else None,
            "score": element.score,
            "grade": element.grade,
            "performance": PERFORMANCE.get(element.grade),
        }
        for element in found.index.elements
    ]


def _ranked_rows(items) -> list[dict]:
    """Rows of a ranking already sorted best first: equal scores share a rank, no data gets none."""
    rows, rank, previous = [], None, None
    for position, (item, index) in enumerate(items, start=1):
        if index.score is not None and index.score != previous:
            rank, previous = position, index.score
        rows.append({"item": item, "rank": rank if index.score is not None else None, **_summary(index)})
    return rows


def _trend_points(scope: Scope, period: Period) -> list[tuple[Period, IndexResult]]:
    """The index in each of the semesters up to ``period``, oldest first: the numbers of the
    trend chart, which reads them the same way."""
    return charts.trend(scope=scope, semesters=charts.semesters_until(period.end, TREND_SEMESTERS))


def _trend_rows(points: list[tuple[Period, IndexResult]]) -> list[dict]:
    return [{"period": semester, **_summary(index)} for semester, index in points]
