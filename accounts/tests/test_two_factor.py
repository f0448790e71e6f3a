"""Optional two-factor sign-in (TOTP) for super admins and evaluators."""

import base64
import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import totp_confirm, totp_enrolment

pytestmark = pytest.mark.django_db
SETUP = reverse("accounts:two_factor")
PASSWORD = "Correct-Horse-9"


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def code(device: TOTPDevice) -> str:
    """What the phone's app shows now."""
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(code(device)) + 1) % 1_000_000:06d}"


def sign_in(client, user):
    client.logout()
    return client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})


@pytest.fixture
def protected(evaluator):
    """The evaluator with two-factor sign-in turned on."""
    device = totp_enrolment(user=evaluator)
    totp_confirm(user=evaluator, token=code(device))
    device.refresh_from_db()
    device.last_t = -1  # as on a fresh sign-in: the code used to confirm is not reused below
    device.save()
    return device


def test_the_setup_page_shows_a_qr_code_and_the_key_the_code_is_made_from(client_for, evaluator):
    page = english(client_for(evaluator)).get(SETUP).content.decode()

    device = TOTPDevice.objects.get(user=evaluator, confirmed=False)
    key = re.search(r'<code id="two-factor-key">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    assert base64.b32decode(key) == device.bin_key
    assert 'src="data:image/svg+xml;base64,' in page


def test_a_right_code_turns_it_on_and_a_wrong_one_is_refused(client_for, evaluator, clock):
    client = english(client_for(evaluator))
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=evaluator)

    wrong = client.post(SETUP, {"token": wrong_code(device)})
    assert "That code is not the one your app shows now." in wrong.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()

    clock.shift(datetime.timedelta(seconds=2))  # after a wrong code the next try waits a second
    assert client.post(SETUP, {"token": code(device)}).status_code == 302
    assert TOTPDevice.objects.get(user=evaluator).confirmed
    assert client.get(reverse("accounts:dashboard")).status_code == 200  # this session is verified


def test_after_the_password_every_staff_page_waits_for_the_code(client, evaluator, protected, clock):
    assert sign_in(client, evaluator).status_code == 302
    client = english(client)  # after the sign-in, which starts with fresh cookies

    response = client.get(reverse("results:regency"))
    verify = reverse("accounts:two_factor_verify")
    assert response["Location"] == f"{verify}?next=%2Fkelola%2Fhasil%2F"
    page = client.get(response["Location"]).content.decode()
    assert "Type the six-digit code" in page

    wrong = client.post(verify, {"token": wrong_code(protected), "next": "/kelola/hasil/"})
    assert "That code is not right." in wrong.content.decode()
    clock.shift(datetime.timedelta(seconds=2))  # after a wrong code the next try waits a second
    right = client.post(verify, {"token": code(protected), "next": "/kelola/hasil/"})
    assert right["Location"] == "/kelola/hasil/"
    assert client.get(reverse("results:regency")).status_code == 200


def test_the_code_page_never_sends_on_to_another_site(client, evaluator, protected):
    sign_in(client, evaluator)
    response = client.post(
        reverse("accounts:two_factor_verify"), {"token": code(protected), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("accounts:dashboard")


def test_a_code_is_good_once(client, evaluator, protected, clock):
    sign_in(client, evaluator)
    used = code(protected)
    client.post(reverse("accounts:two_factor_verify"), {"token": used})
    sign_in(client, evaluator)

    again = english(client).post(reverse("accounts:two_factor_verify"), {"token": used})
    assert "That code is not right." in again.content.decode()
    clock.shift(datetime.timedelta(seconds=31))
    assert client.post(reverse("accounts:two_factor_verify"), {"token": code(protected)}).status_code == 302


def test_turning_it_off_takes_a_current_code(client, evaluator, protected):
    sign_in(client, evaluator)
    client.post(reverse("accounts:two_factor_verify"), {"token": code(protected)})
    protected.refresh_from_db()
    protected.last_t = -1
    protected.save()

    assert english(client).post(SETUP, {"token": code(protected)}).status_code == 302
    assert not TOTPDevice.objects.exists()
    sign_in(client, evaluator)
    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_leaders_and_operators_have_no_two_factor_setup(client_for, leader, operator_a):
    assert client_for(leader).get(SETUP).status_code == 403
    assert client_for(operator_a).get(SETUP).status_code == 403
    assert not TOTPDevice.objects.exists()
