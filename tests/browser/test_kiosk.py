"""A counter tablet: enrolled once by a staff member, then a queue of citizens fill the survey
one after another, and after each the tablet shows a thank-you and returns to an empty survey
by itself."""

import re

from playwright.sync_api import expect

from kiosks.models import Kiosk
from surveys.models import RespondentTally, Response

TABLET = {"viewport": {"width": 800, "height": 1280}, "is_mobile": True, "has_touch": True, "locale": "id-ID"}
MIN_KIOSK_TAP_HEIGHT = 56
CITIZENS = 3


def test_enrolled_kiosk_serves_a_queue_and_resets_after_each(
    settings, open_context, sign_in, operator_a, service_a, questionnaire, outside_requests
):
    settings.KIOSK_MIN_INTERVAL = 0
    settings.KIOSK_THANKS_SECONDS = 1
    staff = open_context("desktop").new_page()
    sign_in(staff, "operator.a")
    staff.goto("/kelola/kios/baru/")
    staff.locator("#id_name").fill("Loket KTP")
    staff.locator("#id_service").select_option(label=f"{service_a.name} ({service_a.agency.name})")
    with staff.expect_navigation():
        staff.locator("main form button[type=submit]").click()
    link = staff.locator("section.enrolment a").get_attribute("href")
    enrol_path = re.sub(r"^https?://[^/]+", "", link)

    tablet_context = open_context("phone", **TABLET)
    tablet = tablet_context.new_page()
    tablet.goto(enrol_path)
    with tablet.expect_navigation():
        tablet.get_by_role("button", name="Jadikan perangkat ini kios").tap()
    assert tablet.url.endswith("/kios/layanan/A-KTP/")
    expect(tablet.locator(".main-nav")).to_have_count(0)
    expect(tablet.locator("a[href^='/kelola/'], a[href='/login/']")).to_have_count(0)

    codes = [element.code for element in questionnaire.elements.all()]
    for citizen in range(CITIZENS):
        expect(tablet.locator("form.survey input:checked")).to_have_count(0)
        expect(tablet.locator("#age")).to_have_value("")
        assert tablet.locator("label[for=q_persyaratan_0]").bounding_box()["height"] >= MIN_KIOSK_TAP_HEIGHT
        tablet.locator("label[for=gender_0]").tap()
        tablet.locator("#age").fill(str(30 + citizen))
        tablet.locator("#education").select_option("sma")
        tablet.locator("#occupation").select_option("swasta")
        for code in codes:
            tablet.locator(f"label[for=q_{code}_3]").tap()
        with tablet.expect_navigation():
            tablet.locator("form.survey button[type=submit]").tap()
        expect(tablet.locator("h1")).to_have_text("Terima kasih telah mengisi survei")
        # The thank-you returns to the survey by itself (meta refresh, no script needed).
        tablet.wait_for_url("**/kios/layanan/A-KTP/", timeout=5000)

    stored = Response.objects.order_by("age")
    assert [(r.channel, r.age) for r in stored] == [("kiosk", 30 + n) for n in range(CITIZENS)]
    kiosk = Kiosk.objects.get()
    assert {r.kiosk_id for r in stored} == {kiosk.pk} and kiosk.submission_count == CITIZENS
    assert sum(RespondentTally.objects.filter(span="d").values_list("count", flat=True)) == CITIZENS
    staff.goto(f"/kelola/kios/{kiosk.pk}/")
    expect(staff.locator("main dl")).to_contain_text(str(CITIZENS))
    assert outside_requests == []


def test_an_abandoned_half_filled_survey_is_cleared_after_the_idle_time(
    settings, open_context, service_a, questionnaire
):
    from kiosks.services import kiosk_register

    settings.KIOSK_IDLE_SECONDS = 2
    _kiosk, code = kiosk_register(name="Loket", agency=service_a.agency, service=service_a, actor=None)
    tablet = open_context("phone", **TABLET).new_page()
    tablet.goto(f"/kios/daftar/?kode={code}")
    with tablet.expect_navigation():
        tablet.get_by_role("button", name="Jadikan perangkat ini kios").tap()
    tablet.locator("label[for=gender_1]").tap()
    tablet.locator("label[for=q_persyaratan_2]").tap()
    expect(tablet.locator("form.survey input:checked")).to_have_count(2)

    tablet.wait_for_timeout(3500)

    expect(tablet.locator("form.survey input:checked")).to_have_count(0)
    assert Response.objects.count() == 0
