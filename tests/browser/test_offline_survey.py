"""A survey that survives a dropped connection: filled on a phone, sent while offline, the
browser closed and opened again, and stored exactly once when the connection returns."""

import datetime
import time

import pytest
from playwright.sync_api import expect

from surveys.models import RespondentTally, Response
from tests.browser.conftest import CHROMIUM_ARGS, CHROMIUM_PATH, PHONE, TIMEOUT_MS

RECONNECT_TIMEOUT_S = 20


@pytest.fixture
def phone_profile(browser, live_server, tmp_path):
    """``open()``: the same phone browser (one profile on disk) each time, as after closing the
    browser and starting it again."""
    contexts = []

    def open_(**options):
        context = browser.browser_type.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM_PATH,
            args=CHROMIUM_ARGS,
            base_url=live_server.url,
            **{**PHONE, **options},
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_
    for context in contexts:
        context.close()


def fill(page, questionnaire, age="52"):
    page.locator("label[for=gender_0]").tap()
    page.locator("#age").fill(age)
    page.locator("#education").select_option("smp")
    page.locator("#occupation").select_option("wirausaha")
    for element in questionnaire.elements.all():
        page.locator(f"label[for=q_{element.code}_2]").tap()


def test_a_survey_sent_offline_survives_closing_the_browser_and_is_stored_once(
    phone_profile, service_a, questionnaire, capsys
):
    phone = phone_profile()
    page = phone.pages[0] if phone.pages else phone.new_page()
    page.goto("/survei/layanan/A-KTP/")
    expect(page.locator("html[data-offline-ready]")).to_have_count(1)
    fill(page, questionnaire)

    phone.set_offline(True)
    page.locator("form.survey button[type=submit]").tap()

    expect(page.locator(".outbox")).to_have_text(
        "Tersimpan di perangkat ini. Survei akan terkirim sendiri saat koneksi kembali."
    )
    expect(page.locator("form.survey input:checked")).to_have_count(0)  # ready for the next citizen
    phone.close()
    assert not Response.objects.exists()

    phone = phone_profile(offline=True)
    page = phone.pages[0] if phone.pages else phone.new_page()
    page.goto("/survei/layanan/A-KTP/")  # from the service worker's copy
    expect(page.locator(".outbox")).to_contain_text("Satu survei tersimpan di perangkat ini")
    assert not Response.objects.exists()

    reconnected = time.monotonic()
    phone.set_offline(False)
    while not Response.objects.exists() and time.monotonic() - reconnected < RECONNECT_TIMEOUT_S:
        time.sleep(0.05)
    elapsed = time.monotonic() - reconnected
    expect(page.locator(".outbox")).to_contain_text("sudah terkirim")

    stored = Response.objects.get()
    assert (stored.age, stored.channel, stored.answers["waktu"]) == (52, "web", 3)
    assert RespondentTally.objects.filter(span="d").get().count == 1
    page.reload()
    page.wait_for_timeout(1000)
    assert Response.objects.count() == 1
    with capsys.disabled():
        print(f"\nreconnect to stored: {elapsed * 1000:.0f} ms")


def test_a_citizen_helped_by_staff_ticks_the_box_and_the_offline_copy_keeps_it(phone_profile, service_a, questionnaire):
    phone = phone_profile()
    page = phone.pages[0] if phone.pages else phone.new_page()
    page.goto("/survei/layanan/A-KTP/")
    expect(page.locator("html[data-offline-ready]")).to_have_count(1)
    fill(page, questionnaire)
    helped = page.locator("label[for=assisted]")
    assert helped.bounding_box()["height"] >= 44  # the whole label is the tap target
    helped.tap()
    expect(page.locator("#assisted")).to_be_checked()

    phone.set_offline(True)
    page.locator("form.survey button[type=submit]").tap()
    expect(page.locator(".outbox")).to_have_text(
        "Tersimpan di perangkat ini. Survei akan terkirim sendiri saat koneksi kembali."
    )
    expect(page.locator("#assisted")).not_to_be_checked()  # ready for the next citizen
    phone.set_offline(False)
    expect(page.locator(".outbox")).to_contain_text("sudah terkirim")

    stored = Response.objects.get()
    assert (stored.channel, stored.assisted) == ("web", True)


def test_a_kiosk_keeps_a_queue_made_offline_and_sends_each_once_within_its_interval(
    settings, open_context, service_a, questionnaire
):
    from kiosks.services import kiosk_register

    settings.KIOSK_MIN_INTERVAL = 2
    _kiosk, code = kiosk_register(name="Loket", agency=service_a.agency, service=service_a, actor=None)
    tablet_context = open_context(
        "phone", viewport={"width": 800, "height": 1280}, is_mobile=True, has_touch=True, locale="id-ID"
    )
    tablet = tablet_context.new_page()
    tablet.goto(f"/kios/daftar/?kode={code}")
    with tablet.expect_navigation():
        tablet.get_by_role("button", name="Jadikan perangkat ini kios").tap()
    expect(tablet.locator("html[data-offline-ready]")).to_have_count(1)

    tablet_context.set_offline(True)
    for age in ("31", "47"):  # two citizens on the same page, one after the other
        fill(tablet, questionnaire, age=age)
        tablet.locator("form.survey button[type=submit]").tap()
        expect(tablet.locator("form.survey input:checked")).to_have_count(0)
    expect(tablet.locator(".outbox")).to_contain_text("Tersimpan di perangkat ini")
    assert not Response.objects.exists()

    tablet_context.set_offline(False)
    expect(tablet.locator(".outbox")).to_contain_text("sudah terkirim", timeout=15_000)

    stored = Response.objects.order_by("age")
    assert [(r.age, r.channel) for r in stored] == [(31, "kiosk"), (47, "kiosk")]
    assert stored[1].submitted_at - stored[0].submitted_at >= datetime.timedelta(seconds=2)
