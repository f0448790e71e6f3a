"""Staff sign in through the real form; a wrong password is explained in Indonesian."""

from playwright.sync_api import expect


def test_wrong_password_shows_indonesian_error_and_stays_on_login(desktop_page, operator_a, outside_requests):
    page = desktop_page
    page.goto("/login/")
    page.locator("#id_username").fill("operator.a")
    page.locator("#id_password").fill("Wrong-Horse-9")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    error = page.get_by_role("alert")
    expect(error).to_contain_text("benar")  # "Masukkan nama pengguna dan sandi yang benar ..."
    assert page.url.split("?")[0].endswith("/login/")
    expect(page.locator("#id_username")).to_have_value("operator.a")
    expect(page.locator("form[action$='/logout/']")).to_have_count(0)
    assert outside_requests == []
