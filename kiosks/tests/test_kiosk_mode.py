"""A counter tablet enrolled once, then serving a queue of citizens: every response stored with
the channel ``kiosk`` and the kiosk, its own interval instead of the per-address limit, a
thank-you that returns to a fresh survey, and revocation that stops it at once."""

import json
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from kiosks.models import Kiosk
from kiosks.services import kiosk_register, kiosk_revoke
from kiosks.tests.conftest import PROFILE, enrol, kiosk_post, token_of
from surveys.models import ProfileTally, RespondentTally, Response
from surveys.tallies import tallies_compare

pytestmark = pytest.mark.django_db


def test_enrolment_link_asks_first_then_turns_the_browser_into_the_kiosk(client, kiosk_a, questionnaire):
    kiosk, code = kiosk_a
    page = client.get(reverse("kiosk:enrol") + f"?kode={code}")
    assert page.status_code == 200
    assert f'value="{code}"' in page.content.decode()
    assert not Kiosk.objects.get(pk=kiosk.pk).credential_hash  # opening the link used nothing up

    response = client.post(reverse("kiosk:enrol"), {"code": code.lower().replace("-", " ")})

    assert response.status_code == 302
    cookie = response.cookies["siputri_kiosk"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert len(cookie.value) > 60  # id, a 43-character secret and a signature
    home = client.get(reverse("kiosk:home"), follow=True)
    assert home.status_code == 200
    assert "Penerbitan KTP-el" in home.content.decode()


def test_the_code_works_once(client, kiosk_a):
    _kiosk, code = kiosk_a
    enrol(client, code)
    other = Client()

    response = other.post(reverse("kiosk:enrol"), {"code": code})

    assert response.status_code == 200
    assert "tidak berlaku" in response.content.decode()
    assert other.get(reverse("kiosk:home")).status_code == 403


def test_a_wrong_or_forged_credential_is_not_a_kiosk(client, kiosk_a):
    kiosk, _code = kiosk_a
    client.cookies["siputri_kiosk"] = f"{kiosk.pk}:not-signed"

    response = client.get(reverse("kiosk:home"))

    assert response.status_code == 403
    assert "bukan kios terdaftar" in response.content.decode()


def test_kiosk_survey_has_large_targets_and_no_site_navigation_or_staff_links(tablet, questionnaire):
    html = tablet.get(reverse("kiosk:survey", args=["A-KTP"])).content.decode()

    assert '<body class="kiosk">' in html
    assert "main-nav" not in html and "/login/" not in html and "/kelola/" not in html
    assert 'data-idle-seconds="120"' in html
    assert 'content="600;url=/kios/layanan/A-KTP/"' in html  # the reset without script
    # Added to the tablet's home screen, the kiosk opens full-screen, without the browser's bars.
    assert '<link rel="manifest" href="/static/kiosk.webmanifest">' in html
    manifest = json.loads((settings.BASE_DIR / "static" / "kiosk.webmanifest").read_text())
    assert (manifest["display"], manifest["start_url"]) == ("fullscreen", "/kios/")


def test_a_kiosk_response_carries_the_channel_and_the_kiosk_and_is_counted(tablet, kiosk_a, questionnaire):
    response = kiosk_post(tablet, questionnaire)

    assert response.status_code == 302 and response["Location"] == reverse("kiosk:thanks")
    stored = Response.objects.get()
    assert (stored.channel, stored.kiosk_id) == ("kiosk", kiosk_a[0].pk)
    kiosk = Kiosk.objects.get(pk=kiosk_a[0].pk)
    assert kiosk.submission_count == 1 and kiosk.last_submission_at == stored.submitted_at


def test_the_kiosk_survey_offers_the_assisted_box_as_a_large_tap_target(tablet, questionnaire):
    html = tablet.get(reverse("kiosk:survey", args=["A-KTP"])).content.decode()

    assert re.search(r'<label class="opt" for="assisted"><input type="checkbox" name="assisted" id="assisted"> ', html)
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    assert re.search(r"\.kiosk \.survey \.opt \{[^}]*min-height: 64px", css)


def test_a_kiosk_respondent_helped_by_staff_is_stored_and_counted_as_assisted(tablet, questionnaire, clock):
    kiosk_post(tablet, questionnaire, assisted="on")
    clock.move(seconds=settings.KIOSK_MIN_INTERVAL + 1)
    kiosk_post(tablet, questionnaire)  # the next citizen in the queue, on their own

    assert sorted(Response.objects.values_list("channel", "assisted")) == [("kiosk", False), ("kiosk", True)]
    assisted = ProfileTally.objects.filter(span="d", dimension="assisted")
    assert dict(assisted.values_list("value", "count")) == {"ya": 1, "tidak": 1}
    assert tallies_compare() == []


def test_thanks_returns_to_a_fresh_empty_survey_by_itself(tablet, questionnaire):
    kiosk_post(tablet, questionnaire)

    html = tablet.get(reverse("kiosk:thanks")).content.decode()

    assert '<meta http-equiv="refresh" content="6;url=/kios/">' in html
    fresh = tablet.get(reverse("kiosk:survey", args=["A-KTP"])).content.decode()
    assert "checked" not in fresh


def test_a_second_submission_within_the_interval_waits_and_keeps_the_answers(tablet, questionnaire, clock):
    kiosk_post(tablet, questionnaire)
    clock.move(seconds=5)

    response = kiosk_post(tablet, questionnaire, suggestion="Ruang tunggu panas")

    assert response.status_code == 429
    assert int(response["Retry-After"]) == 10
    html = response.content.decode()
    assert "tunggu beberapa detik" in html
    assert "Ruang tunggu panas" in html
    assert Response.objects.count() == 1
    clock.move(seconds=10)
    assert kiosk_post(tablet, questionnaire).status_code == 302
    assert Response.objects.count() == 2


def test_two_hundred_kiosk_submissions_from_one_address_are_all_stored_and_counted(
    settings, tablet, kiosk_a, questionnaire, clock
):
    settings.SURVEY_RATE_LIMIT = (30, 3600)
    for _ in range(200):
        assert kiosk_post(tablet, questionnaire).status_code == 302
        clock.move(seconds=settings.KIOSK_MIN_INTERVAL)

    assert Response.objects.filter(channel="kiosk", kiosk=kiosk_a[0]).count() == 200
    assert sum(RespondentTally.objects.filter(span="d").values_list("count", flat=True)) == 200
    assert Kiosk.objects.get(pk=kiosk_a[0].pk).submission_count == 200
    # The public per-address limit still stops a script on another device of the same office.
    script = Client(REMOTE_ADDR="10.0.0.7")
    statuses = [_web_post(script, questionnaire) for _ in range(31)]
    assert statuses[:30] == [302] * 30 and statuses[30] == 429


def _web_post(client, questionnaire):
    from surveys.tests.test_survey_form import filled

    return client.post(reverse("survey:service_survey", args=["A-KTP"]), filled(client, questionnaire)).status_code


def test_revoking_stops_the_credential_at_once(tablet, kiosk_a, operator_a, questionnaire):
    url = reverse("kiosk:survey", args=["A-KTP"])
    data = {**PROFILE, "token": token_of(tablet.get(url).content.decode())}
    data.update({f"q_{element.code}": "4" for element in questionnaire.elements.all()})
    kiosk_revoke(kiosk=kiosk_a[0], actor=operator_a)

    assert tablet.get(url).status_code == 403
    assert tablet.post(url, data).status_code == 403
    assert Response.objects.count() == 0


def test_a_kiosk_fixed_to_one_service_opens_it_and_refuses_the_others(service_a, agency_a, questionnaire):
    from standards.models import Service

    Service.objects.create(agency=agency_a, code="A-KK", name="Kartu Keluarga")
    _kiosk, code = kiosk_register(name="Loket KTP", agency=agency_a, service=service_a, actor=None)
    device = enrol(Client(), code)

    assert device.get(reverse("kiosk:home"))["Location"] == reverse("kiosk:survey", args=["A-KTP"])
    assert device.get(reverse("kiosk:survey", args=["A-KK"])).status_code == 404


def test_a_kiosk_serves_its_own_agency_only(tablet, service_b, questionnaire):
    assert tablet.get(reverse("kiosk:survey", args=["B-NIB"])).status_code == 404
