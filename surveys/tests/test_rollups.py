"""Agency and regency roll-ups: kept in the same transaction as every response (and every
response that leaves the count), equal to a recomputation from the responses themselves in any
period, checked and rebuilt by ``rebuild_tallies``, and read by agency and regency results."""

import datetime
import threading
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import close_old_connections, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agencies.models import Agency
from standards.models import Service
from standards.services import service_save
from surveys.index import compute_index
from surveys.models import AgencyElementTally, AgencyRespondentTally, RegencyRespondentTally, Response
from surveys.selectors import Scope, agency_ranking, results
from surveys.tallies import RESPONSE_FIELDS, TABLES, count_rows, tallies_compare, write_counts

ORIGIN = datetime.date(2025, 12, 20)


def clear_responses():
    Response.objects.all().delete()
    for model, _columns in TABLES.values():
        model.objects.all().delete()


def recomputed(responses, codes):
    """The index of ``responses`` computed from their answers, without any tally."""
    tallies = defaultdict(lambda: defaultdict(int))
    for response in responses:
        for code, value in response.answers.items():
            tallies[code][value] += 1
    return compute_index(codes, tallies, len(responses))


def count_out(response_ids):
    """Take responses out of the count the way a state change does: negative increments through
    ``count_rows`` → ``write_counts``, in the same transaction as the change (here a delete)."""
    with transaction.atomic():
        rows = list(Response.objects.filter(pk__in=response_ids).values_list(*RESPONSE_FIELDS))
        counts = count_rows(rows)
        write_counts({table: Counter({key: -n for key, n in counter.items()}) for table, counter in counts.items()})
        Response.objects.filter(pk__in=response_ids).delete()


@pytest.fixture
def services(agency_a, agency_b, service_a, service_b):
    """Five services: three of agency A, two of agency B."""
    more = [
        Service.objects.create(agency=agency_a, code="A-KK", name="Kartu Keluarga"),
        Service.objects.create(agency=agency_a, code="A-AKTA", name="Akta Kelahiran"),
        Service.objects.create(agency=agency_b, code="B-PBG", name="Persetujuan Bangunan Gedung"),
    ]
    return [service_a, more[0], more[1], service_b, more[2]]


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    submissions=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=4),
            st.integers(min_value=0, max_value=120),
            st.lists(st.integers(min_value=1, max_value=4), min_size=10, max_size=10),
        ),
        min_size=1,
        max_size=30,
    ),
    removed=st.sets(st.integers(min_value=0, max_value=29), max_size=10),
    bounds=st.tuples(st.integers(min_value=-3, max_value=125), st.integers(min_value=-3, max_value=125)),
)
def test_agency_and_regency_results_equal_a_recount_of_their_responses(
    questionnaire, services, submit, submissions, removed, bounds
):
    clear_responses()
    codes = [e.code for e in questionnaire.elements.all()]
    stored = [
        submit(
            services[which],
            answers=dict(zip(codes, answers, strict=True)),
            day=ORIGIN + datetime.timedelta(offset),
        )
        for which, offset, answers in submissions
    ]
    count_out([stored[i].pk for i in removed if i < len(stored)])
    low, high = sorted(bounds)
    start, end = ORIGIN + datetime.timedelta(low), ORIGIN + datetime.timedelta(high)
    inside = Response.objects.filter(day__gte=start, day__lte=end).select_related("service")

    assert tallies_compare() == []
    for agency in Agency.objects.all():
        mine = [r for r in inside if r.service.agency_id == agency.pk]
        got = results(scope=Scope(agency=agency), start=start, end=end, codes=codes)
        assert got.index == recomputed(mine, codes)
    assert results(scope=Scope(), start=start, end=end, codes=codes).index == recomputed(list(inside), codes)
    ranked = {r.agency.pk: r.index for r in agency_ranking(start=start, end=end, codes=codes)}
    for agency in Agency.objects.all():
        assert ranked[agency.pk] == recomputed([r for r in inside if r.service.agency_id == agency.pk], codes)


@pytest.mark.django_db
def test_a_response_leaving_the_count_leaves_the_agency_and_regency_figures(questionnaire, services, submit):
    kept = submit(services[0], answers=4)
    gone = submit(services[1], answers=1)
    count_out([gone.pk])
    agency = results(scope=Scope(agency=services[0].agency))
    assert agency.respondents == 1
    assert agency.index.score == 100
    assert results(scope=Scope()).respondents == 1
    assert Response.objects.get() == kept
    assert tallies_compare() == []


@pytest.mark.django_db
def test_rebuild_tallies_finds_and_repairs_a_wrong_roll_up(questionnaire, services, submit):
    submit(services[0], answers=3)
    submit(services[1], answers=3)
    AgencyElementTally.objects.filter(span="m", element_code="waktu").update(count=9)
    RegencyRespondentTally.objects.filter(span="d").delete()
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("rebuild_tallies", "--check", stdout=out)
    assert "agency_elements" in out.getvalue()
    assert "regency_respondents" in out.getvalue()
    call_command("rebuild_tallies", stdout=StringIO())
    assert tallies_compare() == []
    assert results(scope=Scope(agency=services[0].agency)).respondents == 2
    assert results(scope=Scope()).respondents == 2


@pytest.mark.django_db
def test_a_service_moved_to_another_agency_takes_its_responses_along(questionnaire, services, submit):
    moving = services[1]
    submit(moving, answers=1)
    submit(services[0], answers=4)
    new_agency = services[3].agency
    moving.agency = new_agency
    service_save(service=moving)
    assert results(scope=Scope(agency=services[0].agency)).respondents == 1
    assert results(scope=Scope(agency=new_agency)).respondents == 1
    assert results(scope=Scope(agency=new_agency)).index.score == 25
    assert results(scope=Scope()).respondents == 2
    assert tallies_compare() == []


@pytest.mark.django_db
def test_agency_and_regency_results_read_roll_ups_not_service_tallies(questionnaire, services, submit):
    submit(services[0], answers=4)
    for scope in (Scope(agency=services[0].agency), Scope()):
        with CaptureQueriesContext(connection) as queries:
            assert results(scope=scope, codes=["waktu"]).respondents == 1
        tables = " ".join(query["sql"] for query in queries)
        assert "surveys_elementtally" not in tables
        assert "surveys_respondenttally" not in tables
        assert ("surveys_agency" if scope.agency else "surveys_regency") in tables


@pytest.mark.django_db
def test_submissions_to_different_services_update_different_roll_up_rows(questionnaire, services, submit):
    for service in services[:3]:
        submit(service, answers=4)
    # Three services with consecutive ids fall in three of the agency's shards: no writer waits
    # for another's row lock.
    rows = list(AgencyRespondentTally.objects.filter(span="d").values_list("shard", "count"))
    assert len(rows) == 3
    assert {count for _shard, count in rows} == {1}
    assert results(scope=Scope(agency=services[0].agency)).respondents == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_to_one_agency_keep_roll_ups_exact(questionnaire, services, submit):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises them (CI runs this on PostgreSQL)")
    threads, per_thread, errors = 6, 8, []
    barrier = threading.Barrier(threads)
    targets = services[:3] + services[3:]

    def worker(number):
        try:
            barrier.wait()
            for i in range(per_thread):
                response = submit(targets[(number + i) % len(targets)], answers=1 + (number + i) % 4)
                if i % 3 == 0:
                    count_out([response.pk])
        except Exception as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert errors == []
    remaining = Response.objects.count()
    assert remaining == threads * (per_thread - len(range(0, per_thread, 3)))
    assert tallies_compare() == []
    assert results(scope=Scope()).respondents == remaining
    agency_a = services[0].agency
    assert (
        results(scope=Scope(agency=agency_a)).respondents == Response.objects.filter(service__agency=agency_a).count()
    )


@pytest.mark.django_db(transaction=True)
def test_random_concurrent_submissions_voids_restores_and_holds_keep_roll_ups_exact(
    questionnaire, services, submit, evaluator
):
    """Six writers at once, each a seeded random mix of new responses (to services of two
    agencies, on several days) and state changes of responses the others touch too: void,
    restore, hold, accept. Afterwards every tally and roll-up equals a recount of the accepted
    responses, and no writer failed (no deadlock, no lost update)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises them (CI runs this on PostgreSQL)")
    import random

    from surveys.states import responses_accept, responses_hold, responses_restore, responses_void

    days = [ORIGIN + datetime.timedelta(days=n) for n in (0, 1, 15, 40)]
    pool = [submit(services[n % len(services)], answers=1 + n % 4, day=days[n % len(days)]).pk for n in range(30)]
    moves = {"void": responses_void, "restore": responses_restore, "hold": responses_hold}
    threads, steps, errors = 6, 14, []
    barrier = threading.Barrier(threads)

    def worker(number):
        chance = random.Random(number)
        try:
            barrier.wait()
            for _ in range(steps):
                action = chance.choice(("submit", "submit", "void", "restore", "hold", "accept"))
                if action == "submit":
                    service = chance.choice(services)
                    pool.append(submit(service, answers=chance.randint(1, 4), day=chance.choice(days)).pk)
                elif action == "accept":
                    responses_accept(responses=chance.sample(pool, 4), actor=evaluator, reason="reviewed")
                else:
                    moves[action](responses=chance.sample(pool, 4), actor=evaluator, reason=f"random {action}")
        except Exception as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    workers = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()

    assert errors == []
    assert tallies_compare() == []
    accepted = Response.objects.filter(status="accepted")
    assert results(scope=Scope()).respondents == accepted.count()
    for agency in {service.agency for service in services}:
        assert results(scope=Scope(agency=agency)).respondents == accepted.filter(service__agency=agency).count()
    statuses = set(Response.objects.values_list("status", flat=True))
    assert {"accepted", "void"} <= statuses  # the mix really moved responses both ways


@pytest.mark.django_db(transaction=True)
def test_a_database_tallied_before_roll_ups_gets_them_from_its_tallies(questionnaire, services, submit):
    submit(services[0], answers=4, day=datetime.date(2026, 1, 31))
    submit(services[1], answers=2, day=datetime.date(2026, 2, 1))
    submit(services[3], answers=1, day=datetime.date(2026, 2, 1))
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("surveys", "0003_month_tallies")])
        executor = MigrationExecutor(connection)
        executor.migrate([("surveys", "0004_rollups")])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert tallies_compare() == []
    assert results(scope=Scope(agency=services[0].agency)).respondents == 2
    assert results(scope=Scope()).respondents == 3
