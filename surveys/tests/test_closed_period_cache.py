"""Figures of an ended period are kept in the shared cache for staff pages and the recap
(issue 12), and stay exact: a response counted in that period, or one leaving the count, bumps
the results stamp and the next read is made afresh. A running period is always read afresh."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from surveys import periods
from surveys.selectors import Scope, agency_ranking, agency_ranking_cached, scope_index, scope_index_cached
from surveys.states import responses_hold

pytestmark = pytest.mark.django_db


def last_year() -> periods.Period:
    return periods.year(timezone.localdate().year - 1)


def scores(ranking) -> dict[str, object]:
    return {ranked.agency.code: (ranked.index.respondents, ranked.index.score) for ranked in ranking}


def test_an_ended_period_is_read_once_then_from_the_cache(service_a, service_b, submit):
    year = last_year()
    submit(service_a, answers=4, day=year.start + datetime.timedelta(days=40))
    submit(service_b, answers=2, day=year.start + datetime.timedelta(days=100))

    first = agency_ranking_cached(start=year.start, end=year.end)
    with CaptureQueriesContext(connection) as captured:
        again = agency_ranking_cached(start=year.start, end=year.end)

    assert scores(first) == scores(again) == scores(agency_ranking(start=year.start, end=year.end))
    assert len(captured) == 1  # the stamps the key is made of
    assert "stamp" in captured[0]["sql"]


def test_a_response_counted_in_an_ended_period_makes_the_copy_stale(service_a, service_b, submit):
    year = last_year()
    submit(service_a, answers=4, day=year.start + datetime.timedelta(days=40))
    before = scores(agency_ranking_cached(start=year.start, end=year.end))

    submit(service_a, answers=1, day=year.end - datetime.timedelta(days=3))
    after = scores(agency_ranking_cached(start=year.start, end=year.end))

    assert after != before
    assert after == scores(agency_ranking(start=year.start, end=year.end))
    assert after[service_a.agency.code][0] == 2


def test_a_response_leaving_the_count_makes_the_copy_stale(service_a, submit):
    year = last_year()
    submit(service_a, answers=4, day=year.start + datetime.timedelta(days=40))
    late = submit(service_a, answers=1, day=year.start + datetime.timedelta(days=41))
    scope = Scope(agency=service_a.agency)
    assert scope_index_cached(scope=scope, start=year.start, end=year.end).respondents == 2

    responses_hold(responses=[late.pk], actor=None, reason="uji")

    found = scope_index_cached(scope=scope, start=year.start, end=year.end)
    assert found == scope_index(scope=scope, start=year.start, end=year.end)
    assert found.respondents == 1


def test_a_running_period_is_read_afresh(service_a, submit):
    today = timezone.localdate()
    running = periods.year(today.year)
    submit(service_a, answers=4, day=today)
    assert scope_index_cached(scope=Scope(), start=running.start, end=running.end).respondents == 1

    submit(service_a, answers=2, day=today)  # today's responses bump no stamp

    assert scope_index_cached(scope=Scope(), start=running.start, end=running.end).respondents == 2
