"""The public survey pages: a citizen picks the service, fills the form on a cheap phone and
gets a thank-you; bad input gets a message by the field and stores nothing."""

import datetime
import re
import zoneinfo
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from agencies.models import Agency
from standards.models import Service
from surveys.models import ProfileTally, Questionnaire, RespondentTally, Response

pytestmark = pytest.mark.django_db

SURVEY_URL = reverse("survey:service_survey", args=["A-KTP"])
THANKS_URL = reverse("survey:thanks") + "?layanan=A-KTP"
STATIC = Path(settings.BASE_DIR) / "static"
PROFILE = {"gender": "P", "age": "34", "education": "sma", "occupation": "wirausaha"}


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def token_of(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def fresh_token(client) -> str:
    return token_of(client.get(SURVEY_URL).content.decode())


def filled(client, questionnaire, answer="3", **overrides):
    """A complete, valid submission (every element answered ``answer``), with ``overrides``;
    an override of None leaves that field out."""
    data = {**PROFILE, "suggestion": "Antrean lebih tertib", "token": fresh_token(client), "website": ""}
    data.update({f"q_{element.code}": answer for element in questionnaire.elements.all()})
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def is_checked(html: str, name: str, value: str) -> bool:
    return re.search(rf'<input type="radio" name="{name}" value="{value}"[^>]*\bchecked\b', html) is not None


def test_service_link_shows_profile_and_every_element_numbered(client, service_a, questionnaire):
    response = client.get(SURVEY_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert "Penerbitan KTP-el" in html
    for number, element in enumerate(questionnaire.elements.all(), start=1):
        assert f"<legend>{number}. {element.question_id}</legend>" in html
        for value, label in enumerate(element.labels_id, start=1):
            assert f'name="q_{element.code}" value="{value}"' in html
            assert f"> {label}</label>" in html
    assert 'name="gender" value="L"' in html and 'name="gender" value="P"' in html
    assert 'type="number" name="age" inputmode="numeric" min="15" max="100"' in html
    assert '<option value="tidak_sekolah">' in html and '<option value="lainnya">' in html
    assert 'maxlength="2000"' in html
    assert len(token_of(html)) > 80  # signed: nonce, version, service, time, signature
    assert 'name="website" tabindex="-1" autocomplete="off" aria-hidden="true"' in html


def test_each_visit_gets_its_own_form_token(client, service_a, questionnaire):
    assert fresh_token(client) != fresh_token(client)


def test_agency_link_lists_its_published_services_as_survey_links(client, service_a, service_b, questionnaire):
    Service.objects.create(agency=service_a.agency, code="A-DRAFT", name="Layanan konsep", is_published=False)

    response = client.get(reverse("survey:agency_survey", args=["OPD-A"]))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{SURVEY_URL}">Penerbitan KTP-el</a>' in html
    assert "Layanan konsep" not in html
    assert "Nomor Induk Berusaha" not in html


def test_unknown_unpublished_or_inactive_gives_404(client, service_a, agency_b, questionnaire):
    Service.objects.create(agency=service_a.agency, code="A-DRAFT", name="Layanan konsep", is_published=False)
    Service.objects.create(agency=agency_b, code="B-OLD", name="Layanan lama")
    Agency.objects.filter(code="OPD-B").update(is_active=False)

    for code in ("A-DRAFT", "B-OLD", "NOPE"):
        url = reverse("survey:service_survey", args=[code])
        assert client.get(url).status_code == 404
        assert client.post(url, {**PROFILE, "token": "t" * 32}).status_code == 404
    assert client.get(reverse("survey:agency_survey", args=["OPD-B"])).status_code == 404
    assert client.get(reverse("survey:agency_survey", args=["NOPE"])).status_code == 404
    assert not Response.objects.exists()


def test_good_submission_stores_one_web_response_and_counts_it(client, service_a, questionnaire):
    data = filled(client, questionnaire, answer="4", q_biaya="2")

    response = client.post(SURVEY_URL, data)

    assert response.status_code == 302
    assert response["Location"] == THANKS_URL
    stored = Response.objects.get()
    assert stored.service == service_a
    assert stored.questionnaire == questionnaire
    assert stored.channel == "web"
    codes = [element.code for element in questionnaire.elements.all()]
    assert stored.answers == {code: 2 if code == "biaya" else 4 for code in codes}
    assert (stored.gender, stored.age, stored.education, stored.occupation) == ("P", 34, "sma", "wirausaha")
    assert stored.suggestion == "Antrean lebih tertib"
    assert stored.day == datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Jakarta")).date()
    tally = RespondentTally.objects.filter(span="d").get()
    assert (tally.service, tally.day, tally.count) == (service_a, stored.day, 1)


def test_thank_you_page_names_the_service_and_carries_nothing_personal(client, service_a, questionnaire):
    response = client.post(SURVEY_URL, filled(client, questionnaire), follow=True)

    assert response.redirect_chain == [(THANKS_URL, 302)]  # the service code, no answers or profile
    assert "Penerbitan KTP-el" in response.content.decode()


def test_thank_you_page_without_a_known_service_still_thanks(client, questionnaire):
    assert client.get(reverse("survey:thanks"), {"layanan": "<b>x</b>"}).status_code == 200


INVALID = {
    "element answer missing": ({"q_prosedur": None}, "q_prosedur", "Please choose an answer."),
    "element answer 5": ({"q_prosedur": "5"}, "q_prosedur", "Choose an answer from 1 to 4."),
    "age 14": ({"age": "14"}, "age", "Age must be between 15 and 100 years."),
    "age 101": ({"age": "101"}, "age", "Age must be between 15 and 100 years."),
    "age not a number": ({"age": "abc"}, "age", "Age must be a whole number of years."),
    "unknown education": ({"education": "universitas"}, "education", "Choose one of the listed options."),
    "gender missing": ({"gender": None}, "gender", "Please choose one."),
    "suggestion too long": ({"suggestion": "x" * 2001}, "suggestion", "at most 2000 characters"),
}


@pytest.mark.parametrize(("overrides", "field", "message"), INVALID.values(), ids=INVALID.keys())
def test_invalid_submission_shows_the_error_by_the_field_and_keeps_the_answers(
    english, service_a, questionnaire, overrides, field, message
):
    data = filled(english, questionnaire, **overrides)

    response = english.post(SURVEY_URL, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(rf'<p class="error" id="{field}_error">[^<]*{re.escape(message)}', html)
    summary = re.search(r'<div class="error-summary[^"]*" role="alert"[^>]*>(.*?)</div>', html, re.DOTALL).group(1)
    assert message in summary and f'href="#{field}' in summary
    for element in questionnaire.elements.all():
        if f"q_{element.code}" != field:
            assert is_checked(html, f"q_{element.code}", "3"), element.code
    if field != "gender":
        assert is_checked(html, "gender", "P")
    if field != "age":
        assert 'name="age" value="34"' in html
    if field != "education":
        assert '<option value="sma" selected>' in html
    assert f'name="token" value="{data["token"]}"' in html
    assert not Response.objects.exists()
    assert not RespondentTally.objects.exists()


def test_the_assisted_box_is_a_labelled_unticked_checkbox_with_a_large_tap_target(english, service_a, questionnaire):
    html = english.get(SURVEY_URL).content.decode()

    label = re.search(r'<label class="opt" for="assisted">(<input [^>]*>) ([^<]+)</label>', html)
    assert label is not None
    assert label.group(2) == "A staff member helped me fill in this survey"
    checkbox = label.group(1)
    assert 'type="checkbox"' in checkbox and 'name="assisted"' in checkbox and 'id="assisted"' in checkbox
    assert "checked" not in checkbox and "required" not in checkbox
    # The whole bordered label is the tap target: the survey's option style, at least 48 px high.
    css = (STATIC / "css" / "site.css").read_text()
    assert re.search(r"\.survey \.opt \{[^}]*min-height: 48px", css)


def test_a_ticked_assisted_box_stores_an_assisted_response_and_counts_it(client, service_a, questionnaire):
    response = client.post(SURVEY_URL, filled(client, questionnaire, assisted="on"))

    assert response.status_code == 302
    assert Response.objects.get().assisted is True
    assisted = ProfileTally.objects.filter(span="d", dimension="assisted")
    assert dict(assisted.values_list("value", "count")) == {"ya": 1}


def test_an_unticked_assisted_box_stores_an_unassisted_response(client, service_a, questionnaire):
    response = client.post(SURVEY_URL, filled(client, questionnaire))

    assert response.status_code == 302
    assert Response.objects.get().assisted is False
    assisted = ProfileTally.objects.filter(span="d", dimension="assisted")
    assert dict(assisted.values_list("value", "count")) == {"tidak": 1}


def test_a_refused_submission_keeps_the_assisted_tick(english, service_a, questionnaire):
    response = english.post(SURVEY_URL, filled(english, questionnaire, assisted="on", age="9"))

    assert response.status_code == 200
    assert re.search(r'<input type="checkbox" name="assisted" id="assisted" checked>', response.content.decode())
    assert not Response.objects.exists()


def test_the_same_form_sent_twice_stores_one_response(client, service_a, questionnaire):
    data = filled(client, questionnaire)

    first = client.post(SURVEY_URL, data)
    second = client.post(SURVEY_URL, data)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == THANKS_URL
    assert Response.objects.count() == 1
    assert RespondentTally.objects.filter(span="d").get().count == 1


def test_a_form_without_its_token_is_refused_and_given_a_new_one(english, service_a, questionnaire):
    response = english.post(SURVEY_URL, filled(english, questionnaire, token=""))

    assert response.status_code == 200
    html = response.content.decode()
    assert "This form has expired. Your answers are kept: check them and send the survey again." in html
    assert token_of(html)
    assert is_checked(html, "q_sarana", "3")
    assert not Response.objects.exists()


def test_a_filled_honeypot_stores_nothing_but_thanks_the_bot(client, service_a, questionnaire):
    response = client.post(SURVEY_URL, filled(client, questionnaire, website="https://spam.example"), follow=True)

    assert response.redirect_chain == [(THANKS_URL, 302)]
    assert response.status_code == 200
    assert "Penerbitan KTP-el" in response.content.decode()
    assert not Response.objects.exists()


def test_without_a_questionnaire_in_use_the_survey_says_it_is_closed(english, service_a, questionnaire):
    Questionnaire.objects.update(is_current=False)

    response = english.get(SURVEY_URL)

    assert response.status_code == 503
    assert "The survey is not available at the moment." in response.content.decode()


def test_survey_page_is_light_local_and_has_no_inline_script(client, service_a, questionnaire):
    html = client.get(SURVEY_URL).content.decode()
    assets = re.findall(r'<(?:script|link)\b[^>]*(?:src|href)="/static/([^"]+)"', html)

    assert "css/site.css" in assets and "js/survey.js" in assets
    # The service worker the page registers comes along on the first visit: it counts too.
    worker = client.get(reverse("survey:service_worker")).content
    weight = len(html.encode()) + sum((STATIC / asset).stat().st_size for asset in assets) + len(worker)
    assert weight < 50_000
    for attributes, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.DOTALL):
        assert 'src="/static/' in attributes and body == ""  # the CSP forbids inline script
    assert " style=" not in html
    # Nothing is loaded or sent elsewhere; a plain link (the footer's SP4N-LAPOR!) loads nothing.
    for url in re.findall(r'(?:<link\b[^>]*\bhref|src|action)="([^"]*)"', html):
        assert url.startswith(("/", "#")), url


def test_every_input_has_a_label(client, service_a, questionnaire):
    html = client.get(SURVEY_URL).content.decode()
    visible = re.findall(r'<(?:input|select|textarea)\b(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', html)

    assert len(visible) > 40
    for input_id in visible:
        assert f'<label for="{input_id}"' in html or f'<label class="opt" for="{input_id}"' in html, input_id


def test_service_and_agency_pages_link_their_survey(client, service_a, questionnaire):
    service_page = client.get(reverse("standards:service_detail", args=["A-KTP"])).content.decode()
    agency_page = client.get(reverse("standards:agency_detail", args=["OPD-A"])).content.decode()

    assert f'<a class="button" href="{SURVEY_URL}">' in service_page
    assert f'<a class="button" href="{reverse("survey:agency_survey", args=["OPD-A"])}">' in agency_page


def test_a_citizen_reaches_the_survey_from_the_home_page(client, service_a, agency_b):
    home = client.get(reverse("standards:home")).content.decode()
    assert reverse("survey:index") in home
    index = client.get(reverse("survey:index")).content.decode()
    assert reverse("survey:agency_survey", args=["OPD-A"]) in index
    assert reverse("survey:agency_survey", args=["OPD-B"]) not in index  # no published service
    agency_page = client.get(reverse("survey:agency_survey", args=["OPD-A"])).content.decode()
    assert reverse("survey:service_survey", args=["A-KTP"]) in agency_page
