"""The proxy's health check: database and cache reachable, and nothing else said."""

from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_healthy_site_answers_200_with_its_checks_and_nothing_else(client):
    response = client.get(reverse("operations:health"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_an_unreachable_database_is_a_503_naming_it(client):
    with mock.patch("operations.views.connection.cursor", side_effect=OperationalError("could not connect")):
        response = client.get(reverse("operations:health"))

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable", "cache": "ok"}
    assert "could not connect" not in response.content.decode()


def test_an_unreachable_cache_is_degraded_not_down_so_the_proxy_keeps_serving(client):
    # Without Redis the survey still stores submissions (held for review): the site serves.
    with mock.patch("operations.views.cache.set", side_effect=ConnectionError("Error 111 connecting to redis")):
        response = client.get(reverse("operations:health"))

    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unreachable"}


def test_the_check_is_not_redirected_to_https_so_a_plain_http_probe_works(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get(reverse("operations:health")).status_code == 200
    assert client.get(reverse("standards:home")).status_code == 301
