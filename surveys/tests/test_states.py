"""Response states: accepted (counted), held (stored, not counted) and void (stored, never
counted). Every change is audited, moves the tallies in the same transaction, and every figure
counts accepted responses only."""

import threading
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.urls import reverse

from conftest import GOOD_PROFILE
from surveys.models import RespondentTally, Response, Status
from surveys.selectors import Scope, held_count, results
from surveys.services import response_submit
from surveys.states import responses_accept, responses_hold, responses_restore, responses_void
from surveys.tallies import tallies_compare

pytestmark = pytest.mark.django_db


def store(service, questionnaire, answers=4, hold_rule=""):
    codes = [e.code for e in questionnaire.elements.all()]
    return response_submit(
        service=service,
        answers=dict.fromkeys(codes, answers),
        profile=GOOD_PROFILE,
        channel="web",
        hold_rule=hold_rule,
    )


def score(service):
    return results(scope=Scope(agency=service.agency, service=service)).index.score


def rebuild_check_agrees() -> bool:
    try:
        call_command("rebuild_tallies", "--check", stdout=StringIO())
    except Exception:
        return False
    return True


def test_a_held_response_is_stored_but_in_no_figure(service_a, questionnaire):
    store(service_a, questionnaire, answers=4)
    held = store(service_a, questionnaire, answers=1, hold_rule="burst")

    assert Response.objects.get(pk=held.pk).status == Status.HELD
    assert held.held_rule == "burst"
    assert results(scope=Scope(service=service_a)).respondents == 1
    assert score(service_a) == 100
    assert held_count(Scope(agency=service_a.agency)) == 1
    assert rebuild_check_agrees()


def test_accepting_a_held_response_counts_it_and_is_audited(service_a, questionnaire, evaluator):
    store(service_a, questionnaire, answers=4)
    held = store(service_a, questionnaire, answers=1, hold_rule="burst")

    change = responses_accept(responses=[held.pk], actor=evaluator, reason="Checked with the counter staff")

    held.refresh_from_db()
    assert change.changed == 1
    assert (held.status, held.status_changed_by, held.status_reason) == (
        Status.ACCEPTED,
        evaluator,
        "Checked with the counter staff",
    )
    assert results(scope=Scope(service=service_a)).respondents == 2
    assert score(service_a) == 62.5
    entry = LogEntry.objects.get_for_object(held).latest("timestamp")
    assert entry.actor == evaluator
    assert entry.changes_dict["status"] == ["held", "accepted"]
    assert tallies_compare() == []


def test_voiding_an_accepted_response_takes_it_out_of_every_tally_and_restore_puts_it_back(
    service_a, questionnaire, super_admin
):
    keep = store(service_a, questionnaire, answers=4)
    bad = store(service_a, questionnaire, answers=1)
    assert score(service_a) == 62.5

    responses_void(responses=[bad.pk], actor=super_admin, reason="Test entry by staff")

    assert score(service_a) == 100
    assert RespondentTally.objects.filter(span="d").get().count == 1
    assert Response.objects.filter(pk=bad.pk, status=Status.VOID).exists()  # kept, never deleted
    assert tallies_compare() == [] and rebuild_check_agrees()

    responses_restore(responses=[bad.pk], actor=super_admin, reason="It was a real visit")

    assert score(service_a) == 62.5
    assert tallies_compare() == []
    statuses = [e.changes_dict["status"] for e in LogEntry.objects.get_for_object(bad).order_by("timestamp")]
    assert statuses == [["accepted", "void"], ["void", "accepted"]]
    assert Response.objects.get(pk=keep.pk).status == Status.ACCEPTED


def test_voiding_a_held_response_leaves_the_tallies_alone(service_a, questionnaire, evaluator):
    store(service_a, questionnaire, answers=4)
    held = store(service_a, questionnaire, answers=1, hold_rule="burst")
    before = list(RespondentTally.objects.values_list("span", "day", "count"))

    responses_void(responses=[held.pk], actor=evaluator, reason="Scripted burst")

    assert list(RespondentTally.objects.values_list("span", "day", "count")) == before
    assert held_count(Scope()) == 0
    assert tallies_compare() == []


def test_holding_an_accepted_response_takes_it_out_of_the_count(service_a, questionnaire, evaluator):
    response = store(service_a, questionnaire, answers=2)

    responses_hold(responses=[response.pk], actor=evaluator, reason="Looks like a test entry")

    assert results(scope=Scope()).respondents == 0
    assert RespondentTally.objects.count() == 0  # rows that reach zero are removed
    assert held_count(Scope()) == 1
    assert Response.objects.get(pk=response.pk).held_rule == "manual"


def test_a_change_needs_a_reason_and_an_impossible_move_changes_nothing(service_a, questionnaire, evaluator):
    response = store(service_a, questionnaire)

    with pytest.raises(ValidationError) as refused:
        responses_void(responses=[response.pk], actor=evaluator, reason="  ")
    assert "reason" in refused.value.message_dict
    change = responses_accept(responses=[response.pk], actor=evaluator, reason="already counted")

    assert (change.changed, change.skipped) == (0, 1)
    assert Response.objects.get(pk=response.pk).status == Status.ACCEPTED
    assert tallies_compare() == []


def test_rebuild_counts_accepted_responses_only(service_a, questionnaire, evaluator):
    store(service_a, questionnaire, answers=4)
    store(service_a, questionnaire, answers=1, hold_rule="burst")
    voided = store(service_a, questionnaire, answers=2)
    responses_void(responses=[voided.pk], actor=evaluator, reason="duplicate")

    out = StringIO()
    call_command("rebuild_tallies", stdout=out)

    assert results(scope=Scope()).respondents == 1
    # The held and the void response were never in the tallies, so a recount finds nothing to fix.
    assert "Rekapitulasi sesuai dengan respons: tidak ada selisih." in out.getvalue()


def test_the_api_counts_accepted_only_and_gives_the_held_count(client, service_a, questionnaire):
    store(service_a, questionnaire, answers=4)
    store(service_a, questionnaire, answers=1, hold_rule="burst")

    data = client.get(reverse("api:ikm"), {"service": service_a.code}).json()

    assert (data["respondents"], data["held"], data["score"]) == (1, 1, 100.0)


def test_staff_see_the_held_count_and_the_public_page_says_responses_are_under_review(
    client_for, client, operator_a, service_a, questionnaire
):
    store(service_a, questionnaire, answers=4)
    store(service_a, questionnaire, answers=1, hold_rule="burst")
    client.cookies["django_language"] = "en"

    public = client.get(reverse("public_results:agency", args=[service_a.agency.code]))
    assert "Some responses in this period are under review." in public.text

    staff = client_for(operator_a)
    staff.cookies["django_language"] = "en"
    page = staff.get(reverse("results:agency", args=[service_a.agency.code]))
    assert '<strong id="result-held">1</strong>held for review (not counted)' in page.text
    assert '<strong id="result-respondents">1</strong>' in page.text


def test_the_public_page_says_nothing_of_review_when_nothing_is_held(client, service_a, questionnaire):
    store(service_a, questionnaire, answers=4)
    client.cookies["django_language"] = "en"

    public = client.get(reverse("public_results:agency", args=[service_a.agency.code]))

    assert "under review" not in public.text


@pytest.mark.django_db(transaction=True)
def test_concurrent_voids_of_one_group_and_new_submissions_keep_the_tallies_exact(questionnaire, service_a, evaluator):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises them (CI runs this on PostgreSQL)")
    group = [store(service_a, questionnaire, answers=1).pk for _ in range(20)]
    threads, errors, changed = 6, [], []
    barrier = threading.Barrier(threads)

    def worker(number):
        try:
            barrier.wait()
            if number % 2:
                changed.append(responses_void(responses=group, actor=evaluator, reason="burst").changed)
            else:
                for _ in range(5):
                    store(service_a, questionnaire, answers=4)
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
    assert sorted(changed) == [0, 0, 20]  # each response voided exactly once
    assert results(scope=Scope(service=service_a)).respondents == 15
    assert score(service_a) == 100
    assert tallies_compare() == []


def test_the_responses_export_holds_accepted_responses_only(service_a, questionnaire, evaluator):
    from reports.exporters import ResponsesExporter

    kept = store(service_a, questionnaire, answers=4)
    store(service_a, questionnaire, answers=1, hold_rule="burst")
    voided = store(service_a, questionnaire, answers=2)
    responses_void(responses=[voided.pk], actor=evaluator, reason="duplicate")

    rows = list(ResponsesExporter(Scope(), None, None).rows())

    assert [row[0] for row in rows] == [kept.pk]
