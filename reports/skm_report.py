"""The Laporan Hasil Survei Kepuasan Masyarakat of one agency for one period, as an A4 PDF, in
the structure Indonesian agencies use (BAB I–V and annexes).

The report is written in the reader's language: Indonesian by default (the official document),
English for staff who read the application in English. Its sentences, and the words it shares
with the pages (period names, respondent categories, recommendation statuses), come from the
catalogue of the language active while rendering.

Every number comes from ``surveys.selectors`` (the tallies), the same numbers the results pages
show; only the suggestions annex lists responses.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from agencies.models import Agency
from documents.stamp import Stamp
from evaluations.models import Recommendation, RecommendationAction, RecommendationStatus
from reports import charts
from reports.pdf import render
from reports.pdf_skm_analysis import TREND_PREVIOUS, chapter_analysis, chapter_conclusion
from reports.pdf_skm_annex import annexes
from reports.pdf_skm_body import chapter_data, chapter_introduction, chapter_results, cover, regency_name
from reports.pdf_skm_front import approval_page, contents, foreword
from standards.models import Service
from surveys import selectors
from surveys.index import ElementResult, IndexResult
from surveys.models import Questionnaire, Response
from surveys.periods import Period

# The suggestions annex lists the newest this many of the period and states the total: a list of
# every suggestion grows with the responses (thousands at regency size) and nobody reads it in a
# printed report; the staff suggestions page and the responses export hold them all.
SUGGESTIONS_SHOWN = 100
EXTREMES = 3


@dataclass
class SkmReport:
    """What the report says, gathered before anything is laid out."""

    agency: Agency
    period: Period
    results: selectors.Results
    questions: dict[str, str]
    names: dict[str, str]
    spread: dict[str, dict[int, int]]
    days: tuple[datetime.date | None, datetime.date | None]
    services: list[tuple[Service, IndexResult]]
    trend: list[tuple[str, IndexResult]]
    open_actions: list[RecommendationAction]
    previous: list[Recommendation]
    suggestions: list[Response]
    suggestion_total: int
    questionnaires: list[Questionnaire]

    @property
    def index(self) -> IndexResult:
        return self.results.index

    def extremes(self) -> tuple[list[ElementResult], list[ElementResult]]:
        """The strongest and the weakest elements (up to three each, never the same element
        twice unless only one was answered)."""
        ordered = self.results.weakest_first()
        count = min(EXTREMES, max(1, len(ordered) // 2)) if ordered else 0
        return list(reversed(ordered))[:count], ordered[:count]


def open_follow_up(agency: Agency) -> QuerySet[RecommendationAction]:
    """The actions of every recommendation to ``agency`` not yet verified, oldest first."""
    return (
        RecommendationAction.objects.filter(recommendation__agency=agency)
        .exclude(recommendation__status=RecommendationStatus.VERIFIED)
        .select_related("recommendation")
        .order_by("recommendation__period_start", "recommendation__issued_at", "recommendation_id", "position", "pk")
    )


def previous_recommendations(agency: Agency, period: Period) -> list[Recommendation]:
    """The recommendations of the most recent period that ended before ``period`` starts."""
    earlier = Recommendation.objects.filter(agency=agency, period_end__lt=period.start)
    latest = earlier.order_by("-period_end", "-period_start").first()
    if latest is None:
        return []
    same = earlier.filter(period_start=latest.period_start, period_end=latest.period_end)
    return list(same.prefetch_related("actions").order_by("issued_at", "pk"))


def _questionnaires(agency: Agency, period: Period) -> list[Questionnaire]:
    """The questionnaire versions answered in the period (from the tallies), else the current one."""
    period_rows = selectors.tally_period(period.start, period.end)
    rows = selectors.Scope(agency=agency).tallies("respondents").filter(period_rows)
    used = rows.values_list("questionnaire", flat=True).distinct()
    found = list(Questionnaire.objects.filter(pk__in=used).prefetch_related("elements").order_by("version"))
    return found or list(Questionnaire.objects.filter(is_current=True).prefetch_related("elements"))


def gather(*, agency: Agency, period: Period) -> SkmReport:
    scope = selectors.Scope(agency=agency)
    results = selectors.results(scope=scope, start=period.start, end=period.end)
    before = charts.semesters_until(period.start - datetime.timedelta(days=1), TREND_PREVIOUS)
    trend = [(semester.label, index) for semester, index in charts.trend(scope=scope, semesters=before)]
    suggestions, suggestion_total = selectors.suggestions_shown(
        scope=scope, start=period.start, end=period.end, limit=SUGGESTIONS_SHOWN
    )
    return SkmReport(
        agency=agency,
        period=period,
        results=results,
        questions=selectors.element_questions(),
        names=selectors.element_names(),
        spread=selectors.answer_spread(scope=scope, start=period.start, end=period.end),
        days=selectors.response_days(scope=scope, start=period.start, end=period.end),
        services=selectors.service_ranking(agency=agency, start=period.start, end=period.end),
        trend=[*trend, (period.label, results.index)],
        open_actions=list(open_follow_up(agency)),
        previous=previous_recommendations(agency, period),
        suggestions=suggestions,
        suggestion_total=suggestion_total,
        questionnaires=_questionnaires(agency, period),
    )


def render_skm_report(*, agency: Agency, period: Period, stamp: Stamp, language: str | None = None) -> bytes:
    """The SKM report of ``agency`` for ``period`` as A4 PDF bytes with the verification
    ``stamp`` on every page, in ``language`` if given, else in the active language (Indonesian
    unless the reader chose English)."""
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        report = gather(agency=agency, period=period)
        story = [
            *cover(report),
            *approval_page(report),
            *foreword(report),
            *contents(),
            *chapter_introduction(report),
            *chapter_data(report),
            *chapter_results(report),
            *chapter_analysis(report),
            *chapter_conclusion(report),
            *annexes(report),
        ]
        names = {"agency": agency.name, "period": period.label}
        return render(
            story,
            title=_("SKM results report %(agency)s %(period)s") % names,
            subject=_("Community Satisfaction Survey Results Report"),
            header=_("Community Satisfaction Survey Results Report · %(agency)s") % names,
            footer=f"SI-PUTRI · {regency_name()} · {period.label}",
            stamp=stamp,
        )
