"""A keyboard and screen-reader user sends an incomplete survey: the title says "Kesalahan:",
focus lands on the error summary, and each link of it brings its question into view with the
focus on its first answer."""

from playwright.sync_api import expect

from surveys.models import Response


def in_view(page, selector: str) -> bool:
    return page.evaluate(
        """(selector) => { const r = document.querySelector(selector).getBoundingClientRect();
        return r.top >= -1 && r.bottom <= window.innerHeight; }""",
        selector,
    )


def test_keyboard_user_hears_the_errors_and_reaches_each_question(open_context, service_a, questionnaire):
    page = open_context("phone").new_page()
    codes = [element.code for element in questionnaire.elements.all()]
    page.goto("/survei/layanan/A-KTP/")
    page.locator("#age").fill("34")
    page.locator("#education").select_option("sma")
    page.locator("#occupation").select_option("wirausaha")
    for code in codes:
        if code != "sarana":
            page.locator(f"label[for=q_{code}_3]").tap()
    with page.expect_navigation():
        page.locator("form.survey button[type=submit]").tap()

    assert page.title().startswith("Kesalahan:")
    summary = page.locator(".survey-errors")
    expect(summary).to_be_focused()
    page.keyboard.press("Tab")
    expect(summary.locator("a").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#gender_0")).to_be_focused()
    assert in_view(page, "fieldset:has(#gender_0) legend")

    summary.locator("a[href='#q_sarana_0']").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#q_sarana_0")).to_be_focused()
    assert in_view(page, "fieldset:has(#q_sarana_0) legend")
    assert not Response.objects.exists()
