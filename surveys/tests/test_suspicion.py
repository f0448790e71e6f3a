"""Held, not refused: the layered limits and the burst rules, one by one, and the acceptance
tests of issue 8 (a scripted burst is held and voided in one action; an honest busy day is
not held). Time is a hand-moved clock; nothing sleeps."""

import datetime
import logging
import random
import re
from fractions import Fraction

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import GOOD_PROFILE
from surveys.models import Questionnaire, Response, Status
from surveys.ratelimit import DEVICE_COOKIE
from surveys.selectors import Scope, held_count, results
from surveys.services import response_submit
from surveys.states import responses_void
from surveys.tallies import tallies_compare
from surveys.tokens import token_issue

pytestmark = pytest.mark.django_db

THANKS = reverse("survey:thanks") + "?layanan=A-KTP"
START = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)  # a Tuesday, 16:00 in Jakarta


@pytest.fixture
def clock(clock):
    """The injected clock, set at START: ``clock.move(seconds=…)`` moves it on, ``clock.at(t)``
    sets it."""

    class Clock:
        def move(self, **delta):
            clock.shift(datetime.timedelta(**delta))

        def at(self, moment):
            clock.move_to(moment)

    clock.move_to(START)
    return Clock()


def survey_url(code="A-KTP"):
    return reverse("survey:service_survey", args=[code])


def post_survey(client, codes, answers, code="A-KTP", get_form=True):
    """One web survey with ``answers`` (one value, or element code → value). ``get_form``:
    open the form first, as a browser does (and so receive the device cookie)."""
    values = answers if isinstance(answers, dict) else dict.fromkeys(codes, answers)
    if get_form:
        html = client.get(survey_url(code)).content.decode()
        token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    else:  # a script that never opens the form (so never gets the cookie) but has a valid token
        token = token_issue(questionnaire_version=Questionnaire.objects.get(is_current=True).version, service_code=code)
    data = {"gender": "L", "age": "45", "education": "s1", "occupation": "pns", "token": token}
    data.update({f"q_{code_}": str(value) for code_, value in values.items()})
    return client.post(survey_url(code), data)


def fresh_client(address="198.51.100.20"):
    return Client(REMOTE_ADDR=address)


@pytest.fixture
def codes(questionnaire):
    return [e.code for e in questionnaire.elements.all()]


def honest_answers(rng: random.Random, codes) -> dict[str, int]:
    """Answers like a good counter's: often all 4s or all 3s, else a mix of mostly 3s and 4s."""
    draw = rng.random()
    if draw < 0.35:
        return dict.fromkeys(codes, 4)
    if draw < 0.6:
        return dict.fromkeys(codes, 3)
    return {code: rng.choice([3, 3, 4, 4, 4, 2]) for code in codes}


@pytest.fixture
def history(clock, service_a, codes):
    """Six weeks of a small counter's accepted responses, 5 a working day, as a good service
    gets them; returns the moment the test starts (START)."""
    rng = random.Random(8)
    for days_ago in range(42, 0, -1):
        day = START - datetime.timedelta(days=days_ago)
        if day.weekday() >= 5:
            continue
        for slot in range(5):
            clock.at(day.replace(hour=2 + slot))
            response_submit(service=service_a, answers=honest_answers(rng, codes), profile=GOOD_PROFILE, channel="web")
    clock.at(START)
    return START


def public_score(client, service):
    data = client.get(reverse("api:ikm"), {"service": service.code}).json()
    return data["score"], data["respondents"], data["held"]


# --- The acceptance tests of the issue ---------------------------------------------------------


def test_a_script_posting_60_all_one_surveys_in_two_minutes_moves_the_score_by_under_a_point(
    clock, history, service_a, codes, evaluator
):
    before, counted, _held = public_score(Client(), service_a)

    statuses = []
    for _ in range(60):
        statuses.append(post_survey(fresh_client(), codes, 1))
        clock.move(seconds=2)

    after, counted_after, held = public_score(Client(), service_a)
    assert {(s.status_code, s.url) for s in statuses} == {(302, THANKS)}  # the ordinary thank-you
    assert abs(Fraction(str(after)) - Fraction(str(before))) < 1
    burst = Response.objects.filter(submitted_at__gte=START)
    assert burst.count() == 60  # every submission stored
    assert set(burst.values_list("status", "held_rule")) == {(Status.HELD, "pattern_burst")}
    assert (counted_after, held) == (counted, 60)

    responses_void(responses=burst.values_list("pk", flat=True), actor=evaluator, reason="Scripted burst")

    assert tallies_compare() == []
    recount = Response.objects.filter(status=Status.ACCEPTED)
    by_hand = Fraction(sum(sum(r.answers.values()) for r in recount), recount.count() * len(codes)) * 25
    assert Fraction(str(public_score(Client(), service_a)[0])) == round(by_hand * 100) / Fraction(100)
    assert held_count(Scope()) == 0


def test_100_citizens_behind_one_address_in_ten_minutes_on_their_own_phones_are_all_counted(
    clock, history, service_a, codes
):
    rng = random.Random(100)
    counted = results(scope=Scope(service=service_a)).respondents

    for _ in range(100):
        response = post_survey(fresh_client("203.0.113.5"), codes, honest_answers(rng, codes))
        assert response.status_code == 302
        clock.move(seconds=6)

    assert Response.objects.filter(status=Status.HELD).count() == 0
    assert results(scope=Scope(service=service_a)).respondents == counted + 100


def test_a_busy_day_of_all_4s_at_a_counter_where_most_answer_all_4s_is_not_held(clock, service_a, codes):
    for days_ago in range(20, 0, -1):
        clock.at(START - datetime.timedelta(days=days_ago))
        for answer in (4, 4, 4, 3):
            response_submit(
                service=service_a, answers=dict.fromkeys(codes, answer), profile=GOOD_PROFILE, channel="web"
            )
    clock.at(START)

    for _ in range(40):
        assert post_survey(fresh_client(), codes, 4).status_code == 302
        clock.move(seconds=10)

    assert Response.objects.filter(status=Status.HELD).count() == 0


# --- Each rule on its own -------------------------------------------------------------------------


def test_pattern_burst_holds_the_whole_group_of_identical_answers(clock, history, service_a, service_b, codes):
    for _ in range(7):
        post_survey(fresh_client(), codes, 1)
        clock.move(seconds=20)
    assert Response.objects.filter(submitted_at__gte=START, status=Status.ACCEPTED).count() == 7

    post_survey(fresh_client(), codes, 1)  # the eighth identical set in ten minutes

    burst = Response.objects.filter(submitted_at__gte=START)
    assert set(burst.values_list("status", "held_rule")) == {(Status.HELD, "pattern_burst")}
    assert burst.count() == 8
    assert tallies_compare() == []


def test_pattern_burst_looks_at_one_window_only(clock, history, service_a, codes):
    for _ in range(10):
        post_survey(fresh_client(), codes, 1)
        clock.move(minutes=5)  # two in any ten minutes

    assert Response.objects.filter(submitted_at__gte=START, status=Status.HELD).count() == 0


def test_rate_burst_holds_a_flood_of_low_varied_answers_and_keeps_the_ordinary_ones(clock, history, service_a, codes):
    rng = random.Random(3)
    for number in range(30):
        if number % 6 == 0:
            post_survey(fresh_client(), codes, honest_answers(rng, codes))
        else:
            post_survey(fresh_client(), codes, {code: rng.choice([1, 1, 2]) for code in codes})
        clock.move(seconds=10)

    burst = Response.objects.filter(submitted_at__gte=START)
    low = [r for r in burst if sum(r.answers.values()) / len(codes) < 2.5]
    assert {(r.status, r.held_rule) for r in low} == {(Status.HELD, "rate_burst")}
    assert {r.status for r in burst if r not in low} == {Status.ACCEPTED}
    assert tallies_compare() == []


def test_device_repeat_holds_a_second_response_from_one_phone_for_one_service_the_same_day(
    clock, service_a, service_b, codes
):
    phone = fresh_client()

    first = post_survey(phone, codes, 4)
    second = post_survey(phone, codes, 3)
    other_service = post_survey(phone, codes, 4, code="B-NIB")
    clock.move(days=1)
    next_day = post_survey(phone, codes, 4)

    assert [r.status_code for r in (first, second, other_service, next_day)] == [302, 302, 302, 302]
    assert second.url == THANKS
    statuses = list(Response.objects.order_by("pk").values_list("status", "held_rule"))
    assert statuses == [
        (Status.ACCEPTED, ""),
        (Status.HELD, "device_repeat"),
        (Status.ACCEPTED, ""),
        (Status.ACCEPTED, ""),
    ]


def test_the_device_limit_is_configurable(clock, settings, service_a, codes):
    settings.SURVEY_DEVICE_LIMIT = (3, 86400)
    phone = fresh_client()

    for _ in range(4):
        post_survey(phone, codes, 4)

    assert list(Response.objects.order_by("pk").values_list("held_rule", flat=True)) == ["", "", "", "device_repeat"]


def test_a_forged_device_cookie_counts_as_no_cookie(clock, settings, service_a, codes):
    settings.SURVEY_COOKIELESS_LIMIT = (1, 3600)
    client = fresh_client()
    client.cookies[DEVICE_COOKIE] = "made-up-by-a-script-123456"

    post_survey(client, codes, 4, get_form=False)
    client.cookies[DEVICE_COOKIE] = "made-up-by-a-script-123456"
    post_survey(client, codes, 4, get_form=False)

    assert list(Response.objects.order_by("pk").values_list("held_rule", flat=True)) == ["", "address_burst"]


def test_without_cookies_a_browser_falls_back_to_its_address(clock, service_a, codes):
    limit, _window = settings.SURVEY_COOKIELESS_LIMIT
    client = fresh_client()

    for _ in range(limit + 1):
        client.cookies.clear()
        assert post_survey(client, codes, 4, get_form=False).url == THANKS
        clock.move(seconds=30)

    rules = list(Response.objects.order_by("pk").values_list("held_rule", flat=True))
    assert rules == [""] * limit + ["address_burst"]


def test_after_honeypot_fills_from_an_address_its_submissions_are_held(clock, service_a, codes):
    bot = fresh_client("192.0.2.66")
    for _ in range(settings.SURVEY_FAILURE_LIMIT):
        html = bot.get(survey_url()).content.decode()
        token = re.search(r'name="token" value="([^"]+)"', html).group(1)
        assert bot.post(survey_url(), {"token": token, "website": "http://spam.example"}).url == THANKS
    assert Response.objects.count() == 0

    post_survey(fresh_client("192.0.2.66"), codes, 4)
    post_survey(fresh_client("192.0.2.67"), codes, 4)

    assert list(Response.objects.order_by("pk").values_list("held_rule", flat=True)) == ["failure_pattern", ""]


def test_the_address_ceiling_still_refuses_with_429_and_stores_nothing(clock, settings, service_a, codes):
    settings.SURVEY_RATE_LIMIT = (3, 3600)
    statuses = [post_survey(fresh_client(), codes, 4).status_code for _ in range(4)]

    assert statuses == [302, 302, 302, 429]
    assert Response.objects.count() == 3


def test_the_api_goes_through_the_same_rules(clock, history, client, service_a, codes):
    for _ in range(8):
        body = {"service": "A-KTP", **GOOD_PROFILE, "answers": dict.fromkeys(codes, 1)}
        assert client.post(reverse("api:responses"), body, content_type="application/json").status_code == 201
        clock.move(seconds=5)

    assert set(Response.objects.filter(submitted_at__gte=START).values_list("status", flat=True)) == {Status.HELD}


# --- The cache down -----------------------------------------------------------------------------


@pytest.fixture
def cache_down(settings):
    """The cache pointed at a closed port, as when Redis is stopped."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient", "SOCKET_CONNECT_TIMEOUT": 1},
        }
    }
    yield
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_with_the_cache_down_submissions_are_stored_held_acknowledged_and_the_outage_logged_once(
    clock, cache_down, service_a, codes, caplog, client
):
    from surveys import ratelimit

    ratelimit._last_outage_log[0] = -float("inf")
    with caplog.at_level(logging.ERROR, logger="surveys.ratelimit"):
        web = [post_survey(fresh_client(), codes, 4) for _ in range(3)]
        body = {"service": "A-KTP", **GOOD_PROFILE, "answers": dict.fromkeys(codes, 4)}
        api = client.post(reverse("api:responses"), body, content_type="application/json")

    assert [r.status_code for r in web] == [302, 302, 302]
    assert {r.url for r in web} == {THANKS}
    assert api.status_code == 201
    assert set(Response.objects.values_list("status", "held_rule")) == {(Status.HELD, "cache_down")}
    assert Response.objects.count() == 4
    outages = [r for r in caplog.records if "cache is unreachable" in r.getMessage()]
    assert len(outages) == 1
