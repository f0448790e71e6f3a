"""`make run` loads the demo once: the OKI catalog, the demo accounts and a year of survey
responses whose results look like a real regency's (agencies in different grades, some samples
too small)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from agencies.models import Agency, AgencyKind
from demo.management.commands.load_demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from demo.responses import (
    BURST_SIZE,
    DEFAULT_TOTAL,
    JAKARTA,
    SUGGESTIONS_BAD,
    SUGGESTIONS_BY_KIND,
    SUGGESTIONS_GOOD,
    SUGGESTIONS_MIXED,
    generate,
    year_window,
)
from standards.models import Service
from surveys.models import Channel, Response, SamplePopulation, Status
from surveys.periods import current_semester
from surveys.selectors import Scope, agency_ranking, held_groups, results
from surveys.tallies import tallies_compare

SMALL = 1500
DEMO_SUGGESTIONS = {
    *SUGGESTIONS_GOOD,
    *SUGGESTIONS_MIXED,
    *SUGGESTIONS_BAD,
    *(text for texts in SUGGESTIONS_BY_KIND.values() for text in texts),
}


def load_demo(**options) -> str:
    """What `make run` does: load the demo with DEBUG on."""
    out = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def sample_checks() -> list:
    """The sample adequacy of every population the demo entered."""
    checks = []
    for record in SamplePopulation.objects.select_related("agency", "service"):
        scope = Scope(agency=record.agency, service=record.service)
        checks.append(results(scope=scope, start=record.start, end=record.end).sample)
    return checks


@pytest.mark.django_db
def test_running_the_demo_twice_keeps_the_responses_of_the_first_run():
    first = load_demo(responses=SMALL)
    stored = list(Response.objects.order_by("pk").values_list("pk", "answers"))
    second = load_demo(responses=SMALL)

    assert f"{SMALL} " in first
    assert f"{SMALL} " not in second
    assert list(Response.objects.order_by("pk").values_list("pk", "answers")) == stored
    assert len(stored) == SMALL + BURST_SIZE
    assert tallies_compare() == []


@pytest.mark.django_db
def test_the_full_demo_year_ranks_agencies_in_different_grades_with_exact_tallies():
    output = load_demo()
    start, end = year_window()

    assert Response.objects.filter(status=Status.ACCEPTED).count() == DEFAULT_TOTAL
    assert f"{DEFAULT_TOTAL} " in output
    assert tallies_compare() == []
    grades = [ranked.index.grade for ranked in agency_ranking(start=start, end=end)]
    assert {"A", "B", "C", "D"} <= set(grades)
    assert grades.count("D") == 1
    assert grades.count("A") + grades.count("B") > len(grades) * 3 // 4
    checks = sample_checks()
    assert any(not check.is_enough for check in checks)
    assert any(check.is_enough for check in checks)


@pytest.mark.django_db
def test_some_demo_agencies_have_too_few_responses_for_their_population():
    load_demo(responses=SMALL)
    semester = current_semester()
    periods = {(record.start, record.end) for record in SamplePopulation.objects.all()}

    assert (semester.start, semester.end) in periods
    assert len(periods) == 2  # the current semester and the one before it
    short = [check for check in sample_checks() if not check.is_enough]
    assert short
    assert all(check.missing == check.minimum - check.respondents for check in short)


@pytest.mark.django_db
def test_demo_responses_look_like_a_year_of_paper_and_web_surveys():
    load_demo(responses=SMALL)
    start, end = year_window()
    responses = list(Response.objects.all())

    assert all(start <= r.day <= end for r in responses)
    assert all(timezone.localtime(r.submitted_at, JAKARTA).date() == r.day for r in responses)
    assert max(r.submitted_at for r in responses) <= timezone.now()
    assert len({r.day.month for r in responses}) == 12
    assert {r.channel for r in responses} == {Channel.WEB, Channel.PAPER}
    assert all(not r.day.weekday() >= 5 or r.channel == Channel.WEB for r in responses)
    assert min(r.age for r in responses) >= 17
    assert max(r.age for r in responses) <= 75
    education = [r.education for r in responses]
    assert education.count("sma") + education.count("s1") > len(responses) / 2
    assert len({r.occupation for r in responses}) == 7
    with_suggestion = [r for r in responses if r.suggestion]
    assert 0.05 * SMALL < len(with_suggestion) < 0.15 * SMALL
    written = {r.suggestion for r in with_suggestion}
    assert written <= DEMO_SUGGESTIONS
    assert len(written) > 10
    # Staff help some at the counter (paper only), never on the web.
    assisted = [r for r in responses if r.assisted]
    assert 0 < len(assisted) < 0.3 * SMALL
    assert {r.channel for r in assisted} == {Channel.PAPER}


def test_the_same_seed_generates_the_same_responses():
    agency = Agency(code="KEC-X", name="Kecamatan X", kind=AgencyKind.KECAMATAN)
    services = [Service(pk=n, code=f"KEC-X-{n}", agency=agency, cost="Gratis") for n in (1, 2)]
    now = datetime.datetime(2026, 6, 15, 12, tzinfo=JAKARTA)
    start, end = year_window(now)

    def rows(seed):
        return list(
            generate(services=services, codes=["waktu", "biaya"], total=300, start=start, end=end, seed=seed, now=now)
        )

    assert rows(7) == rows(7)
    assert rows(7) != rows(8)
    assert len(rows(7)) == 300
    assert all(row.submitted_at <= now for row in rows(7))


@pytest.mark.django_db
def test_every_demo_account_exists_with_its_role_and_the_printed_password():
    output = load_demo(responses=0)

    assert DEMO_PASSWORD in output
    for username, role, agency_code, *_names in DEMO_ACCOUNTS:
        user = User.objects.get(username=username)
        assert user.role == role
        assert (user.agency.code if user.agency else None) == agency_code
        assert user.check_password(DEMO_PASSWORD)
        assert username in output
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_demo_follow_up_shows_every_stage_once(django_capture_on_commit_callbacks):
    from evaluations.models import Announcement, OperatorRequest, Recommendation

    load_demo(responses=SMALL)
    load_demo(responses=SMALL)
    statuses = set(Recommendation.objects.values_list("status", flat=True))
    assert {"issued", "in_progress", "completed", "verified"} <= statuses
    assert Recommendation.objects.overdue(timezone.localdate()).exists()
    assert Recommendation.objects.count() == 4  # the second run adds none
    assert OperatorRequest.objects.count() == 1
    assert Announcement.objects.count() == 1


@pytest.mark.django_db
def test_with_debug_off_the_demo_is_refused_and_nothing_is_loaded():
    with override_settings(DEBUG=False), pytest.raises(CommandError) as refused:
        call_command("load_demo", responses=0, stdout=io.StringIO(), stderr=io.StringIO())

    assert "--demo-instance" in str(refused.value)
    assert not User.objects.exists()
    assert not Service.objects.exists()


def demo_instance_passwords() -> dict[str, str]:
    """Load the demo as a public demonstration server; the password printed for each account."""
    out = io.StringIO()
    with override_settings(DEBUG=False):
        call_command("load_demo", "--demo-instance", responses=0, stdout=out, stderr=io.StringIO())
    printed = {}
    for line in out.getvalue().splitlines():
        words = line.split()
        if words and words[0] in {username for username, *_rest in DEMO_ACCOUNTS}:
            printed[words[0]] = words[-1]
    return printed


@pytest.mark.django_db
def test_a_demo_instance_gets_new_random_passwords_printed_once_and_never_the_published_one():
    load_demo(responses=0)  # an instance first loaded in development keeps the published password

    first = demo_instance_passwords()
    second = demo_instance_passwords()

    assert set(first) == {username for username, *_rest in DEMO_ACCOUNTS}
    assert len(set(first.values())) == len(first)
    for username, password in second.items():
        user = User.objects.get(username=username)
        assert user.check_password(password)
        assert not user.check_password(first[username])
        assert not user.check_password(DEMO_PASSWORD)
        assert len(password) >= 16


@pytest.mark.django_db
def test_demo_sets_the_regency_identity_with_a_logo():
    from agencies.selectors import regency_identity

    load_demo(responses=0)
    identity = regency_identity()
    assert identity.name == "Kabupaten Ogan Komering Ilir"
    assert identity.evaluating_office == "Bagian Organisasi Sekretariat Daerah"
    assert identity.place == "Kayuagung" and "Kayuagung" in identity.address
    assert identity.logo_type == "image/svg+xml"


@pytest.mark.django_db
def test_the_demo_holds_one_scripted_burst_for_the_review_queue():
    load_demo(responses=SMALL)

    held = list(Response.objects.filter(status=Status.HELD).select_related("service__agency"))
    assert len(held) == BURST_SIZE
    assert {(r.held_rule, r.channel, r.service.agency.kind) for r in held} == {("pattern_burst", "web", "kecamatan")}
    assert all(set(r.answers.values()) == {1} for r in held)
    [group] = held_groups(agency=held[0].service.agency)
    assert len(group.responses) == BURST_SIZE
    assert tallies_compare() == []  # held responses are in no tally


@pytest.mark.django_db
def test_demo_pledges_carry_their_adoption_date_and_their_agencies_a_review_date():
    from agencies.models import ServicePledge

    load_demo(responses=0)

    pledges = list(ServicePledge.objects.select_related("agency"))
    assert pledges and all(p.adopted_on and p.adopted_on < timezone.localdate() for p in pledges)
    reviewed = Service.objects.filter(reviewed_on__isnull=False)
    assert {s.agency_id for s in reviewed} == {p.agency_id for p in pledges}
    assert Service.objects.filter(reviewed_on__isnull=True).exists()  # the others never reviewed theirs
