import datetime
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import close_old_connections, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import GOOD_PROFILE
from surveys.models import ElementTally, ProfileTally, RespondentTally, Response
from surveys.selectors import Scope, results
from surveys.services import response_submit
from surveys.states import responses_hold
from surveys.tallies import TABLES, tallies_compare


def clear_responses():
    """Start a hypothesis example afresh: no responses, no tallies, no roll-ups."""
    Response.objects.all().delete()
    for model, _columns in TABLES.values():
        model.objects.all().delete()


ANSWER = st.integers(min_value=1, max_value=4)
PROFILE = st.fixed_dictionaries(
    {
        "gender": st.sampled_from(["L", "P"]),
        "age": st.integers(min_value=15, max_value=100),
        "education": st.sampled_from(["sd", "sma", "s1", "s3"]),
        "occupation": st.sampled_from(["pns", "swasta", "pelajar"]),
    }
)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    submissions=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=1),
            st.integers(min_value=0, max_value=40),
            st.lists(ANSWER, min_size=10, max_size=10),
            PROFILE,
        ),
        min_size=1,
        max_size=25,
    )
)
def test_tallies_always_equal_a_recount_of_the_responses(questionnaire, service_a, service_b, submit, submissions):
    clear_responses()
    codes = [e.code for e in questionnaire.elements.all()]
    for which, offset, answers, profile in submissions:
        service = (service_a, service_b)[which]
        submit(
            service,
            answers=dict(zip(codes, answers, strict=True)),
            day=datetime.date(2026, 1, 1) + datetime.timedelta(offset),
            **profile,
        )
    assert tallies_compare() == []
    assert results(scope=Scope()).respondents == len(submissions)


@pytest.mark.django_db
def test_rebuild_reports_and_repairs_a_damaged_tally(questionnaire, service_a, submit):
    submit(service_a, answers=3)
    submit(service_a, answers=4)
    ElementTally.objects.filter(span="d").filter(element_code="waktu", value=4).update(count=7)
    RespondentTally.objects.all().delete()

    with pytest.raises(CommandError):
        call_command("rebuild_tallies", "--check", stdout=StringIO())
    out = StringIO()
    call_command("rebuild_tallies", stdout=out)
    assert "waktu" in out.getvalue()
    assert tallies_compare() == []
    check = StringIO()
    call_command("rebuild_tallies", "--check", stdout=check)
    assert ElementTally.objects.filter(span="d").get(element_code="waktu", value=4).count == 1
    assert RespondentTally.objects.filter(span="d").get().count == 2


@pytest.mark.django_db
def test_rebuild_counts_the_differences_in_the_singular_and_the_plural(questionnaire, service_a, submit):
    submit(service_a, answers=3)
    one = ElementTally.objects.filter(span="d", element_code="waktu", value=3)
    one.update(count=5)
    with translation.override("en"):
        with pytest.raises(CommandError, match=r"^1 tally differs from the responses\.$"):
            call_command("rebuild_tallies", "--check", stdout=StringIO())
        out = StringIO()
        call_command("rebuild_tallies", stdout=out)
        assert out.getvalue().splitlines()[-1] == "1 tally differed and was rebuilt."

        ElementTally.objects.filter(span="d", element_code__in=["waktu", "biaya"], value=3).update(count=9)
        with pytest.raises(CommandError, match=r"^2 tallies differ from the responses\.$"):
            call_command("rebuild_tallies", "--check", stdout=StringIO())
        out = StringIO()
        call_command("rebuild_tallies", stdout=out)
        assert out.getvalue().splitlines()[-1] == "2 tallies differed and were rebuilt."


def _submit_assisted(questionnaire, service, assisted: bool, day: datetime.date):
    return response_submit(
        service=service,
        answers=dict.fromkeys((e.code for e in questionnaire.elements.all()), 4),
        profile=GOOD_PROFILE,
        channel="web",
        assisted=assisted,
        day=day,
    )


@pytest.mark.django_db
def test_tallies_match_a_recount_after_submissions_with_and_without_assisted(questionnaire, service_a, service_b):
    _submit_assisted(questionnaire, service_a, True, datetime.date(2026, 1, 5))
    _submit_assisted(questionnaire, service_a, False, datetime.date(2026, 1, 5))
    _submit_assisted(questionnaire, service_b, True, datetime.date(2026, 2, 9))
    held = _submit_assisted(questionnaire, service_b, True, datetime.date(2026, 2, 9))
    responses_hold(responses=[held.pk], actor=None, reason="Diperiksa")

    assert tallies_compare() == []
    call_command("rebuild_tallies", "--check", stdout=StringIO())  # raises CommandError on any difference
    assert results(scope=Scope()).profile["assisted"] == {"ya": 2, "tidak": 1}


@pytest.mark.django_db
def test_rebuild_restores_lost_assisted_tallies(questionnaire, service_a):
    _submit_assisted(questionnaire, service_a, True, datetime.date(2026, 3, 2))
    ProfileTally.objects.filter(dimension="assisted").delete()

    with pytest.raises(CommandError):
        call_command("rebuild_tallies", "--check", stdout=StringIO())
    call_command("rebuild_tallies", stdout=StringIO())

    assert tallies_compare() == []
    assert results(scope=Scope(service=service_a)).profile["assisted"] == {"ya": 1}


@pytest.mark.django_db(transaction=True)
def test_a_database_tallied_before_the_assisted_dimension_gets_it_from_its_responses(
    questionnaire, service_a, service_b
):
    _submit_assisted(questionnaire, service_a, True, datetime.date(2026, 1, 31))
    _submit_assisted(questionnaire, service_a, False, datetime.date(2026, 2, 1))
    _submit_assisted(questionnaire, service_b, False, datetime.date(2026, 2, 1))
    held = _submit_assisted(questionnaire, service_b, True, datetime.date(2026, 2, 1))
    responses_hold(responses=[held.pk], actor=None, reason="Diperiksa")
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("surveys", "0010_merge_20261202_0643")])
        # Before the migration, no tally knows who was helped.
        assert not ProfileTally.objects.filter(dimension="assisted").exists()
        executor = MigrationExecutor(connection)
        executor.migrate([("surveys", "0011_assisted_tallies")])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert tallies_compare() == []
    assert results(scope=Scope()).profile["assisted"] == {"ya": 1, "tidak": 2}
    assert results(scope=Scope(agency=service_a.agency)).profile["assisted"] == {"ya": 1, "tidak": 1}


@pytest.mark.django_db
def test_rebuild_on_matching_tallies_changes_nothing(questionnaire, service_a, submit):
    submit(service_a)
    before = list(ElementTally.objects.values_list("pk", "count").order_by("pk"))
    call_command("rebuild_tallies", stdout=StringIO())
    assert list(ElementTally.objects.values_list("pk", "count").order_by("pk")) == before


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_lose_no_count(questionnaire, service_a, submit):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises them (CI runs this on PostgreSQL)")
    threads, errors = 8, []
    per_thread = 10
    barrier = threading.Barrier(threads)

    def worker():
        try:
            barrier.wait()
            for _ in range(per_thread):
                submit(service_a, answers=4)
        except Exception as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert errors == []
    assert Response.objects.count() == threads * per_thread
    assert RespondentTally.objects.filter(span="d").get().count == threads * per_thread
    assert tallies_compare() == []


@pytest.mark.django_db
def test_every_response_is_counted_in_its_day_and_its_month(questionnaire, service_a, submit):
    submit(service_a, day=datetime.date(2026, 2, 27))
    submit(service_a, day=datetime.date(2026, 2, 3))
    rows = sorted(RespondentTally.objects.values_list("span", "day", "count"))
    assert rows == [
        ("d", datetime.date(2026, 2, 3), 1),
        ("d", datetime.date(2026, 2, 27), 1),
        ("m", datetime.date(2026, 2, 1), 2),
    ]


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    days=st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=30),
    bounds=st.tuples(st.integers(min_value=-5, max_value=410), st.integers(min_value=-5, max_value=410)),
    open_start=st.booleans(),
    open_end=st.booleans(),
)
def test_results_of_any_period_match_the_responses_in_it(
    questionnaire, service_a, submit, days, bounds, open_start, open_end
):
    clear_responses()
    origin = datetime.date(2025, 12, 20)
    for offset in days:
        submit(service_a, answers=1 + offset % 4, day=origin + datetime.timedelta(offset))
    low, high = sorted(bounds)
    start = None if open_start else origin + datetime.timedelta(low)
    end = None if open_end else origin + datetime.timedelta(high)
    inside = Response.objects.all()
    if start:
        inside = inside.filter(day__gte=start)
    if end:
        inside = inside.filter(day__lte=end)
    result = results(scope=Scope(service=service_a), start=start, end=end)
    assert result.respondents == inside.count()
    waktu = next(e for e in result.index.elements if e.code == "waktu") if result.respondents else None
    if waktu is not None:
        assert waktu.total == sum(r.answers["waktu"] for r in inside)
