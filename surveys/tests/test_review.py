"""The review queue: held responses grouped by burst, accepted or voided by an evaluator or a
super admin with a reason; an operator sees the held count only; paper batches voided and
restored in one action."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import GOOD_PROFILE
from surveys.models import PaperBatch, Response, Status
from surveys.selectors import Scope, held_count, results
from surveys.services import PaperRow, Profile, response_submit, responses_import
from surveys.tallies import tallies_compare

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(clock):
    """The injected clock: ``clock.move(seconds=…)`` moves it on."""

    class Clock:
        def move(self, **delta):
            clock.shift(datetime.timedelta(**delta))

    return Clock()


def store(service, questionnaire, answers, rule=""):
    codes = [e.code for e in questionnaire.elements.all()]
    return response_submit(
        service=service, answers=dict.fromkeys(codes, answers), profile=GOOD_PROFILE, channel="web", hold_rule=rule
    )


@pytest.fixture
def two_bursts(clock, service_a, questionnaire):
    """An accepted 4, then a burst of three held all-1s, an hour later a lone held device repeat."""
    store(service_a, questionnaire, 4)
    burst = []
    for _ in range(3):
        burst.append(store(service_a, questionnaire, 1, rule="pattern_burst"))
        clock.move(seconds=30)
    clock.move(hours=1)
    repeat = store(service_a, questionnaire, 3, rule="device_repeat")
    return burst, repeat


def english(client):
    client.cookies["django_language"] = "en"
    return client


def queue(client, code="OPD-A"):
    return english(client).get(reverse("review:agency", args=[code]))


def test_an_evaluator_sees_held_responses_grouped_by_burst_with_time_channel_answers_and_rule(
    client_for, evaluator, two_bursts
):
    burst, repeat = two_bursts

    page = queue(client_for(evaluator)).text

    assert '<p id="review-held" class="stats"><strong>4</strong>' in page
    assert page.index(f'id="held-{repeat.pk}"') < page.index(f'id="held-{burst[0].pk}"')  # the latest burst first
    first_group = page.split('id="group-2"')[1]
    assert "Many identical answer sets in a short time" in first_group
    assert "3 responses" in first_group
    assert "1 1 1 1 1 1 1 1 1 1" in first_group and "pattern_burst" in first_group and "Web form" in first_group
    assert "Another response from the same device for this service the same day" in page.split('id="group-2"')[0]
    assert "Void the chosen responses" in page


def test_an_evaluator_voids_a_burst_in_one_action_and_the_score_agrees_with_a_recount(
    client_for, evaluator, two_bursts, service_a
):
    burst, _repeat = two_bursts
    client = english(client_for(evaluator))

    response = client.post(
        reverse("review:decide", args=["OPD-A"]),
        {"action": "void", "reason": "Scripted burst", "response": [r.pk for r in burst]},
        follow=True,
    )

    assert "3 responses voided; they stay stored." in response.text
    assert set(Response.objects.filter(pk__in=[r.pk for r in burst]).values_list("status", "status_reason")) == {
        (Status.VOID, "Scripted burst")
    }
    assert held_count(Scope(agency=service_a.agency)) == 1
    assert results(scope=Scope(service=service_a)).index.score == 100
    assert tallies_compare() == []


def test_accepting_one_response_counts_it(client_for, super_admin, two_bursts, service_a):
    _burst, repeat = two_bursts

    client_for(super_admin).post(
        reverse("review:decide", args=["OPD-A"]),
        {"action": "accept", "reason": "Husband and wife share a phone", "response": [repeat.pk]},
    )

    assert Response.objects.get(pk=repeat.pk).status == Status.ACCEPTED
    assert results(scope=Scope(service=service_a)).respondents == 2
    assert tallies_compare() == []


def test_a_decision_without_a_reason_changes_nothing_and_says_why(client_for, evaluator, two_bursts):
    burst, _repeat = two_bursts
    client = english(client_for(evaluator))

    response = client.post(
        reverse("review:decide", args=["OPD-A"]),
        {"action": "void", "reason": " ", "response": [burst[0].pk]},
        follow=True,
    )

    assert "Nothing changed: Please give a reason." in response.text
    assert Response.objects.filter(status=Status.HELD).count() == 4


def test_responses_of_another_agency_cannot_be_decided_through_this_one(
    client_for, evaluator, two_bursts, service_b, questionnaire
):
    other = store(service_b, questionnaire, 1, rule="pattern_burst")

    client_for(evaluator).post(
        reverse("review:decide", args=["OPD-A"]), {"action": "accept", "reason": "x", "response": [other.pk]}
    )

    assert Response.objects.get(pk=other.pk).status == Status.HELD


def test_an_operator_sees_the_held_count_of_their_agency_but_no_answers_and_cannot_decide(
    client_for, operator_a, operator_b, two_bursts
):
    burst, _repeat = two_bursts

    page = queue(client_for(operator_a))
    assert page.status_code == 200
    assert '<p id="review-held" class="stats"><strong>4</strong>' in page.text
    assert f'id="held-{burst[0].pk}"' not in page.text
    assert "Only an evaluator or a super admin reviews held responses" in page.text
    decided = client_for(operator_a).post(
        reverse("review:decide", args=["OPD-A"]), {"action": "accept", "reason": "ours", "response": [burst[0].pk]}
    )
    assert decided.status_code == 403
    assert queue(client_for(operator_b)).status_code == 404
    assert Response.objects.filter(status=Status.HELD).count() == 4


def test_a_leader_reads_the_queue_without_the_buttons(client_for, leader, two_bursts):
    page = queue(client_for(leader)).text

    assert "1 1 1 1 1 1 1 1 1 1" in page
    assert "Void the chosen responses" not in page


def test_the_index_lists_agencies_with_held_responses(client_for, evaluator, operator_a, two_bursts):
    page = english(client_for(evaluator)).get(reverse("review:index")).text

    assert 'id="review-OPD-A"' in page
    assert client_for(operator_a).get(reverse("review:index")).url == reverse("review:agency", args=["OPD-A"])


@pytest.fixture
def batch(service_a, questionnaire, operator_a):
    codes = [e.code for e in questionnaire.elements.all()]
    profile = Profile(gender="L", age=40, education="sma", occupation="swasta")
    rows = [
        PaperRow(
            service=service_a,
            questionnaire=questionnaire,
            answers=dict.fromkeys(codes, 1),
            profile=profile,
            suggestion="",
            day=timezone.localdate(),
        )
        for _ in range(4)
    ]
    return responses_import(
        rows=rows, filename="kertas.csv", sha256="a" * 64, actor=operator_a, agency=operator_a.agency
    )


def test_an_evaluator_voids_a_paper_batch_in_one_action_and_restores_it(client_for, evaluator, batch, service_a):
    client = english(client_for(evaluator))
    page = client.get(reverse("review:batches")).text
    assert f'id="batch-{batch.pk}"' in page and "kertas.csv" in page

    voided = client.post(
        reverse("review:batch_decide", args=[batch.pk]), {"action": "void", "reason": "Typed twice"}, follow=True
    )

    assert f"Batch {batch.pk}: 4 responses voided, 0 already void." in voided.text
    assert results(scope=Scope(service=service_a)).respondents == 0
    client.post(reverse("review:batch_decide", args=[batch.pk]), {"action": "restore", "reason": "Was right"})
    assert results(scope=Scope(service=service_a)).respondents == 4
    assert tallies_compare() == []


def test_an_operator_sees_their_own_batches_but_cannot_void_them(client_for, operator_a, operator_b, batch):
    page = english(client_for(operator_a)).get(reverse("review:batches")).text
    assert f'id="batch-{batch.pk}"' in page and "Void the batch" not in page
    assert f'id="batch-{batch.pk}"' not in client_for(operator_b).get(reverse("review:batches")).text

    refused = client_for(operator_a).post(
        reverse("review:batch_decide", args=[batch.pk]), {"action": "void", "reason": "x"}
    )

    assert refused.status_code == 403
    assert not Response.objects.filter(status=Status.VOID).exists()
    assert PaperBatch.objects.get().rows == 4
