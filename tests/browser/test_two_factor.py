"""An evaluator turns on two-factor sign-in with an authenticator app, then signs in with a code."""

import base64

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.two_factor import totp_confirm, totp_enrolment


def app_code(key: bytes) -> str:
    """What the authenticator app on the phone shows now."""
    return f"{TOTP(key).token():06d}"


def test_an_evaluator_turns_two_factor_sign_in_on_from_the_key_shown(
    desktop_page, sign_in, evaluator, outside_requests
):
    page = sign_in(desktop_page, "evaluator")
    page.goto("/akun/dua-langkah/")
    expect(page.get_by_role("img", name="QR")).to_be_visible()
    key = base64.b32decode(page.locator("#two-factor-key").inner_text().replace(" ", ""))

    page.locator("#id_token").fill(app_code(key))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    expect(page.locator("#two-factor-on")).to_be_visible()
    assert TOTPDevice.objects.get(user=evaluator).confirmed
    assert outside_requests == []


def test_with_two_factor_on_the_password_alone_does_not_open_the_dashboard(desktop_page, sign_in, evaluator):
    device = totp_enrolment(user=evaluator)
    totp_confirm(user=evaluator, token=app_code(device.bin_key))
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # a later sign-in, not the same instant

    page = sign_in(desktop_page, "evaluator")
    assert "/login/kode/" in page.url
    page.locator("#id_token").fill("000000" if app_code(device.bin_key) != "000000" else "111111")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    expect(page.locator("#id_token_error")).to_contain_text("Kode itu salah")

    page.wait_for_timeout(1100)  # a wrong code makes the next try wait a second
    page.locator("#id_token").fill(app_code(device.bin_key))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert page.url.endswith("/dasbor/")
    expect(page.locator("form[action$='/logout/']").first).to_be_visible()
