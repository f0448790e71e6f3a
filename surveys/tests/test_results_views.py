"""Staff results pages: who sees what, the numbers they read, the period chooser, the sample
check with its population form, and the moderation of suggestions."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from agencies.models import Agency
from conftest import GOOD_PROFILE
from standards.models import Service
from surveys import periods
from surveys.models import Response, SamplePopulation
from surveys.selectors import Scope, results
from surveys.services import questionnaire_from_preset, response_submit

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "super_admin", "evaluator", "leader", "operator_a", "operator_b")
LOGIN = "login"
WORKED_EXAMPLE_TOTALS = (105, 101, 100, 116, 102, 105, 106, 105, 115)  # DESIGN.md: 29 respondents → 91.48


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def english_label(period):
    with translation.override("en"):
        return period.label


def page_text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def status_for(role, url, client_for, actors, method="get", data=None):
    client = client_for(actors.get(role))
    return getattr(client, method)(url, data or {})


PAGE_MATRIX = {
    ("results:agency", "OPD-A"): {"super_admin": 200, "evaluator": 200, "leader": 200, "operator_a": 200},
    ("results:service", "A-KTP"): {"super_admin": 200, "evaluator": 200, "leader": 200, "operator_a": 200},
    ("results:suggestions", "OPD-A"): {"super_admin": 200, "evaluator": 200, "leader": 200, "operator_a": 200},
    ("results:population", "OPD-A"): {"super_admin": 200, "evaluator": 403, "leader": 403, "operator_a": 200},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "code"), sorted(PAGE_MATRIX))
def test_each_page_answers_each_role_as_the_access_policy_says(
    name, code, role, client_for, actors, service_a, service_b
):
    expected = {"anonymous": LOGIN, "operator_b": 404, **PAGE_MATRIX[(name, code)]}[role]
    response = status_for(role, reverse(name, args=[code]), client_for, actors)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", ["super_admin", "evaluator", "leader"])
def test_overseers_see_the_regency_page(role, client_for, actors, service_a):
    assert status_for(role, reverse("results:regency"), client_for, actors).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client_for):
    response = client_for(None).get(reverse("results:regency"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("role", "code"), [("operator_a", "OPD-A"), ("operator_b", "OPD-B")])
def test_regency_page_sends_an_operator_to_their_own_agency(role, code, client_for, actors):
    response = status_for(role, reverse("results:regency") + "?period=2025-S2", client_for, actors)
    assert response.status_code == 302
    assert response["Location"] == reverse("results:agency", args=[code]) + "?period=2025-S2"


def test_operator_of_another_agency_gets_404_on_every_results_page(client_for, operator_b, service_a, submit):
    suggestion = submit(service_a, suggestion="Antrean terlalu panjang")
    client = client_for(operator_b)
    for url in (
        reverse("results:agency", args=["OPD-A"]),
        reverse("results:service", args=["A-KTP"]),
        reverse("results:suggestions", args=["OPD-A"]),
        reverse("results:population", args=["OPD-A"]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("results:suggestion_hide", args=[suggestion.pk]), {"hidden": "1"}).status_code == 404


def test_agency_page_shows_the_numbers_results_computes(client_for, evaluator, service_a, submit):
    submit(service_a, answers=4)
    submit(service_a, answers=3)
    period = periods.current_semester()
    expected = results(scope=Scope(agency=service_a.agency), start=period.start, end=period.end)
    assert expected.index.score == 87.5

    response = client_for(evaluator).get(reverse("results:agency", args=["OPD-A"]))
    text = page_text(response)
    assert response.context["period"] == period
    assert '<strong id="result-respondents">2</strong>' in text
    assert '<strong id="result-score">87,50</strong>' in text
    assert '<strong id="result-index">3,5000</strong>' in text
    assert '<strong id="result-grade">B</strong>' in text
    assert "3,500" in page_text(response).split('id="element-waktu"')[1].split("</tr>")[0]


def test_worked_example_scores_91_48_on_the_page(client_for, leader, service_a, submit):
    national = questionnaire_from_preset(preset="national", actor=None)
    codes = [e.code for e in national.elements.all()]
    fours = [total - 3 * 29 for total in WORKED_EXAMPLE_TOTALS]  # the rest of the 29 answered 3
    for respondent in range(29):
        submit(service_a, answers={code: 4 if respondent < n else 3 for code, n in zip(codes, fours, strict=True)})

    text = page_text(client_for(leader).get(reverse("results:service", args=["A-KTP"])))
    assert '<strong id="result-score">91,48</strong>' in text
    assert '<strong id="result-grade">A</strong>' in text
    assert "91,48" in text.split('id="result-national"')[1]  # the nine national elements are all there


def test_english_readers_see_a_decimal_point_and_english_performance(client_for, evaluator, service_a, submit):
    submit(service_a, answers=4)
    submit(service_a, answers=3)
    text = page_text(english(client_for(evaluator)).get(reverse("results:agency", args=["OPD-A"])))
    assert '<strong id="result-score">87.50</strong>' in text
    assert "Good" in text.split('id="result-grade"')[1].split("</div>")[0]


def test_regency_ranking_lists_agencies_best_first_and_those_without_data_last(
    client_for, super_admin, service_a, service_b, submit
):
    Agency.objects.create(code="OPD-C", name="Badan Pendapatan Daerah")
    submit(service_a, answers=4)
    submit(service_b, answers=2)
    response = client_for(super_admin).get(reverse("results:regency"))
    rows = response.context["ranking"]
    assert [(row["item"].code, row["rank"]) for row in rows] == [("OPD-A", 1), ("OPD-B", 2), ("OPD-C", None)]
    text = page_text(response)
    assert text.index('id="rank-OPD-A"') < text.index('id="rank-OPD-B"') < text.index('id="rank-OPD-C"')
    last_row = text.split('id="rank-OPD-C"')[1].split("</tr>")[0]
    assert '<td class="num">—</td>' in last_row
    period = periods.current_semester()
    assert f'href="{reverse("results:agency", args=["OPD-A"])}?period={period.key}"' in text
    assert "100,00" in text.split('id="rank-OPD-A"')[1].split("</tr>")[0]
    assert "50,00" in text.split('id="rank-OPD-B"')[1].split("</tr>")[0]


def test_agency_page_lists_its_services_with_links_to_their_results(client_for, operator_a, service_a, submit):
    other = Service.objects.create(agency=service_a.agency, code="A-KK", name="Kartu Keluarga")
    submit(other, answers=2)
    response = client_for(operator_a).get(reverse("results:agency", args=["OPD-A"]))
    assert [(row["item"].code, row["respondents"]) for row in response.context["services"]] == [
        ("A-KK", 1),
        ("A-KTP", 0),
    ]
    assert reverse("results:service", args=["A-KK"]) in page_text(response)
    assert reverse("results:suggestions", args=["OPD-A"]) in page_text(response)


def test_service_page_counts_only_that_service(client_for, operator_a, service_a, submit):
    other = Service.objects.create(agency=service_a.agency, code="A-KK", name="Kartu Keluarga")
    submit(other, answers=1)
    submit(service_a, answers=4)
    text = page_text(client_for(operator_a).get(reverse("results:service", args=["A-KTP"])))
    assert '<strong id="result-respondents">1</strong>' in text
    assert '<strong id="result-score">100,00</strong>' in text


def element_cell(text: str, code: str) -> str:
    """The first cell of an element's row in the staff results table."""
    return text.split(f'id="element-{code}"')[1].split("</td>")[0]


@pytest.mark.parametrize("page", ["results:regency", "results:agency", "results:service"])
def test_elements_are_named_as_the_regulation_names_them_with_their_question(
    client_for, super_admin, questionnaire, service_a, submit, page
):
    submit(service_a, answers=3)
    args = {"results:agency": ["OPD-A"], "results:service": ["A-KTP"]}.get(page, [])
    prosedur = questionnaire.elements.get(code="prosedur")

    text = page_text(client_for(super_admin).get(reverse(page, args=args)))

    cell = element_cell(text, "prosedur")
    assert "<strong>Sistem, Mekanisme, dan Prosedur</strong>" in cell
    assert prosedur.question_id in cell
    assert "<strong>Waktu Penyelesaian</strong>" in element_cell(text, "waktu")
    assert "<td>prosedur</td>" not in text  # the code is for files and the API, not for people


def test_english_staff_read_the_english_element_names(client_for, evaluator, questionnaire, service_a, submit):
    submit(service_a, answers=3)
    waktu = questionnaire.elements.get(code="waktu")

    text = page_text(english(client_for(evaluator)).get(reverse("results:agency", args=["OPD-A"])))

    cell = element_cell(text, "waktu")
    assert "<strong>Completion time</strong>" in cell
    assert waktu.question_en in cell
    assert "Waktu Penyelesaian" not in text


def test_weakest_elements_can_be_listed_first(client_for, evaluator, questionnaire, service_a, submit):
    submit(service_a, answers={e.code: 4 for e in questionnaire.elements.all()} | {"sarana": 1, "biaya": 2})
    url = reverse("results:agency", args=["OPD-A"])
    in_order = page_text(client_for(evaluator).get(url))
    assert in_order.index('id="element-persyaratan"') < in_order.index('id="element-biaya"')
    weakest = page_text(client_for(evaluator).get(url + "?order=weakest"))
    assert weakest.index('id="element-sarana"') < weakest.index('id="element-biaya"')
    assert weakest.index('id="element-biaya"') < weakest.index('id="element-persyaratan"')


def test_profile_tables_show_counts_and_percentages_with_labels(client_for, evaluator, service_a, submit):
    submit(service_a, gender="L")
    submit(service_a, gender="P")
    submit(service_a, gender="P", channel="paper")
    text = page_text(english(client_for(evaluator)).get(reverse("results:agency", args=["OPD-A"])))
    gender = text.split('id="profile-gender"')[1].split("</table>")[0]
    assert '<td>Female</td><td class="num">2</td><td class="num">66.7</td>' in gender
    assert '<td>Male</td><td class="num">1</td><td class="num">33.3</td>' in gender
    channel = text.split('id="profile-channel"')[1].split("</table>")[0]
    assert '<td>Paper</td><td class="num">1</td>' in channel


def test_every_staff_results_page_shows_the_assisted_share_beside_the_channels(
    client_for, evaluator, service_a, questionnaire
):
    answers = dict.fromkeys((e.code for e in questionnaire.elements.all()), 4)
    for channel, assisted in (("web", True), ("web", False), ("paper", False), ("paper", False)):
        response_submit(service=service_a, answers=answers, profile=GOOD_PROFILE, channel=channel, assisted=assisted)
    client = english(client_for(evaluator))
    for url in (
        reverse("results:regency"),
        reverse("results:agency", args=["OPD-A"]),
        reverse("results:service", args=["A-KTP"]),
    ):
        text = page_text(client.get(url))
        assert text.index('id="profile-channel"') < text.index('id="profile-assisted"'), url
        assisted = text.split('id="profile-assisted"')[1].split("</table>")[0]
        assert "<caption>Help from staff</caption>" in assisted, url
        assert '<td>Helped by staff</td><td class="num">1</td><td class="num">25.0</td>' in assisted, url
        assert '<td>Not helped</td><td class="num">3</td><td class="num">75.0</td>' in assisted, url


def test_a_past_period_can_be_chosen_and_is_not_provisional(client_for, evaluator, service_a, submit):
    submit(service_a, answers=1, day=datetime.date(2025, 2, 1))
    submit(service_a, answers=4)
    client = english(client_for(evaluator))
    response = client.get(reverse("results:agency", args=["OPD-A"]), {"period": "2025-S1"})
    text = page_text(response)
    assert response.context["period"] == periods.parse("2025-S1")
    assert '<strong id="result-score">25.00</strong>' in text
    assert "provisional" not in text
    assert "provisional" in page_text(client.get(reverse("results:agency", args=["OPD-A"])))


def test_custom_dates_choose_any_range(client_for, evaluator, service_a, submit):
    submit(service_a, answers=1, day=datetime.date(2025, 2, 1))
    submit(service_a, answers=4, day=datetime.date(2025, 3, 1))
    response = client_for(evaluator).get(
        reverse("results:agency", args=["OPD-A"]), {"period": "", "start": "2025-01-15", "end": "2025-02-15"}
    )
    assert response.context["period"] == periods.date_range(datetime.date(2025, 1, 15), datetime.date(2025, 2, 15))
    assert '<strong id="result-respondents">1</strong>' in page_text(response)


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ({"period": "2026-S3"}, "A year has two semesters."),
        ({"period": "kemarin"}, "Unknown period “kemarin”."),
        ({"period": "", "start": "2025-03-01", "end": "2025-02-01"}, "The end date is before the start date."),
        ({"period": "", "start": "2025-03-01"}, "fill in both the start and the end date"),
        ({"period": "", "start": "2025-02-30", "end": "2025-03-01"}, "Enter a valid date."),
        (
            {"period": "", "start": "0001-01-01", "end": "9999-12-31"},
            "Choose a date between 2000-01-01 and 2100-12-31.",
        ),
    ],
)
def test_a_bad_period_is_explained_and_the_current_semester_shown(query, problem, client_for, operator_a):
    response = english(client_for(operator_a)).get(reverse("results:agency", args=["OPD-A"]), query)
    assert response.status_code == 200
    default = periods.current_semester()
    assert response.context["period"] == default
    shown = messages_of(response)
    assert len(shown) == 1
    assert problem in shown[0]
    assert f"Showing {english_label(default)} instead." in shown[0]
    assert problem in page_text(response)


def test_no_population_says_so_and_links_to_the_form_for_those_who_may_enter_it(
    client_for, operator_a, evaluator, service_a
):
    form_url = reverse("results:population", args=["OPD-A"])
    text = page_text(english(client_for(operator_a)).get(reverse("results:agency", args=["OPD-A"])))
    assert "No number of service users has been entered" in text
    assert form_url in text
    text = page_text(english(client_for(evaluator)).get(reverse("results:agency", args=["OPD-A"])))
    assert "No number of service users has been entered" in text
    assert form_url not in text


def test_population_entered_shows_respondents_against_the_minimum(client_for, operator_a, service_a, submit):
    for _ in range(3):
        submit(service_a)
    period = periods.current_semester()
    client = english(client_for(operator_a))
    response = client.post(
        reverse("results:population", args=["OPD-A"]),
        {"service": "", "period": period.key, "population": "100"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("results:agency", args=["OPD-A"]) + f"?period={period.key}"
    record = SamplePopulation.objects.get()
    assert (record.agency, record.service, record.start, record.end, record.population) == (
        service_a.agency,
        None,
        period.start,
        period.end,
        100,
    )
    response = client.get(response["Location"])
    text = page_text(response)
    assert "3 respondents of a minimum of 80 (population 100)." in text
    assert "77 more responses are needed" in text.split('id="sample-missing"')[1]
    assert "Population of Dinas Kependudukan dan Pencatatan Sipil" in messages_of(response)[0]


def test_service_population_is_entered_for_that_service(client_for, super_admin, service_a, submit):
    submit(service_a)
    response = client_for(super_admin).post(
        reverse("results:population", args=["OPD-A"]),
        {"service": "A-KTP", "period": "", "start": "2025-01-01", "end": "2025-12-31", "population": "3"},
    )
    assert response["Location"] == reverse("results:service", args=["A-KTP"]) + "?period=2025-01-01..2025-12-31"
    assert SamplePopulation.objects.get().service == service_a
    text = page_text(english(client_for(super_admin)).get(response["Location"]))
    assert "0 respondents of a minimum of 3 (population 3)." in text
    assert "3 more responses are needed" in text


def test_a_single_respondent_is_counted_in_the_singular(client_for, super_admin, service_a, submit):
    submit(service_a)
    year = timezone.localdate().year
    response = client_for(super_admin).post(
        reverse("results:population", args=["OPD-A"]),
        {"service": "A-KTP", "period": "", "start": f"{year}-01-01", "end": f"{year}-12-31", "population": "3"},
    )

    text = page_text(english(client_for(super_admin)).get(response["Location"]))

    assert "1 respondent of a minimum of 3 (population 3)." in text


def test_population_form_starts_from_the_period_and_service_on_the_results_page(client_for, operator_a, service_a):
    response = client_for(operator_a).get(
        reverse("results:population", args=["OPD-A"]), {"period": "2025-T2", "service": "A-KTP"}
    )
    form = response.context["form"]
    assert form.initial["period"] == "2025-T2"
    assert form.initial["service"] == "A-KTP"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"population": "0"}, "population", "greater than or equal to 1"),
        ({"population": "-5"}, "population", "greater than or equal to 1"),
        ({"population": "banyak"}, "population", "Enter a whole number."),
        ({"period": "", "start": "2025-06-30", "end": "2025-01-01"}, "end", "The end date is before the start date."),
        ({"service": "B-NIB"}, "service", "Select a valid choice."),
    ],
)
def test_bad_population_input_is_refused_and_nothing_stored(data, field, message, client_for, operator_a, service_b):
    valid = {"service": "", "period": "2025-S1", "population": "100"}
    response = english(client_for(operator_a)).post(reverse("results:population", args=["OPD-A"]), {**valid, **data})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in page_text(response)
    assert SamplePopulation.objects.count() == 0


def test_only_catalog_editors_may_enter_a_population(client_for, evaluator, leader, operator_b, service_a):
    data = {"service": "", "period": "2025-S1", "population": "100"}
    url = reverse("results:population", args=["OPD-A"])
    assert client_for(evaluator).post(url, data).status_code == 403
    assert client_for(leader).post(url, data).status_code == 403
    assert client_for(operator_b).post(url, data).status_code == 404
    assert SamplePopulation.objects.count() == 0


def test_suggestions_are_listed_newest_first_and_only_from_the_period(client_for, leader, service_a, submit):
    submit(service_a, suggestion="Lama sekali", day=datetime.date(2025, 1, 5))
    submit(service_a, suggestion="Petugas ramah")
    submit(service_a, suggestion="Tambah kursi tunggu")
    submit(service_a, suggestion="")
    text = page_text(client_for(leader).get(reverse("results:suggestions", args=["OPD-A"])))
    assert text.index("Tambah kursi tunggu") < text.index("Petugas ramah")
    assert "Lama sekali" not in text
    assert "Penerbitan KTP-el" in text
    old = page_text(client_for(leader).get(reverse("results:suggestions", args=["OPD-A"]), {"period": "2025"}))
    assert "Lama sekali" in old and "Petugas ramah" not in old


def test_suggestions_can_be_searched_and_filtered_by_service(client_for, operator_a, service_a, submit):
    other = Service.objects.create(agency=service_a.agency, code="A-KK", name="Kartu Keluarga")
    submit(service_a, suggestion="Antrean panjang")
    submit(service_a, suggestion="Ruang tunggu panas")
    submit(other, suggestion="Antrean KK lambat")
    client = client_for(operator_a)
    url = reverse("results:suggestions", args=["OPD-A"])
    text = page_text(client.get(url, {"q": "antrean"}))
    assert "Antrean panjang" in text and "Antrean KK lambat" in text and "Ruang tunggu panas" not in text
    text = page_text(client.get(url, {"q": "antrean", "service": "A-KK"}))
    assert "Antrean KK lambat" in text and "Antrean panjang" not in text


def test_suggestions_are_paginated_by_thirty_keeping_search_and_period(client_for, operator_a, service_a, submit):
    for number in range(31):
        submit(service_a, suggestion=f"Saran nomor {number:02d}")
    url = reverse("results:suggestions", args=["OPD-A"])
    period = periods.current_semester()
    first = client_for(operator_a).get(url, {"q": "saran", "period": period.key})
    assert len(first.context["page"]) == 30
    assert f"?period={period.key}&amp;q=saran&amp;page=2" in page_text(first)
    second = client_for(operator_a).get(url, {"q": "saran", "period": period.key, "page": 2})
    assert [r.suggestion for r in second.context["page"]] == ["Saran nomor 00"]


def test_operator_hides_and_shows_again_a_suggestion(client_for, operator_a, service_a, submit):
    response = submit(service_a, suggestion="Kata-kata kasar")
    client = english(client_for(operator_a))
    list_url = reverse("results:suggestions", args=["OPD-A"])
    hide_url = reverse("results:suggestion_hide", args=[response.pk])

    done = client.post(hide_url, {"hidden": "1", "next": list_url + "?q=kata"})
    assert done.status_code == 302 and done["Location"] == list_url + "?q=kata"
    response.refresh_from_db()
    assert response.suggestion_hidden and response.suggestion_hidden_by == operator_a
    page = client.get(done["Location"])
    assert "The suggestion is hidden." in messages_of(page)[0]
    row = page_text(page).split(f'id="suggestion-{response.pk}"')[1].split("</tr>")[0]
    assert "<details><summary>" in row and "hidden" in row and "Kata-kata kasar" in row
    assert "Show again" in row

    done = client.post(hide_url, {"hidden": "0", "next": "https://evil.example/"})
    assert done["Location"] == list_url  # no redirect to another site
    response.refresh_from_db()
    assert not response.suggestion_hidden
    assert "The suggestion is shown again." in messages_of(client.get(list_url))[0]


def test_super_admin_may_hide_any_agencys_suggestion(client_for, super_admin, service_b, submit):
    response = submit(service_b, suggestion="Spam")
    done = client_for(super_admin).post(reverse("results:suggestion_hide", args=[response.pk]), {"hidden": "1"})
    assert done["Location"] == reverse("results:suggestions", args=["OPD-B"])
    assert Response.objects.get(pk=response.pk).suggestion_hidden


def test_hiding_is_refused_to_evaluators_leaders_and_other_agencies(
    client_for, evaluator, leader, operator_b, service_a, submit
):
    response = submit(service_a, suggestion="Kata-kata kasar")
    url = reverse("results:suggestion_hide", args=[response.pk])
    assert client_for(evaluator).post(url, {"hidden": "1"}).status_code == 403
    assert client_for(leader).post(url, {"hidden": "1"}).status_code == 403
    assert client_for(operator_b).post(url, {"hidden": "1"}).status_code == 404
    assert not Response.objects.get(pk=response.pk).suggestion_hidden


def test_hiding_takes_a_post_and_a_clear_choice(client_for, operator_a, service_a, submit):
    response = submit(service_a, suggestion="Kata-kata kasar")
    url = reverse("results:suggestion_hide", args=[response.pk])
    client = english(client_for(operator_a))
    assert client.get(url).status_code == 405
    done = client.post(url, {"hidden": "yes"})
    assert "Nothing changed" in messages_of(client.get(done["Location"]))[0]
    assert not Response.objects.get(pk=response.pk).suggestion_hidden


def test_evaluator_sees_hidden_suggestions_marked_but_no_hide_buttons(client_for, evaluator, service_a, submit):
    response = submit(service_a, suggestion="Kata-kata kasar")
    response.suggestion_hidden = True
    response.save()
    text = page_text(english(client_for(evaluator)).get(reverse("results:suggestions", args=["OPD-A"])))
    row = text.split(f'id="suggestion-{response.pk}"')[1].split("</tr>")[0]
    assert "<details>" in row and "Kata-kata kasar" in row
    assert reverse("results:suggestion_hide", args=[response.pk]) not in text


def test_results_pages_read_tallies_not_responses(
    client_for, evaluator, service_a, submit, django_assert_max_num_queries
):
    for _ in range(5):
        submit(service_a)
    client = client_for(evaluator)
    for url in (
        reverse("results:regency"),
        reverse("results:agency", args=["OPD-A"]),
        reverse("results:service", args=["A-KTP"]),
    ):
        with django_assert_max_num_queries(20) as captured:
            assert client.get(url).status_code == 200
        reads = [query["sql"] for query in captured.captured_queries if '"surveys_response"' in query["sql"]]
        # The one read of responses is the indexed count of those held for review.
        assert len(reads) == 1 and reads[0].startswith("SELECT COUNT(*)") and "'held'" in reads[0], (url, reads)


def test_agency_results_offer_the_skm_report_and_the_element_chart(client_for, evaluator, service_a, submit):
    submit(service_a, answers=3)
    html = client_for(evaluator).get(reverse("results:agency", args=["OPD-A"])).content.decode()
    assert reverse("reports:skm_report", args=["OPD-A"]) in html
    assert reverse("reports:chart_elements") + "?opd=OPD-A" in html


def test_results_pages_read_the_questionnaires_once(
    client_for, evaluator, service_a, submit, django_assert_max_num_queries
):
    """The element order and wording are read at most once per page (none once this process
    holds them, until a questionnaire changes), not once per table."""
    submit(service_a)
    client = client_for(evaluator)
    for url in (
        reverse("results:regency"),
        reverse("results:agency", args=["OPD-A"]),
        reverse("results:service", args=["A-KTP"]),
    ):
        with django_assert_max_num_queries(20) as captured:
            assert client.get(url).status_code == 200
        reads = [query["sql"] for query in captured.captured_queries if 'FROM "surveys_questionnaire"' in query["sql"]]
        assert len(reads) <= 1, url
