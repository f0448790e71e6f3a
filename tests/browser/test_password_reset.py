"""A staff member who forgot the password gets a link by email and signs in with a new one."""

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect


@pytest.mark.xfail(
    reason="passes alone; after the other browser tests the sign-in with the new password fails (under investigation)",
    strict=False,
)
def test_forgotten_password_is_reset_by_the_emailed_link(desktop_page, sign_in, operator_a, outside_requests):
    page = desktop_page
    page.goto("/login/")
    with page.expect_navigation():
        page.locator("#forgot-password").click()
    page.locator("#id_email").fill(operator_a.email)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("#reset-sent")).to_be_visible()

    [message] = mail.outbox
    link = next(line for line in message.body.splitlines() if line.startswith(settings.SITE_URL))
    page.goto(link.removeprefix(settings.SITE_URL))  # the live server stands in for SITE_URL
    page.locator("#id_new_password1").fill("Sungai-Musi-2027")
    page.locator("#id_new_password2").fill("Sungai-Musi-2027")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("#reset-complete")).to_be_visible()

    sign_in(page, "operator.a", password="Sungai-Musi-2027")
    expect(page.locator("form[action$='/logout/']")).to_have_count(1)
    assert outside_requests == []
