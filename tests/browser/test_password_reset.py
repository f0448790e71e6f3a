"""A staff member who forgot the password gets a link by email and signs in with a new one."""

from django.conf import settings
from django.core import mail
from playwright.sync_api import expect


# ``questionnaire``: the sign-in lands on the operator's dashboard, which shows the index of the
# questionnaire in use. The migration makes it, but a live-server test runs on a database that
# the browser tests before it flushed, so without the fixture there is none and the page fails.
def test_forgotten_password_is_reset_by_the_emailed_link(
    desktop_page, sign_in, operator_a, questionnaire, outside_requests
):
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
