"""The lock-out behind a proxy: failures count against the client's address as the proxy saw it
(PROXY_COUNT, the survey limit's rule), and an account guessed at from many addresses is slowed,
never locked. The proxy is simulated: every request arrives from the proxy's socket address with
the client's address appended to X-Forwarded-For."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
RIGHT = "Correct-Horse-9"


@pytest.fixture(autouse=True)
def _one_proxy(settings):
    settings.PROXY_COUNT = 1


@pytest.fixture
def client_factory():
    """Browsers of different people, each with its own cookies."""
    return Client


def sign_in(client, address, password, username="operator.a"):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,  # what the proxy appends: the address it saw
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_guesser_behind_the_proxy_locks_only_their_own_address(client_factory, operator_a, settings):
    guesser, owner = client_factory(), client_factory()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(guesser, "203.0.113.9", "wrong")

    locked = sign_in(guesser, "203.0.113.9", RIGHT)
    welcome = sign_in(owner, "198.51.100.20", RIGHT)

    assert locked.status_code == 429 and not signed_in(guesser)
    assert welcome.status_code == 302 and signed_in(owner)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


def test_a_forged_forwarded_address_before_the_proxy_does_not_escape_the_lock(client_factory, operator_a, settings):
    guesser = client_factory()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        # The proxy appends what it saw; whatever the client wrote before it is not trusted.
        guesser.post(
            reverse("accounts:login"),
            {"username": "operator.a", "password": "wrong"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, 203.0.113.9",
        )

    assert sign_in(guesser, "203.0.113.9", RIGHT).status_code == 429


def test_a_guesser_spread_over_many_addresses_is_slowed_and_the_owner_signs_in_after_the_wait(
    client_factory, operator_a, settings, clock
):
    settings.LOGIN_ACCOUNT_CEILING = 12
    settings.LOGIN_ACCOUNT_DELAY_SECONDS = 30
    guesser, owner = client_factory(), client_factory()
    # Each address stays under the per-address limit; together they pass the ceiling.
    for attempt in range(settings.LOGIN_ACCOUNT_CEILING):
        sign_in(guesser, f"203.0.113.{attempt // 3}", "wrong")

    owner.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    slowed = sign_in(owner, "198.51.100.20", RIGHT)
    slowed_in = signed_in(owner)
    clock.shift(datetime.timedelta(seconds=31))
    welcome = sign_in(owner, "198.51.100.20", RIGHT)

    assert slowed.status_code == 200 and not slowed_in
    assert "Wait 30 seconds and try again." in slowed.content.decode()
    assert welcome.status_code == 302 and signed_in(owner)


def test_while_slowed_the_password_is_not_even_tried(client_factory, operator_a, settings):
    settings.LOGIN_ACCOUNT_CEILING = 3
    guesser = client_factory()
    for attempt in range(3):
        sign_in(guesser, f"203.0.113.{attempt}", "wrong")
    before = AccessAttempt.objects.count()

    answers = [sign_in(guesser, f"198.51.100.{attempt}", "wrong") for attempt in range(10)]

    # Refused before authentication: no address got a failure recorded, none is locked out.
    assert AccessAttempt.objects.count() == before
    assert {answer.status_code for answer in answers} == {200}
    assert all(answer.context["form"].has_error("__all__", "account_slowed") for answer in answers)


def test_the_ceiling_is_per_account(client_factory, operator_a, operator_b, settings):
    settings.LOGIN_ACCOUNT_CEILING = 3
    guesser, other = client_factory(), client_factory()
    for attempt in range(3):
        sign_in(guesser, f"203.0.113.{attempt}", "wrong")

    assert sign_in(other, "198.51.100.1", RIGHT, username="operator.b").status_code == 302
