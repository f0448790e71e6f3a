"""The survey's per-address ceiling (SURVEY_RATE_LIMIT), seen through the survey page."""

import re
import uuid

import pytest
from django.conf import settings
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from surveys.models import Response

pytestmark = pytest.mark.django_db

SURVEY_URL = reverse("survey:service_survey", args=["A-KTP"])
REDIS_URL = "redis://127.0.0.1:6379/15"
TOO_MANY = "Too many submissions from this device. Please try again later."


def english_client(address="127.0.0.1") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def send(client, questionnaire):
    """One complete survey from ``client``, with a token of its own (a new visit)."""
    html = client.get(SURVEY_URL).content.decode()
    data = {
        "gender": "L",
        "age": "45",
        "education": "s1",
        "occupation": "pns",
        "token": re.search(r'name="token" value="([^"]+)"', html).group(1),
    }
    data.update({f"q_{element.code}": "4" for element in questionnaire.elements.all()})
    return client.post(SURVEY_URL, data)


def test_over_the_limit_the_form_comes_back_with_429_and_nothing_is_stored(settings, service_a, questionnaire):
    settings.SURVEY_RATE_LIMIT = (2, 3600)
    client = english_client()

    statuses = [send(client, questionnaire).status_code for _ in range(2)]
    refused = send(client, questionnaire)

    assert statuses == [302, 302]
    assert refused.status_code == 429
    html = refused.content.decode()
    assert TOO_MANY in html
    assert re.search(r'name="q_sarana" value="4"[^>]*\bchecked\b', html)  # the answers are kept for later
    assert Response.objects.count() == 2


def test_no_limit_when_turned_off(settings, service_a, questionnaire):
    settings.SURVEY_RATE_LIMIT = None
    client = english_client()

    statuses = {send(client, questionnaire).status_code for _ in range(6)}

    assert statuses == {302}
    assert Response.objects.count() == 6


def test_devices_with_different_addresses_are_counted_apart(settings, service_a, questionnaire):
    settings.SURVEY_RATE_LIMIT = (1, 3600)
    first, second = english_client("10.1.1.1"), english_client("10.2.2.2")

    assert send(first, questionnaire).status_code == 302
    assert send(second, questionnaire).status_code == 302
    assert send(first, questionnaire).status_code == 429
    assert Response.objects.count() == 2


def test_the_client_address_is_stored_nowhere_with_the_response(settings, service_a, questionnaire):
    settings.SURVEY_RATE_LIMIT = (5, 3600)
    address = "203.0.113.77"

    assert send(english_client(address), questionnaire).status_code == 302

    stored = model_to_dict(Response.objects.get())
    assert all(address not in str(value) for value in stored.values())


@pytest.fixture
def redis_cache(settings):
    """The default cache pointed at Redis (database 15) with a key prefix of its own, as when
    several app processes share one Redis; skipped when no Redis answers."""
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
    yield connection, prefix
    keys = connection.keys(f"{prefix}:*")
    if keys:
        connection.delete(*keys)
    connection.close()


def test_with_redis_the_count_is_shared_by_every_client_of_one_device(redis_cache, settings, service_a, questionnaire):
    connection, prefix = redis_cache
    settings.SURVEY_RATE_LIMIT = (2, 3600)
    # Two clients stand for two app processes: the count must live in Redis, not in either.
    first, second = english_client("198.51.100.9"), english_client("198.51.100.9")

    assert send(first, questionnaire).status_code == 302
    assert send(second, questionnaire).status_code == 302
    [key] = connection.keys(f"{prefix}:*survey-address:*")
    assert int(connection.get(key)) == 2
    assert b"198.51.100.9" not in key
    refused = send(first, questionnaire)

    assert refused.status_code == 429
    assert TOO_MANY in refused.content.decode()
    assert Response.objects.count() == 2
