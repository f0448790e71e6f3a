"""Reads of the evaluation loop for the dashboards.

Every function here runs a fixed number of queries, however many agencies, recommendations or
responses there are: counts are aggregated in the database and scores come from
``surveys.selectors`` (which read tallies). Each takes ``today`` so that tests can pin the clock;
the periods shown are derived from it, never from the wall clock.
"""

import datetime
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.access import scope
from accounts.models import Role, User
from agencies.models import Agency
from evaluations.models import (
    AGENCY_OWES,
    ActionStatus,
    Announcement,
    AnnouncementRead,
    OperatorRequest,
    Recommendation,
    RecommendationAction,
    RecommendationStatus,
    RequestStatus,
)
from surveys import periods
from surveys.index import IndexResult
from surveys.labels import PERFORMANCE
from surveys.periods import Period
from surveys.selectors import (
    Results,
    Scope,
    agency_ranking_cached,
    element_names,
    element_order,
    element_questions,
    results,
    scope_index_cached,
)

TREND_SEMESTERS = 6
AUDIT_ENTRIES = 5
OPERATOR_LIST_LIMIT = 20
OPEN_REQUEST_STATUSES = (RequestStatus.NEW, RequestStatus.IN_PROGRESS)
ACTION_DONE_STATUSES = (ActionStatus.COMPLETED, ActionStatus.VERIFIED)


# Periods -------------------------------------------------------------------------------------


def semester_of(day: datetime.date) -> Period:
    """The semester that contains ``day``."""
    return periods.semester(day.year, 1 if day.month <= 6 else 2)


def previous_semester(period: Period) -> Period:
    """The semester just before the semester ``period``."""
    if period.start.month == 1:
        return periods.semester(period.start.year - 1, 2)
    return periods.semester(period.start.year, 1)


def recent_semesters(*, today: datetime.date, count: int = TREND_SEMESTERS) -> list[Period]:
    """The last ``count`` semesters up to and including the current one, oldest first."""
    found = [semester_of(today)]
    while len(found) < count:
        found.append(previous_semester(found[-1]))
    return found[::-1]


# Overdue and open counts ---------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyCounts:
    """An agency's open recommendations and what of them is past its date."""

    open_recommendations: int = 0
    overdue_recommendations: int = 0
    overdue_actions: int = 0

    @property
    def overdue(self) -> int:
        return self.overdue_recommendations + self.overdue_actions


def _overdue_actions(today: datetime.date) -> Q:
    """From a Recommendation: its actions not reported complete whose target date (the plan's,
    else the recommendation's due date) is before ``today`` — RecommendationAction.is_overdue."""
    return ~Q(actions__status__in=ACTION_DONE_STATUSES) & (
        Q(actions__plan_target_date__lt=today) | Q(actions__plan_target_date__isnull=True, due_date__lt=today)
    )


def overdue_counts(*, today: datetime.date | None = None) -> dict[int, AgencyCounts]:
    """Agency id → its open recommendations (not verified), those among them due before
    ``today``, and its overdue actions (not reported complete, target date before ``today``).
    Agencies with nothing open are absent. Two queries."""
    today = today or timezone.localdate()
    recommendations = (
        Recommendation.objects.exclude(status=RecommendationStatus.VERIFIED)
        .values("agency")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today, status__in=AGENCY_OWES)))
        .order_by()
    )
    actions = dict(
        RecommendationAction.objects.annotate(due=Coalesce("plan_target_date", "recommendation__due_date"))
        .exclude(status__in=ACTION_DONE_STATUSES)
        .filter(due__lt=today)
        .values_list("recommendation__agency")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {
        row["agency"]: AgencyCounts(row["open"], row["overdue"], actions.get(row["agency"], 0))
        for row in recommendations
    }
    for agency_id, overdue in actions.items():
        counts.setdefault(agency_id, AgencyCounts(overdue_actions=overdue))
    return counts


def agencies_without_recommendation(*, period: Period) -> QuerySet[Agency]:
    """Active agencies that were given no recommendation for ``period`` (matched on the
    period's key, e.g. ``2026-S1``), by name. One query when evaluated."""
    given = Recommendation.objects.filter(agency=OuterRef("pk"), period_key=period.key)
    return Agency.objects.filter(is_active=True).exclude(Exists(given)).order_by("name")


# Evaluators, leaders, super admins ------------------------------------------------------------


@dataclass(frozen=True)
class AgencyRow:
    agency: Agency
    current: IndexResult
    last: IndexResult
    counts: AgencyCounts


@dataclass(frozen=True)
class OverseerDashboard:
    """What evaluators, leaders and super admins see of every agency."""

    today: datetime.date
    current: Period
    last: Period
    rows: list[AgencyRow]
    without_recommendation: list[Agency]

    @property
    def open_total(self) -> int:
        return sum(row.counts.open_recommendations for row in self.rows)

    @property
    def overdue_total(self) -> int:
        return sum(row.counts.overdue for row in self.rows)


def dashboard_for_overseer(*, today: datetime.date | None = None) -> OverseerDashboard:
    """Every active agency, by name, with its score in the current semester (provisional) and in
    the last ended semester, its open recommendations and overdue items; and the active agencies
    given no recommendation for the last ended semester. A fixed number of queries."""
    today = today or timezone.localdate()
    current = semester_of(today)
    last = previous_semester(current)
    now = {ranked.agency.pk: ranked for ranked in agency_ranking_cached(start=current.start, end=current.end)}
    before = {ranked.agency.pk: ranked.index for ranked in agency_ranking_cached(start=last.start, end=last.end)}
    counts = overdue_counts(today=today)
    rows = [
        AgencyRow(
            agency=ranked.agency,
            current=ranked.index,
            last=before[pk],
            counts=counts.get(pk, AgencyCounts()),
        )
        for pk, ranked in now.items()
        if pk in before
    ]
    rows.sort(key=lambda row: (row.agency.name, row.agency.code))
    return OverseerDashboard(
        today=today,
        current=current,
        last=last,
        rows=rows,
        without_recommendation=list(agencies_without_recommendation(period=last)),
    )


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    index: IndexResult
    provisional: bool


@dataclass(frozen=True)
class RegencyTrend:
    points: list[TrendPoint]

    @property
    def current(self) -> TrendPoint:
        return self.points[-1]

    @property
    def last(self) -> TrendPoint | None:
        return self.points[-2] if len(self.points) > 1 else None


def regency_trend(*, today: datetime.date | None = None, count: int = TREND_SEMESTERS) -> RegencyTrend:
    """The regency's index in each of the last ``count`` semesters up to the current one, oldest
    first; the current semester is provisional. A fixed number of queries per semester, none
    for an ended semester read before (``scope_index_cached``)."""
    today = today or timezone.localdate()
    codes = element_order()
    return RegencyTrend(
        [
            TrendPoint(
                period=period,
                index=scope_index_cached(scope=Scope(), start=period.start, end=period.end, codes=codes),
                provisional=period.end >= today,
            )
            for period in recent_semesters(today=today, count=count)
        ]
    )


@dataclass(frozen=True)
class AdminOverview:
    new_requests: int
    active_users: int
    audit: list[LogEntry] = field(default_factory=list)


def admin_overview(*, audit_entries: int = AUDIT_ENTRIES) -> AdminOverview:
    """For the super admin: operators' requests still marked new, active accounts, and the
    latest audit log entries, newest first. Three queries."""
    return AdminOverview(
        new_requests=OperatorRequest.objects.filter(status=RequestStatus.NEW).count(),
        active_users=User.objects.filter(is_active=True).count(),
        audit=list(LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")[:audit_entries]),
    )


# Operators ------------------------------------------------------------------------------------


def unread_announcements(*, user: User, limit: int | None = OPERATOR_LIST_LIMIT) -> list[Announcement]:
    """Announcements addressed to ``user``'s agency (or to all agencies) that ``user`` has not
    marked as read, newest first, at most ``limit``. Only operators are addressed: anyone else
    gets an empty list. One query."""
    if not user.is_active or user.role != Role.OPERATOR or user.agency_id is None:
        return []
    addressed = Announcement.agencies.through.objects.filter(announcement=OuterRef("pk"), agency=user.agency_id)
    read = AnnouncementRead.objects.filter(announcement=OuterRef("pk"), user=user)
    found = (
        Announcement.objects.filter(Q(all_agencies=True) | Exists(addressed))
        .exclude(Exists(read))
        .order_by("-created_at", "-pk")
    )
    return list(found[:limit] if limit is not None else found)


@dataclass(frozen=True)
class OperatorDashboard:
    """What an operator sees of their own agency, and nothing of any other."""

    today: datetime.date
    agency: Agency
    current: Period
    last: Period
    current_results: Results
    last_results: Results
    new_recommendations: list[Recommendation]
    open_recommendations: list[Recommendation]
    open_requests: list[OperatorRequest]
    announcements: list[Announcement]
    more_announcements: bool

    @property
    def overdue_total(self) -> int:
        """Late recommendations and late actions among those listed."""
        return sum(int(r.overdue) + r.overdue_actions for r in (*self.new_recommendations, *self.open_recommendations))


def _period_label(key: str) -> str:
    try:
        return periods.parse(key).label
    except periods.PeriodError:
        return key


def _open_recommendations(user: User, today: datetime.date) -> QuerySet[Recommendation]:
    """The user's agency's recommendations not yet verified, soonest due first, each annotated
    with ``overdue`` (due before ``today``) and ``overdue_actions`` (a count)."""
    return (
        scope(user, Recommendation.objects.all())
        .exclude(status=RecommendationStatus.VERIFIED)
        .annotate(
            overdue=ExpressionWrapper(Q(due_date__lt=today), output_field=BooleanField()),
            overdue_actions=Count("actions", filter=_overdue_actions(today)),
        )
        .order_by("due_date", "pk")
    )


def _labelled(recommendations) -> list[Recommendation]:
    found = list(recommendations)
    for recommendation in found:
        recommendation.period_label = _period_label(recommendation.period_key)
    return found


def dashboard_for_operator(*, user: User, today: datetime.date | None = None) -> OperatorDashboard:
    """The operator's agency only: its score, grade, respondents and sample adequacy in the
    current and the last ended semester; its new recommendations (issued, waiting for
    acknowledgement) and its other open ones, soonest due first, each marked when overdue; its
    open requests; and the announcements addressed to the operator not yet read, with
    ``more_announcements`` set when there are more than shown. Lists hold at most
    OPERATOR_LIST_LIMIT items. Each recommendation carries ``overdue`` (due before ``today``),
    ``overdue_actions`` (how many of its actions are late) and ``period_label``. A fixed number
    of queries."""
    if user.role != Role.OPERATOR or user.agency_id is None:
        raise ValueError("dashboard_for_operator is for agency operators")
    today = today or timezone.localdate()
    agency = user.agency
    current = semester_of(today)
    last = previous_semester(current)
    codes = element_order()
    recommendations = _open_recommendations(user, today)
    announcements = unread_announcements(user=user, limit=OPERATOR_LIST_LIMIT + 1)
    return OperatorDashboard(
        today=today,
        agency=agency,
        current=current,
        last=last,
        current_results=results(scope=Scope(agency=agency), start=current.start, end=current.end, codes=codes),
        last_results=results(scope=Scope(agency=agency), start=last.start, end=last.end, codes=codes),
        new_recommendations=_labelled(recommendations.filter(status=RecommendationStatus.ISSUED)[:OPERATOR_LIST_LIMIT]),
        open_recommendations=_labelled(
            recommendations.exclude(status=RecommendationStatus.ISSUED)[:OPERATOR_LIST_LIMIT]
        ),
        open_requests=list(
            scope(user, OperatorRequest.objects.all())
            .filter(status__in=OPEN_REQUEST_STATUSES)
            .order_by("-created_at", "-pk")[:OPERATOR_LIST_LIMIT]
        ),
        announcements=announcements[:OPERATOR_LIST_LIMIT],
        more_announcements=len(announcements) > OPERATOR_LIST_LIMIT,
    )


def snapshot_elements(snapshot: dict) -> list[dict]:
    """The elements of a recommendation's snapshot as shown: its frozen figures (code, NRR,
    score, grade) with the element's name, question and the grade's performance worded now, in
    the active language, from the code. Words an older snapshot may still hold are ignored."""
    names = element_names()
    questions = element_questions()
    shown = []
    for element in snapshot.get("elements") or []:
        code = element.get("code", "")
        shown.append(
            {
                **element,
                "name": names.get(code, code),
                "question": questions.get(code, ""),
                "performance": PERFORMANCE.get(element.get("grade") or ""),
            }
        )
    return shown
