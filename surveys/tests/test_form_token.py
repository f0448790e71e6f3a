"""The one-time form token is the server's: signed, bound to the form (questionnaire version
and service) and its time. A forged or stale one gives a fresh form with the answers kept and
one message; a repeat of a stored one is answered as the first was; concurrent repeats store
one response. A survey refused for its CSRF cookie comes back the same way, never a bare 403."""

import json
import threading
import time
from unittest import mock

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse

from surveys.models import RespondentTally, Response
from surveys.services import questionnaire_from_preset
from surveys.tests.test_survey_form import SURVEY_URL, THANKS_URL, filled, is_checked, token_of
from surveys.tokens import token_issue

EXPIRED = "Formulir ini sudah kedaluwarsa. Jawaban Anda tetap tersimpan di halaman ini: periksa lalu kirim survei lagi."
CSRF_EXPIRED = (
    "Halaman terbuka terlalu lama sehingga tidak dapat dikirim. Jawaban Anda tetap tersimpan: periksa lalu kirim lagi."
)


def _issued_hours_ago(hours: float, **binding) -> str:
    with mock.patch("django.core.signing.time.time", return_value=time.time() - hours * 3600):
        return token_issue(**binding)


def assert_kept_with_one_message(response, message, questionnaire):
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(message) == 1
    assert "<title>Kesalahan:" in html
    for element in questionnaire.elements.all():
        assert is_checked(html, f"q_{element.code}", "3"), element.code
    assert 'name="age" value="34"' in html and "Antrean lebih tertib" in html
    return token_of(html)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "token",
    ["t" * 32, "", "eyJuIjoiYWJjIn0:1tQ2aB:forgedsignature"],
    ids=["self-minted", "missing", "forged signature"],
)
def test_a_token_the_server_did_not_sign_gives_a_fresh_form_with_the_answers_kept(
    client, service_a, questionnaire, token
):
    response = client.post(SURVEY_URL, filled(client, questionnaire, token=token))

    renewed = assert_kept_with_one_message(response, EXPIRED, questionnaire)
    assert not Response.objects.exists()
    assert client.post(SURVEY_URL, filled(client, questionnaire, token=renewed)).status_code == 302
    assert Response.objects.count() == 1


@pytest.mark.django_db
def test_a_stale_token_gives_a_fresh_form_and_the_next_try_goes_through(client, settings, service_a, questionnaire):
    stale = _issued_hours_ago(
        settings.SURVEY_FORM_HOURS + 1, questionnaire_version=questionnaire.version, service_code="A-KTP"
    )

    renewed = assert_kept_with_one_message(
        client.post(SURVEY_URL, filled(client, questionnaire, token=stale)), EXPIRED, questionnaire
    )

    assert not Response.objects.exists()
    assert client.post(SURVEY_URL, filled(client, questionnaire, token=renewed)).status_code == 302


@pytest.mark.django_db
def test_a_token_of_another_service_or_questionnaire_version_is_refused(client, service_a, questionnaire):
    other_service = token_issue(questionnaire_version=questionnaire.version, service_code="B-NIB")
    assert_kept_with_one_message(
        client.post(SURVEY_URL, filled(client, questionnaire, token=other_service)), EXPIRED, questionnaire
    )
    old_version = token_issue(questionnaire_version=questionnaire.version, service_code="A-KTP")
    newer = questionnaire_from_preset(preset="oki", actor=None)
    response = client.post(SURVEY_URL, filled(client, newer, token=old_version))
    assert_kept_with_one_message(response, EXPIRED, newer)
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_a_repeat_of_a_stored_form_thanks_again_even_after_the_token_aged(client, settings, service_a, questionnaire):
    data = filled(client, questionnaire)
    assert client.post(SURVEY_URL, data)["Location"] == THANKS_URL

    later = time.time() + (settings.SURVEY_FORM_HOURS + 1) * 3600
    with mock.patch("django.core.signing.time.time", return_value=later):
        again = client.post(SURVEY_URL, data)

    assert again.status_code == 302 and again["Location"] == THANKS_URL
    assert Response.objects.count() == 1


@pytest.mark.django_db
def test_api_repeat_of_a_stored_token_answers_200_with_the_same_id(client, service_a, questionnaire):
    token = client.get(reverse("api:questionnaire")).json()["form_token"]
    body = {
        "service": "A-KTP",
        "gender": "P",
        "age": 34,
        "education": "sma",
        "occupation": "wirausaha",
        "answers": {e.code: 4 for e in questionnaire.elements.all()},
        "client_token": token,
    }
    first = client.post(reverse("api:responses"), json.dumps(body), content_type="application/json")
    again = client.post(reverse("api:responses"), json.dumps(body), content_type="application/json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json() == {"id": Response.objects.get().pk}


@pytest.mark.django_db(transaction=True)
def test_concurrent_repeats_of_one_token_store_one_response_and_one_201(service_a, questionnaire):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises them (CI runs this on PostgreSQL)")
    token = token_issue(questionnaire_version=questionnaire.version)
    body = json.dumps(
        {
            "service": "A-KTP",
            "gender": "L",
            "age": 50,
            "education": "s1",
            "occupation": "pns",
            "answers": {e.code: 3 for e in questionnaire.elements.all()},
            "client_token": token,
        }
    )
    senders = 6
    barrier, results = threading.Barrier(senders), []

    def send(address):
        try:
            barrier.wait()
            response = Client(REMOTE_ADDR=address).post(reverse("api:responses"), body, content_type="application/json")
            results.append((response.status_code, response.json()))
        finally:
            close_old_connections()
            connection.close()

    pool = [threading.Thread(target=send, args=(f"10.9.0.{n}",)) for n in range(senders)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()

    stored = Response.objects.get()
    assert sorted(status for status, _body in results) == [200] * (senders - 1) + [201]
    assert all(body == {"id": stored.pk} for _status, body in results)
    assert RespondentTally.objects.filter(span="d").get().count == 1


# --- CSRF failure -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_survey_posted_without_its_csrf_cookie_comes_back_with_the_answers_kept(service_a, questionnaire):
    tablet = Client(enforce_csrf_checks=True)
    data = filled(tablet, questionnaire)
    data["csrfmiddlewaretoken"] = "x" * 64
    tablet.cookies.clear()  # left open overnight: the cookie is gone

    response = tablet.post(SURVEY_URL, data)

    assert "CSRF" not in response.content.decode()
    assert_kept_with_one_message(response, CSRF_EXPIRED, questionnaire)
    assert not Response.objects.exists()
    # The page came with a new CSRF cookie and token: sending it again stores the response.
    again = response.content.decode()
    data["csrfmiddlewaretoken"] = again.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    data["token"] = token_of(again)
    assert tablet.post(SURVEY_URL, data).status_code == 302
    assert Response.objects.count() == 1


@pytest.mark.django_db
def test_a_kiosk_survey_refused_for_its_csrf_cookie_stays_in_kiosk_mode(service_a, questionnaire):
    from kiosks.services import kiosk_register

    _kiosk, code = kiosk_register(name="Loket", agency=service_a.agency, service=None, actor=None)
    tablet = Client(enforce_csrf_checks=True)
    page = tablet.get(reverse("kiosk:enrol")).content.decode()
    csrf = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    tablet.post(reverse("kiosk:enrol"), {"code": code, "csrfmiddlewaretoken": csrf})
    url = reverse("kiosk:survey", args=["A-KTP"])
    data = {"gender": "P", "age": "34", "education": "sma", "occupation": "wirausaha"}
    data["suggestion"] = "Antrean lebih tertib"
    data |= {f"q_{e.code}": "3" for e in questionnaire.elements.all()}
    data["token"] = token_of(tablet.get(url).content.decode())
    del tablet.cookies["csrftoken"]

    response = tablet.post(url, {**data, "csrfmiddlewaretoken": "y" * 64})

    assert '<body class="kiosk">' in response.content.decode()
    assert_kept_with_one_message(response, CSRF_EXPIRED, questionnaire)


@pytest.mark.django_db
def test_other_forms_refused_for_csrf_get_the_sites_own_page(operator_a, service_a):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(operator_a, backend="django.contrib.auth.backends.ModelBackend")

    response = strict.post(reverse("standards:service_edit", args=["A-KTP"]), {"name": "Hacked"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "Formulir sudah kedaluwarsa" in html and 'class="site-header"' in html
    assert "CSRF" not in html
