"""The dashboard of each role: evaluators and super admins see every agency and where to issue a
recommendation, the leader the same read-only with the regency trend, the super admin the
administration figures too, and an operator their own agency only."""

import datetime
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from agencies.models import Agency
from evaluations import services
from evaluations.models import AnnouncementRead, RecommendationAction
from standards.models import Service
from surveys import periods

ISSUE_DAY = datetime.date(2026, 7, 10)
LOOK_DAY = datetime.date(2026, 9, 1)
"""Recommendations are issued on ISSUE_DAY and the dashboards looked at on LOOK_DAY: both in
2026-S2, so the last ended semester is 2026-S1."""

DASHBOARD = reverse("accounts:dashboard")


class Clock:
    today = ISSUE_DAY


@pytest.fixture
def clock(monkeypatch):
    """timezone.localdate() reads clock.today; move it to look at the dashboards later."""
    real = timezone.localdate
    clock = Clock()

    def pinned(value=None, timezone=None):
        return clock.today if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", pinned)
    return clock


def issue(agency, actor, *, title, period="2026-S1", due=datetime.date(2026, 8, 31), actions=1):
    return services.recommendation_issue(
        agency=agency,
        period=periods.parse(period),
        title=title,
        findings="Waiting time is the weakest element.",
        actions=[{"element_code": "waktu", "text": f"Action {n}"} for n in range(1, actions + 1)],
        due_date=due,
        actor=actor,
    )


def reverse_or_none(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def page(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return response.content.decode()


def main(html):
    """The page's own content, without the header's language and sign-out forms."""
    return html[html.index("<main") : html.index("</main>")]


def element(html, element_id):
    """The element with this id, up to the end of its line (rows and items are one line each)."""
    match = re.search(rf'<(\w+)[^>]*id="{re.escape(element_id)}"[^>]*>.*?</\1>', html, re.S)
    assert match, f"no element #{element_id}"
    return match.group(0)


def expected_issue_link(agency, period="2026-S1"):
    """The issue page for the last ended semester, or, while it does not exist, the agency's
    results of that semester."""
    issue_url = reverse_or_none("evaluations:recommendation_issue", agency.code)
    if issue_url:
        return f'href="{issue_url}?periode={period}"'
    return f'href="{reverse("results:agency", args=[agency.code])}?period={period}"'


@pytest.fixture
def loop(clock, agency_a, agency_b, service_a, service_b, evaluator, submit):
    """Scores in 2026-S1 for both agencies; A has an overdue recommendation for 2026-S1 (due
    31 August, looked at on 1 September), B has one for 2026-S2 only, not yet due."""
    submit(service_a, answers=4, day=datetime.date(2026, 3, 2))
    submit(service_b, answers=3, day=datetime.date(2026, 3, 2))
    submit(service_b, answers=2, day=datetime.date(2026, 7, 5))
    late = issue(agency_a, evaluator, title="Shorten the queue at the counter", actions=2)
    other = issue(agency_b, evaluator, title="Secret of agency B", period="2026-S2", due=datetime.date(2026, 12, 1))
    clock.today = LOOK_DAY
    return {"late": late, "other": other}


# Evaluator


def test_evaluator_sees_every_agency_with_both_semesters_and_counts(client, loop, evaluator):
    html = page(client, evaluator)

    row_a = element(html, "agency-OPD-A")
    row_b = element(html, "agency-OPD-B")
    assert "Dinas Kependudukan dan Pencatatan Sipil" in row_a
    assert "100.00" in row_a  # 2026-S1
    assert "75.00" in row_b  # 2026-S1
    assert "50.00" in row_b  # 2026-S2 so far
    assert "Score Semester II 2026" in html and "Score Semester I 2026" in html
    assert element(html, "open-total").endswith(">2</strong>")


def test_overdue_items_are_marked_with_a_badge(client, loop, evaluator):
    html = page(client, evaluator)

    row_a = element(html, "agency-OPD-A")
    assert 'class="badge overdue">Overdue<' in row_a
    assert "1 recommendation, 2 actions" in row_a
    assert "Overdue" not in element(html, "agency-OPD-B")
    assert element(html, "overdue-total").endswith(">3</strong>")


def test_nothing_is_overdue_the_day_it_is_due(client, loop, evaluator, clock):
    clock.today = datetime.date(2026, 8, 31)

    html = page(client, evaluator)

    assert "badge overdue" not in html
    assert element(html, "overdue-total").endswith(">0</strong>")


def test_evaluator_sees_agencies_without_recommendation_with_a_link_to_issue_one(client, loop, evaluator):
    html = page(client, evaluator)

    assert "Agencies without a recommendation for Semester I 2026" in html
    without_b = element(html, "without-OPD-B")
    assert "Dinas Penanaman Modal dan PTSP" in without_b
    assert expected_issue_link(loop["other"].agency) in without_b
    assert 'id="without-OPD-A"' not in html


def test_every_agency_with_a_recommendation_says_so(client, loop, evaluator, agency_b):
    issue(agency_b, evaluator, title="For the last semester", due=datetime.date(2026, 12, 1))

    html = page(client, evaluator)

    assert 'id="without-none"' in html
    assert element(html, "without-total").endswith(">0</strong>")


def test_evaluator_sees_no_regency_trend_and_no_administration(client, loop, evaluator):
    html = page(client, evaluator)

    assert 'id="trend-title"' not in html
    assert 'id="new-requests"' not in html
    assert 'id="audit-title"' not in html


def test_dashboard_keeps_the_catalog_overview(client, loop, evaluator):
    html = page(client, evaluator)

    assert reverse("results:regency") in html
    assert reverse("standards:staff_service_list") in html
    assert "Recently changed services" in html
    assert "Penerbitan KTP-el" in html
    assert "Agencies without a published service pledge" in html


# Leader


def test_leader_sees_the_agencies_read_only(client, loop, leader):
    html = page(client, leader)

    assert "Agencies without a recommendation for Semester I 2026" in html
    assert "Dinas Penanaman Modal dan PTSP" in element(html, "without-OPD-B")
    assert "Issue a recommendation" not in html
    assert "to issue a recommendation" not in html
    assert "2026-S1" not in element(html, "without-OPD-B")
    assert "<form" not in main(html)
    assert 'class="badge overdue">Overdue<' in element(html, "agency-OPD-A")


def test_leader_sees_the_regency_score_and_its_trend(client, loop, leader):
    html = page(client, leader)

    trend_rows = re.findall(r'<tr id="trend-(\d{4}-S\d)"', html)
    assert trend_rows == ["2024-S1", "2024-S2", "2025-S1", "2025-S2", "2026-S1", "2026-S2"]
    # 2026-S1: one answer of 4 and one of 3 everywhere → 87.50; 2026-S2: answers of 2 → 50.00.
    assert "87.50" in element(html, "trend-2026-S1")
    assert "provisional" in element(html, "trend-2026-S2")
    assert "provisional" not in element(html, "trend-2026-S1")
    assert element(html, "regency-current").endswith(">50.00</strong>")
    assert element(html, "regency-last").endswith(">87.50</strong>")
    assert 'value="87.50"' in element(html, "trend-2026-S1")
    chart = reverse_or_none("reports:chart_trend")
    assert (chart is not None) == (f'src="{chart}?periode=2026-S2"' in html)


# Super admin


def test_super_admin_sees_everything_plus_requests_users_and_audit(
    client, loop, super_admin, operator_a, operator_b, agency_b
):
    services.request_create(actor=operator_a, category="fix", subject="Typo", description="On the poster.")
    services.request_create(actor=operator_b, category="feature", subject="Export", description="As XLSX.")

    html = page(client, super_admin)

    assert element(html, "new-requests").endswith(">2</strong>")
    assert element(html, "active-users").endswith(">4</strong>")  # super admin, evaluator, both operators
    assert 'id="audit-title"' in html
    assert reverse("accounts:audit_log") in html
    assert html.count("<tr", html.index('id="audit-title"')) == 1 + 5
    assert expected_issue_link(agency_b) in element(html, "without-OPD-B")
    assert 'id="trend-2026-S1"' in html
    requests_url = reverse_or_none("coordination:request_list")
    if requests_url:
        assert f'href="{requests_url}"' in html


# Operator


def test_operator_sees_their_agency_only(client, loop, operator_a):
    html = page(client, operator_a)

    assert "Shorten the queue at the counter" in html
    assert "Secret of agency B" not in html
    assert "Dinas Penanaman Modal dan PTSP" not in html
    assert 'id="agency-OPD-B"' not in html
    assert 'id="without-title"' not in html
    assert reverse("agencies:pledge_edit", args=["OPD-A"]) in html


def test_operator_sees_their_scores_for_both_semesters(client, loop, operator_a, agency_a):
    semester = periods.parse("2026-S1")
    from surveys.services import population_set

    population_set(
        agency=agency_a, service=None, start=semester.start, end=semester.end, population=100, actor=operator_a
    )

    html = page(client, operator_a)

    last = element(html, "own-result-2026-S1")
    assert "100.00" in last and ">A<" in last
    assert "1 of a minimum of 80" in last and "too few" in last
    current = element(html, "own-result-2026-S2")
    assert "provisional" in current and "population not entered" in current


def test_new_recommendation_asks_for_acknowledgement_and_is_marked_overdue(client, loop, operator_a):
    html = page(client, operator_a)

    box = html[html.index('id="new-recommendations-title"') : html.index('id="own-results-title"')]
    assert "New recommendations: needs your acknowledgement" in box
    assert "Shorten the queue at the counter" in box
    assert "Semester I 2026" in box
    assert 'class="badge overdue">Overdue<' in box
    assert "2 actions overdue" in box
    assert "3 items of your agency are past their date" in element(html, "overdue-notice")
    detail = reverse_or_none("evaluations:recommendation_detail", loop["late"].pk)
    if detail:
        assert f'href="{detail}"' in box


def test_acknowledged_recommendation_moves_to_the_open_list(client, loop, operator_a, clock):
    clock.today = ISSUE_DAY
    services.recommendation_acknowledge(recommendation=loop["late"], actor=operator_a)
    action = loop["late"].actions.first()
    services.action_plan(
        action=action, activity="Second counter", responsible="Head", target_date=LOOK_DAY, actor=operator_a
    )
    clock.today = LOOK_DAY

    html = page(client, operator_a)

    assert "needs your acknowledgement" not in html
    item = element(html, f"recommendation-{loop['late'].pk}")
    assert "Follow-up in progress" in item
    assert 'class="badge overdue">Overdue<' in item
    # The planned action is due on LOOK_DAY itself: only the unplanned one is late.
    assert "1 action overdue" in item


def test_operator_sees_nothing_overdue_before_the_due_date(client, loop, operator_a, clock):
    clock.today = datetime.date(2026, 8, 1)

    html = page(client, operator_a)

    assert "badge overdue" not in html
    assert 'id="overdue-notice"' not in html


def test_operator_sees_their_open_requests_only(client, loop, operator_a, operator_b, super_admin):
    services.request_create(actor=operator_a, category="fix", subject="Typo on the poster", description="Fix.")
    done = services.request_create(actor=operator_a, category="fix", subject="Already handled", description="Old.")
    services.request_comment(request=done, actor=super_admin, text="Done.", status="done")
    services.request_create(actor=operator_b, category="fix", subject="Request of agency B", description="B.")

    html = page(client, operator_a)

    assert "Typo on the poster" in html
    assert "Already handled" not in html
    assert "Request of agency B" not in html


def test_operator_sees_announcements_for_them_until_read(client, loop, operator_a, super_admin, agency_a, agency_b):
    everyone = services.announcement_publish(
        actor=super_admin, title="The Semester I survey closes on 30 June", body="Please remind your counters."
    )
    only_a = services.announcement_publish(
        actor=super_admin, title="Training for A", body="Room 2.", agencies=[agency_a]
    )
    services.announcement_publish(actor=super_admin, title="Visit to agency B", body="Room 3.", agencies=[agency_b])

    html = page(client, operator_a)

    assert "The Semester I survey closes on 30 June" in html
    assert "Please remind your counters." in html
    assert "Training for A" in html
    assert "Visit to agency B" not in html

    AnnouncementRead.objects.create(announcement=everyone, user=operator_a)
    html = page(client, operator_a)

    assert "The Semester I survey closes on 30 June" not in html
    assert f'id="announcement-{only_a.pk}"' in html


def test_announcement_has_a_mark_as_read_button_back_to_the_dashboard(client, loop, operator_a, super_admin):
    announcement = services.announcement_publish(actor=super_admin, title="Closing soon", body="Body.")

    html = page(client, operator_a)

    read_url = reverse_or_none("coordination:announcement_read", announcement.pk)
    block = element(html, f"announcement-{announcement.pk}")
    if read_url is None:
        assert "<form" not in block
    else:
        assert f'action="{read_url}"' in block
        assert f'name="next" value="{DASHBOARD}"' in block
        assert "Mark as read" in block
        client.post(read_url, {"next": DASHBOARD})
        assert "Closing soon" not in page(client, operator_a)


def test_overseers_see_no_announcement_box(client, loop, super_admin, evaluator):
    services.announcement_publish(actor=super_admin, title="Closing soon", body="Body.")

    assert "Closing soon" not in page(client, evaluator)


# Cost


def _agencies_with_loops(numbers, evaluator, submit):
    """Agencies X-nn, each with a service and responses in both semesters; every other one with
    a recommendation whose three actions are planned for 1 August (overdue on LOOK_DAY)."""
    for number in numbers:
        agency = Agency.objects.create(code=f"X-{number:02d}", name=f"Agency {number:02d}")
        service = Service.objects.create(agency=agency, code=f"X-{number:02d}-S", name=f"Service {number:02d}")
        submit(service, answers=3, day=datetime.date(2026, 3, 2))
        submit(service, answers=4, day=datetime.date(2026, 7, 2))
        if number % 2:
            recommendation = issue(agency, evaluator, title=f"Recommendation {number}", actions=3)
            RecommendationAction.objects.filter(recommendation=recommendation).update(
                plan_target_date=datetime.date(2026, 8, 1)
            )


OVERSEER_QUERY_BOUND = 50


@pytest.mark.parametrize("count", [5, 30])
@pytest.mark.parametrize("role", ["evaluator", "leader", "super_admin"])
def test_overseer_dashboard_queries_do_not_grow_with_agencies(
    client, clock, actors, evaluator, submit, questionnaire, django_assert_max_num_queries, count, role
):
    _agencies_with_loops(range(count), evaluator, submit)
    clock.today = LOOK_DAY
    client.force_login(actors[role], backend="django.contrib.auth.backends.ModelBackend")

    with django_assert_max_num_queries(OVERSEER_QUERY_BOUND):
        response = client.get(DASHBOARD)

    assert f'id="agency-X-{count - 1:02d}"' in response.content.decode()


def test_overseer_dashboard_runs_the_same_queries_for_5_and_30_agencies(
    client, clock, super_admin, evaluator, submit, questionnaire
):
    client.force_login(super_admin, backend="django.contrib.auth.backends.ModelBackend")
    _agencies_with_loops(range(5), evaluator, submit)
    clock.today = LOOK_DAY
    client.get(DASHBOARD)  # the process reads the questionnaires once, then keeps them
    # Both views read everything afresh: figures of ended semesters are otherwise served from
    # the shared cache after the first view (``agency_ranking_cached``), with fewer queries.
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        client.get(DASHBOARD)
    clock.today = ISSUE_DAY
    _agencies_with_loops(range(5, 30), evaluator, submit)
    clock.today = LOOK_DAY
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        response = client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as again:
        client.get(DASHBOARD)

    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(again.captured_queries) < len(many.captured_queries)
    assert 'id="agency-X-29"' in response.content.decode()


def test_operator_dashboard_queries_do_not_grow_with_recommendations(
    client, clock, agency_a, service_a, evaluator, operator_a, super_admin, submit
):
    client.force_login(operator_a, backend="django.contrib.auth.backends.ModelBackend")
    issue(agency_a, evaluator, title="First", actions=2)
    services.announcement_publish(actor=super_admin, title="Notice 1", body="Body.")
    clock.today = LOOK_DAY
    with CaptureQueriesContext(connection) as few:
        client.get(DASHBOARD)
    clock.today = ISSUE_DAY
    for number in range(10):
        issue(agency_a, evaluator, title=f"More {number}", actions=3)
        services.announcement_publish(actor=super_admin, title=f"More notice {number}", body="Body.")
        services.request_create(actor=operator_a, category="fix", subject=f"Request {number}", description="D.")
    clock.today = LOOK_DAY
    with CaptureQueriesContext(connection) as many:
        response = client.get(DASHBOARD)

    assert len(many.captured_queries) == len(few.captured_queries)
    assert "More notice 9" in response.content.decode()
