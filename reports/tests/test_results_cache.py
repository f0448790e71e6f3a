"""The public results page and its charts are computed once per period and served from the
cache: a closed period until a response of a past day is counted or leaves the count, the
running period for at most a minute; a cache that fails only costs the computation."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from surveys import periods
from surveys.models import Response
from surveys.stamps import PROVISIONAL_SECONDS
from surveys.tallies import RESPONSE_FIELDS, count_rows, write_counts

pytestmark = pytest.mark.django_db

REGENCY = reverse("public_results:regency")
ELEMENTS = reverse("reports:chart_elements")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def respondents_shown(response) -> str:
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    match = re.search(r"(\d[\d.]*) (?:responden|respondents)", text)
    assert match, "no respondent count on the page"
    return match[1]


def last_year():
    return periods.year(timezone.localdate().year - 1)


def tally_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if "tally" in q["sql"] and "surveys_stamp" not in q["sql"]]


def test_a_closed_period_is_computed_once_then_served_from_the_cache(client, submit, service_a, service_b):
    year = last_year()
    submit(service_a, answers=4, day=year.start + datetime.timedelta(days=40))
    first = client.get(REGENCY, {"periode": year.key})
    with CaptureQueriesContext(connection) as queries:
        again = client.get(REGENCY, {"periode": year.key})
    assert again.status_code == 200
    assert respondents_shown(again) == respondents_shown(first) == "1"
    # Only the period chooser's first and last day are read from the tallies; the figures are not.
    assert len(tally_reads(queries)) == 1


def test_a_response_counted_for_a_past_day_shows_at_once(client, submit, service_a):
    year = last_year()
    submit(service_a, answers=4, day=year.start + datetime.timedelta(days=40))
    assert respondents_shown(client.get(REGENCY, {"periode": year.key})) == "1"
    submit(service_a, answers=2, day=year.start + datetime.timedelta(days=41), channel="paper")
    assert respondents_shown(client.get(REGENCY, {"periode": year.key})) == "2"


def test_a_response_leaving_the_count_leaves_the_cached_page(client, submit, service_a):
    year = last_year()
    kept = submit(service_a, answers=4, day=year.start + datetime.timedelta(days=40))
    gone = submit(service_a, answers=1, day=year.start + datetime.timedelta(days=50))
    assert respondents_shown(client.get(REGENCY, {"periode": year.key})) == "2"
    with transaction.atomic():
        counts = count_rows(Response.objects.filter(pk=gone.pk).values_list(*RESPONSE_FIELDS))
        write_counts({table: type(c)({key: -n for key, n in c.items()}) for table, c in counts.items()})
        gone.delete()
    assert respondents_shown(client.get(REGENCY, {"periode": year.key})) == "1"
    assert Response.objects.get() == kept


def test_the_running_period_is_at_most_a_minute_old(client, submit, service_a, clock):
    # The period is named: a minute later may already be the next semester (31 December 23:59).
    running = {"periode": periods.current_semester().key}
    submit(service_a, answers=4)
    assert respondents_shown(client.get(REGENCY, running)) == "1"
    submit(service_a, answers=3)
    assert respondents_shown(client.get(REGENCY, running)) == "1"
    clock.shift(datetime.timedelta(seconds=PROVISIONAL_SECONDS + 1))
    assert respondents_shown(client.get(REGENCY, running)) == "2"


def test_charts_are_cached_per_language(client, submit, service_a):
    year = last_year()
    submit(service_a, answers=4, day=year.start + datetime.timedelta(days=40))
    indonesian = client.get(ELEMENTS, {"periode": year.key})
    client.cookies["django_language"] = "en"
    english = client.get(ELEMENTS, {"periode": year.key})
    assert indonesian.status_code == english.status_code == 200
    assert indonesian.content != english.content
    with CaptureQueriesContext(connection) as queries:
        again = client.get(ELEMENTS, {"periode": year.key})
    assert again.content == english.content
    assert tally_reads(queries) == []


def test_an_unreachable_cache_costs_speed_not_the_page(client, submit, service_a, monkeypatch):
    year = last_year()
    submit(service_a, answers=4, day=year.start + datetime.timedelta(days=40))

    def down(*args, **kwargs):
        raise ConnectionError("cache server down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    page = client.get(REGENCY, {"periode": year.key})
    chart = client.get(ELEMENTS, {"periode": year.key})
    assert page.status_code == chart.status_code == 200
    assert respondents_shown(page) == "1"


def test_the_regency_page_reads_the_questionnaires_at_most_once(client, submit, service_a):
    year = last_year()
    submit(service_a, answers=4, day=year.start + datetime.timedelta(days=40))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(REGENCY, {"periode": year.key}).status_code == 200
    reads = [q["sql"] for q in queries if 'FROM "surveys_questionnaire"' in q["sql"]]
    assert len(reads) <= 1
