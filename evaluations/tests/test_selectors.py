"""The dashboard reads: periods, open and overdue counts, agencies left without a
recommendation, the regency trend, announcements not yet read, and the operator's own view."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from agencies.models import Agency
from evaluations import selectors, services
from evaluations.models import AnnouncementRead, RecommendationStatus, RequestStatus
from surveys import periods
from surveys.services import population_set

ISSUE_DAY = datetime.date(2026, 7, 10)
"""The pinned clock while recommendations are issued (2026-S2; the last ended semester is
2026-S1)."""


@pytest.fixture
def clock(monkeypatch):
    """timezone.localdate() reads ISSUE_DAY, so services validate due dates against it."""
    real = timezone.localdate

    def pinned(value=None, timezone=None):
        return ISSUE_DAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", pinned)
    return ISSUE_DAY


def issue(agency, actor, *, period="2026-S1", due=datetime.date(2026, 8, 31), title="Shorten the queue", actions=2):
    return services.recommendation_issue(
        agency=agency,
        period=periods.parse(period),
        title=title,
        findings="Waiting time is the weakest element.",
        actions=[{"element_code": "waktu", "text": f"Action {n}"} for n in range(1, actions + 1)],
        due_date=due,
        actor=actor,
    )


# Periods


@pytest.mark.parametrize(
    ("day", "current", "last"),
    [
        (datetime.date(2026, 1, 1), "2026-S1", "2025-S2"),
        (datetime.date(2026, 6, 30), "2026-S1", "2025-S2"),
        (datetime.date(2026, 7, 1), "2026-S2", "2026-S1"),
        (datetime.date(2026, 12, 31), "2026-S2", "2026-S1"),
    ],
)
def test_current_and_last_ended_semester_follow_the_given_day(day, current, last):
    assert selectors.semester_of(day).key == current
    assert selectors.previous_semester(selectors.semester_of(day)).key == last


def test_recent_semesters_are_the_last_six_oldest_first():
    found = selectors.recent_semesters(today=datetime.date(2026, 3, 1))
    assert [p.key for p in found] == ["2023-S2", "2024-S1", "2024-S2", "2025-S1", "2025-S2", "2026-S1"]


# Open and overdue counts


def test_nothing_open_means_no_counts(db, agency_a):
    assert selectors.overdue_counts(today=ISSUE_DAY) == {}


def test_recommendation_past_its_due_date_is_overdue(clock, agency_a, agency_b, evaluator):
    issue(agency_a, evaluator, due=datetime.date(2026, 8, 31))
    issue(agency_b, evaluator, due=datetime.date(2026, 12, 1))

    on_due_day = selectors.overdue_counts(today=datetime.date(2026, 8, 31))
    assert on_due_day[agency_a.pk] == selectors.AgencyCounts(1, 0, 0)

    day_after = selectors.overdue_counts(today=datetime.date(2026, 9, 1))
    # The recommendation and both its unplanned actions (due with it) are late; B is not.
    assert day_after[agency_a.pk] == selectors.AgencyCounts(1, 1, 2)
    assert day_after[agency_a.pk].overdue == 3
    assert day_after[agency_b.pk] == selectors.AgencyCounts(1, 0, 0)


def test_action_is_overdue_after_its_planned_target_date(clock, agency_a, evaluator, operator_a):
    recommendation = issue(agency_a, evaluator, due=datetime.date(2026, 8, 31))
    services.recommendation_acknowledge(recommendation=recommendation, actor=operator_a)
    first = recommendation.actions.first()
    services.action_plan(
        action=first,
        activity="Open a second counter",
        responsible="Head of services",
        target_date=datetime.date(2026, 8, 20),
        actor=operator_a,
    )

    counts = selectors.overdue_counts(today=datetime.date(2026, 8, 25))

    assert counts[agency_a.pk].overdue_recommendations == 0
    assert counts[agency_a.pk].overdue_actions == 1


def test_actions_reported_complete_are_not_overdue(clock, agency_a, evaluator, operator_a):
    recommendation = issue(agency_a, evaluator, due=datetime.date(2026, 8, 31), actions=1)
    services.recommendation_acknowledge(recommendation=recommendation, actor=operator_a)
    action = recommendation.actions.get()
    services.action_plan(
        action=action, activity="Second counter", responsible="Head", target_date=ISSUE_DAY, actor=operator_a
    )
    services.action_complete(action=action, note="Counter opened.", evidence=None, actor=operator_a)

    counts = selectors.overdue_counts(today=datetime.date(2026, 9, 15))

    # The recommendation waits for verification: still open, but the agency owes nothing, so
    # it is not late.
    assert counts[agency_a.pk] == selectors.AgencyCounts(1, 0, 0)
    assert not recommendation.__class__.objects.get(pk=recommendation.pk).is_overdue(datetime.date(2026, 9, 15))


def test_verified_recommendation_is_neither_open_nor_overdue(clock, agency_a, evaluator, operator_a):
    recommendation = issue(agency_a, evaluator, due=datetime.date(2026, 8, 31), actions=1)
    services.recommendation_acknowledge(recommendation=recommendation, actor=operator_a)
    action = recommendation.actions.get()
    services.action_plan(
        action=action, activity="Second counter", responsible="Head", target_date=ISSUE_DAY, actor=operator_a
    )
    services.action_complete(action=action, note="Counter opened.", evidence=None, actor=operator_a)
    services.action_verify(action=action, actor=evaluator)

    assert selectors.overdue_counts(today=datetime.date(2026, 9, 15)) == {}


# Agencies without a recommendation


def test_agencies_without_recommendation_for_the_period(clock, agency_a, agency_b, evaluator):
    Agency.objects.create(code="OPD-C", name="Closed agency", is_active=False)
    issue(agency_a, evaluator, period="2026-S1")
    issue(agency_b, evaluator, period="2026-S2")

    without = selectors.agencies_without_recommendation(period=periods.parse("2026-S1"))

    assert [agency.code for agency in without] == ["OPD-B"]


# Overseers


def test_overseer_dashboard_lists_every_active_agency_with_both_semesters(
    clock, agency_a, agency_b, service_a, service_b, evaluator, submit
):
    submit(service_a, answers=4, day=datetime.date(2026, 3, 2))
    submit(service_b, answers=3, day=datetime.date(2026, 8, 1))
    issue(agency_b, evaluator, period="2026-S1", due=datetime.date(2026, 8, 31))

    board = selectors.dashboard_for_overseer(today=datetime.date(2026, 9, 1))

    assert (board.current.key, board.last.key) == ("2026-S2", "2026-S1")
    rows = {row.agency.code: row for row in board.rows}
    assert [row.agency.name for row in board.rows] == sorted(row.agency.name for row in board.rows)
    assert rows["OPD-A"].last.score == Decimal("100.00")
    assert rows["OPD-A"].current.score is None
    assert rows["OPD-B"].current.score == Decimal("75.00")
    assert rows["OPD-B"].last.score is None
    assert rows["OPD-B"].counts == selectors.AgencyCounts(1, 1, 2)
    assert rows["OPD-A"].counts == selectors.AgencyCounts()
    assert (board.open_total, board.overdue_total) == (1, 3)
    assert [agency.code for agency in board.without_recommendation] == ["OPD-A"]


def test_regency_trend_has_six_semesters_and_only_the_current_is_provisional(db, service_a, submit):
    submit(service_a, answers=4, day=datetime.date(2025, 10, 1))
    submit(service_a, answers=2, day=datetime.date(2026, 2, 1))

    trend = selectors.regency_trend(today=datetime.date(2026, 3, 1))

    assert [point.period.key for point in trend.points][-3:] == ["2025-S1", "2025-S2", "2026-S1"]
    assert [point.provisional for point in trend.points] == [False] * 5 + [True]
    assert trend.current.index.score == Decimal("50.00")
    assert trend.last.index.score == Decimal("100.00")
    assert trend.points[0].index.score is None


def test_admin_overview_counts_new_requests_and_active_users(clock, operator_a, operator_b, super_admin):
    first = services.request_create(actor=operator_a, category="fix", subject="Typo", description="On the poster.")
    services.request_create(actor=operator_b, category="feature", subject="Export", description="As XLSX.")
    services.request_comment(request=first, actor=super_admin, text="Fixed.", status=RequestStatus.DONE)
    operator_b.is_active = False
    operator_b.save()

    overview = selectors.admin_overview()

    assert overview.new_requests == 1
    assert overview.active_users == 2
    assert len(overview.audit) <= selectors.AUDIT_ENTRIES
    stamps = [entry.timestamp for entry in overview.audit]
    assert stamps == sorted(stamps, reverse=True)
    assert overview.audit[0] == LogEntry.objects.order_by("-timestamp").first()


# Operators


def test_unread_announcements_are_those_addressed_to_the_agency(
    db, agency_a, agency_b, super_admin, operator_a, operator_b, evaluator
):
    everyone = services.announcement_publish(actor=super_admin, title="Survey closes 30 June", body="Please.")
    only_a = services.announcement_publish(actor=super_admin, title="For A", body="A only.", agencies=[agency_a])
    only_b = services.announcement_publish(actor=super_admin, title="For B", body="B only.", agencies=[agency_b])
    both = services.announcement_publish(
        actor=super_admin, title="A and B", body="Both.", agencies=[agency_a, agency_b]
    )

    assert selectors.unread_announcements(user=operator_a) == [both, only_a, everyone]
    assert selectors.unread_announcements(user=operator_b) == [both, only_b, everyone]
    assert selectors.unread_announcements(user=evaluator) == []


def test_announcement_marked_read_is_no_longer_unread(db, agency_a, super_admin, operator_a, operator_b):
    announcement = services.announcement_publish(actor=super_admin, title="Survey closes 30 June", body="Please.")

    services.announcement_mark_read(announcement=announcement, actor=operator_a)

    assert AnnouncementRead.objects.filter(user=operator_a).count() == 1
    assert selectors.unread_announcements(user=operator_a) == []
    assert selectors.unread_announcements(user=operator_b) == [announcement]


def test_operator_dashboard_shows_only_their_agency(
    clock, agency_a, agency_b, service_a, service_b, evaluator, operator_a, operator_b, super_admin, submit
):
    submit(service_a, answers=4, day=datetime.date(2026, 3, 2))
    submit(service_b, answers=1, day=datetime.date(2026, 3, 2))
    new = issue(agency_a, evaluator, title="Shorten the queue", due=datetime.date(2026, 8, 31))
    seen = issue(agency_a, evaluator, title="Publish the fees", due=datetime.date(2026, 12, 1))
    services.recommendation_acknowledge(recommendation=seen, actor=operator_a)
    done = issue(agency_a, evaluator, title="Done already", actions=1)
    services.recommendation_acknowledge(recommendation=done, actor=operator_a)
    action = done.actions.get()
    services.action_plan(action=action, activity="Fix", responsible="Head", target_date=ISSUE_DAY, actor=operator_a)
    services.action_complete(action=action, note="Done.", evidence=None, actor=operator_a)
    services.action_verify(action=action, actor=evaluator)
    issue(agency_b, evaluator, title="Secret of B")
    mine = services.request_create(actor=operator_a, category="fix", subject="Typo", description="On the poster.")
    closed = services.request_create(actor=operator_a, category="fix", subject="Old", description="Old one.")
    services.request_comment(request=closed, actor=super_admin, text="Done.", status=RequestStatus.DONE)
    services.request_create(actor=operator_b, category="fix", subject="B's request", description="B.")

    board = selectors.dashboard_for_operator(user=operator_a, today=datetime.date(2026, 9, 1))

    assert board.agency == agency_a
    assert board.last_results.index.score == Decimal("100.00")
    assert board.current_results.index.respondents == 0
    assert [r.title for r in board.new_recommendations] == ["Shorten the queue"]
    assert board.new_recommendations[0].status == RecommendationStatus.ISSUED
    assert board.new_recommendations[0].period_label
    assert [r.title for r in board.open_recommendations] == ["Publish the fees"]
    assert [(r.overdue, r.overdue_actions) for r in board.new_recommendations] == [(True, 2)]
    assert [(r.overdue, r.overdue_actions) for r in board.open_recommendations] == [(False, 0)]
    assert board.overdue_total == 3
    assert board.open_requests == [mine]
    assert new.pk in {r.pk for r in board.new_recommendations}


def test_operator_dashboard_gives_sample_adequacy_once_population_is_entered(
    clock, agency_a, service_a, operator_a, submit
):
    semester = periods.parse("2026-S1")
    submit(service_a, answers=4, day=datetime.date(2026, 3, 2))
    population_set(
        agency=agency_a, service=None, start=semester.start, end=semester.end, population=100, actor=operator_a
    )

    board = selectors.dashboard_for_operator(user=operator_a, today=datetime.date(2026, 9, 1))

    assert board.last_results.sample.minimum == 80
    assert board.last_results.sample.respondents == 1
    assert board.current_results.sample is None


def test_operator_dashboard_caps_announcements_and_says_there_are_more(db, agency_a, super_admin, operator_a):
    for number in range(selectors.OPERATOR_LIST_LIMIT + 1):
        services.announcement_publish(actor=super_admin, title=f"Notice {number}", body="Body.")

    board = selectors.dashboard_for_operator(user=operator_a, today=ISSUE_DAY)

    assert len(board.announcements) == selectors.OPERATOR_LIST_LIMIT
    assert board.more_announcements is True


def test_operator_dashboard_is_for_operators_only(db, evaluator):
    with pytest.raises(ValueError):
        selectors.dashboard_for_operator(user=evaluator)


def test_operator_dashboard_counts_only_late_actions_not_yet_complete(clock, agency_a, evaluator, operator_a):
    recommendation = issue(agency_a, evaluator, due=datetime.date(2026, 8, 31), actions=3)
    services.recommendation_acknowledge(recommendation=recommendation, actor=operator_a)
    done, planned, _unplanned = recommendation.actions.all()
    for action in (done, planned):
        services.action_plan(
            action=action, activity="Work", responsible="Head", target_date=datetime.date(2026, 8, 1), actor=operator_a
        )
    services.action_complete(action=done, note="Done.", evidence=None, actor=operator_a)

    board = selectors.dashboard_for_operator(user=operator_a, today=datetime.date(2026, 8, 15))

    # Late: the planned action (1 August). Not late: the completed one, and the unplanned one
    # that follows the recommendation's due date (31 August).
    [listed] = board.open_recommendations
    assert (listed.overdue, listed.overdue_actions) == (False, 1)
    assert selectors.overdue_counts(today=datetime.date(2026, 8, 15))[agency_a.pk].overdue_actions == 1
