"""A citizen who just received a service rates it on a cheap 360-px phone, in under a minute."""

import time

from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from surveys.models import RespondentTally, Response

PHONE_WIDTH = 360
MIN_TAP_HEIGHT = 44
ONE_MINUTE = 60


def indonesian(message: str) -> str:
    """``message`` as the site shows it to an Indonesian browser."""
    with translation.override("id"):
        return gettext(message)


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def fill_profile(page):
    page.locator("label[for=gender_1]").tap()
    page.locator("#age").tap()
    page.locator("#age").fill("34")
    page.locator("#education").select_option("sma")
    page.locator("#occupation").select_option("wirausaha")


def test_citizen_rates_a_service_on_a_phone_in_under_a_minute(phone_page, service_a, questionnaire, outside_requests):
    page = phone_page
    codes = [element.code for element in questionnaire.elements.all()]
    started = time.monotonic()

    page.goto("/")
    with page.expect_navigation():
        page.get_by_role("link", name=service_a.agency.name).tap()
    with page.expect_navigation():
        page.get_by_role("link", name="Penerbitan KTP-el").tap()
    with page.expect_navigation():
        page.locator("main a.button[href='/survei/layanan/A-KTP/']").tap()

    assert page.url.endswith("/survei/layanan/A-KTP/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("h1")).to_contain_text("Penerbitan KTP-el")
    legends = page.locator("form.survey fieldset.choice legend")
    expect(legends).to_have_count(len(codes) + 1)  # gender, then one per element
    expect(legends.nth(1)).to_have_text(f"1. {questionnaire.elements.get(code='persyaratan').question_id}")
    assert page_width(page) <= PHONE_WIDTH
    assert page.locator("label[for=q_persyaratan_0]").bounding_box()["height"] >= MIN_TAP_HEIGHT

    fill_profile(page)
    for position, code in enumerate(codes):
        value = 3 if position % 3 == 0 else 4
        page.locator(f"label[for=q_{code}_{value - 1}]").tap()
        expect(page.locator(f"#q_{code}_{value - 1}")).to_be_checked()
    with page.expect_navigation():
        page.locator("form.survey button[type=submit]").tap()

    elapsed = time.monotonic() - started
    assert "/survei/terima-kasih/" in page.url
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Penerbitan KTP-el")
    assert elapsed < ONE_MINUTE, f"the survey took {elapsed:.1f} s"

    stored = Response.objects.get()
    assert stored.service == service_a
    assert stored.channel == "web"
    assert stored.answers == {code: 3 if position % 3 == 0 else 4 for position, code in enumerate(codes)}
    assert (stored.gender, stored.age, stored.education, stored.occupation) == ("P", 34, "sma", "wirausaha")
    assert RespondentTally.objects.filter(span="d").get().count == 1
    assert outside_requests == []


def test_an_unanswered_element_is_pointed_out_and_the_answers_are_kept(
    open_context, service_a, questionnaire, outside_requests
):
    page = open_context("phone", java_script_enabled=False).new_page()
    codes = [element.code for element in questionnaire.elements.all()]
    page.goto("/survei/layanan/A-KTP/")

    fill_profile(page)
    for code in codes:
        if code != "waktu":
            page.locator(f"label[for=q_{code}_3]").tap()
    with page.expect_navigation():
        page.locator("form.survey button[type=submit]").tap()

    assert page.url.endswith("/survei/layanan/A-KTP/")
    waktu = page.locator("fieldset:has(#q_waktu_0)")
    expect(waktu.locator("p.error")).to_have_text(indonesian("Please choose an answer."))
    expect(waktu).to_have_attribute("aria-describedby", "q_waktu_error")
    summary = page.get_by_role("alert")
    expect(summary.locator("a[href='#q_waktu_0']")).to_contain_text(indonesian("Please choose an answer."))
    expect(page.locator("p.error")).to_have_count(1)
    for code in codes:
        if code != "waktu":
            expect(page.locator(f"#q_{code}_3")).to_be_checked()
    expect(page.locator("#gender_1")).to_be_checked()
    expect(page.locator("#age")).to_have_value("34")
    expect(page.locator("#education")).to_have_value("sma")
    expect(page.locator("#occupation")).to_have_value("wirausaha")
    assert page_width(page) <= PHONE_WIDTH
    assert not Response.objects.exists()

    page.locator("label[for=q_waktu_2]").tap()
    with page.expect_navigation():
        page.locator("form.survey button[type=submit]").tap()

    assert "/survei/terima-kasih/" in page.url
    assert Response.objects.get().answers["waktu"] == 3
    assert outside_requests == []
