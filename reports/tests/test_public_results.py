"""Public results pages: the regency and each agency, for anyone, with the numbers of the
selectors, the provisional marker, the period chooser, the follow-up of recommendations, and
never a suggestion or anything else about one respondent."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format

from agencies.models import Agency
from conftest import GOOD_PROFILE, test_now
from evaluations.models import (
    ActionStatus,
    FollowUpEvent,
    Recommendation,
    RecommendationAction,
    RecommendationStatus,
)
from standards.models import Service
from surveys import periods
from surveys.index import round_half_up
from surveys.selectors import Scope, agency_ranking, results
from surveys.services import response_submit

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "super_admin", "evaluator", "leader", "operator_a", "operator_b")
SECRET_SUGGESTION = "Petugas loket tiga kasar sekali ZQX-7731"
# Three semesters before the one the test clock is in (the trend shows six).
_TODAY = test_now().date()
_BACK = _TODAY.year * 2 + (0 if _TODAY.month <= 6 else 1) - 3
PAST = periods.semester(_BACK // 2, _BACK % 2 + 1)
PAST_DAY = PAST.start + datetime.timedelta(days=72)
PAST_YEAR = str(PAST.start.year)
PAST_QUARTER = f"{PAST_YEAR}-T{(PAST_DAY.month - 1) // 3 + 1}"
EMPTY_QUARTER = f"{PAST_YEAR}-T{(PAST_DAY.month - 1) // 3 + 2}"  # the rest of that semester


def regency_url(**query):
    return reverse("public_results:regency"), query


def agency_url(code="OPD-A"):
    return reverse("public_results:agency", args=[code])


def page_text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def indonesian(value, places):
    """A number as the pages print it by default: 91,48."""
    with translation.override("id"):
        return number_format(value, places)


def row(response, row_id):
    """The text of the table row with this id."""
    match = re.search(rf'<tr id="{re.escape(row_id)}">(.*?)</tr>', response.content.decode(), re.S)
    assert match, f"no row {row_id}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match[1])).strip()


@pytest.fixture
def answered(submit, service_a, service_b):
    """Agency A: three answers of 4 and one of 3 in the current semester (NRR 3.75, score
    93.75) and one of 2 three semesters earlier; agency B: one answer of 3."""
    for _ in range(3):
        submit(service_a)
    submit(service_a, answers=3)
    submit(service_a, answers=2, day=PAST_DAY)
    submit(service_b, answers=3)


# --- who may see them ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_both_pages_are_open_to_everyone_signed_in_or_not(role, client_for, actors, answered):
    client = client_for(actors.get(role))
    assert client.get(reverse("public_results:regency")).status_code == 200
    assert client.get(agency_url()).status_code == 200
    assert client.get(agency_url("OPD-B")).status_code == 200


def test_an_unknown_agency_is_not_found(client, questionnaire):
    assert client.get(agency_url("NOPE")).status_code == 404


def test_an_inactive_agency_is_not_found_and_not_listed(client, answered, agency_b):
    Agency.objects.filter(pk=agency_b.pk).update(is_active=False)
    assert client.get(agency_url("OPD-B")).status_code == 404
    regency = client.get(reverse("public_results:regency"))
    assert agency_b.name not in regency.content.decode()


# --- the numbers --------------------------------------------------------------------------


def test_regency_page_shows_the_regency_index_in_indonesian_format(client, answered):
    period = periods.current_semester()
    expected = results(scope=Scope(), start=period.start, end=period.end).index
    response = client.get(reverse("public_results:regency"))
    text = page_text(response)
    assert f'<strong id="result-score">{indonesian(expected.score, 2)}</strong>' in text
    assert f'<strong id="result-respondents">{expected.respondents}</strong>' in text
    assert f'<strong id="result-grade">{expected.grade}</strong>' in text
    assert expected.respondents == 5


def test_regency_page_lists_every_active_agency_with_its_score(client, answered, agency_a, agency_b):
    Agency.objects.create(code="OPD-C", name="Dinas Tanpa Responden")
    period = periods.current_semester()
    ranking = agency_ranking(start=period.start, end=period.end)
    response = client.get(reverse("public_results:regency"))
    assert len(ranking) == 3
    for ranked in ranking:
        cells = row(response, f"agency-{ranked.agency.code}")
        assert ranked.agency.name in cells
        assert str(ranked.index.respondents) in cells
        if ranked.index.score is not None:
            assert indonesian(ranked.index.score, 2) in cells
            assert f"{ranked.index.grade} (" in cells
    assert row(response, "agency-OPD-A").startswith("1 ")
    assert "93,75" in row(response, "agency-OPD-A")
    assert "75,00" in row(response, "agency-OPD-B")
    assert "—" in row(response, "agency-OPD-C")
    assert f'href="{agency_url()}?periode={period.key}"' in response.content.decode()


def test_agency_page_shows_its_score_elements_and_services(client, answered, service_a):
    Service.objects.create(agency=service_a.agency, code="A-KK", name="Kartu Keluarga")
    Service.objects.create(agency=service_a.agency, code="A-DRAFT", name="Layanan Konsep", is_published=False)
    period = periods.current_semester()
    expected = results(scope=Scope(agency=service_a.agency), start=period.start, end=period.end)
    response = client.get(agency_url())
    text = page_text(response)
    assert f'<strong id="result-score">{indonesian(expected.index.score, 2)}</strong>' in text
    assert '<strong id="result-score">93,75</strong>' in text
    assert '<strong id="result-respondents">4</strong>' in text
    assert '<strong id="result-index">3,7500</strong>' in text
    for element in expected.index.elements:
        cells = row(response, f"element-{element.code}")
        assert indonesian(round_half_up(element.nrr, 3), 3) in cells
        assert indonesian(element.score, 2) in cells
    assert "93,75" in row(response, "service-A-KTP")
    assert "—" in row(response, "service-A-KK")
    assert "Layanan Konsep" not in text


def test_agency_page_shows_the_respondent_profile_counts(client, submit, service_a):
    submit(service_a, gender="L", age=20)
    submit(service_a, gender="P", age=40)
    submit(service_a, gender="P", age=41)
    response = client.get(agency_url())
    profile = re.search(r'<table class="[^"]*" id="profile-gender">.*?</table>', page_text(response))[0]
    assert re.search(r"<td class=\"num\">1</td><td class=\"num\">33,3</td>", profile)
    assert re.search(r"<td class=\"num\">2</td><td class=\"num\">66,7</td>", profile)


def test_agency_page_shows_the_assisted_share_with_its_chart(client, service_a, questionnaire):
    answers = dict.fromkeys((e.code for e in questionnaire.elements.all()), 4)
    for assisted in (True, False, False):
        response_submit(service=service_a, answers=answers, profile=GOOD_PROFILE, channel="web", assisted=assisted)

    response = english(client).get(agency_url())

    text = page_text(response)
    assisted = re.search(r'<table class="[^"]*" id="profile-assisted">.*?</table>', text)[0]
    assert '<th scope="row">Helped by staff</th><td class="num">1</td><td class="num">33.3</td>' in assisted
    assert '<th scope="row">Not helped</th><td class="num">2</td><td class="num">66.7</td>' in assisted
    assert "&amp;dimensi=assisted&amp;lebar=320" in text


def test_the_trend_table_has_six_semesters_with_the_scores_of_each(client, answered):
    response = client.get(agency_url())
    current = periods.current_semester()
    keys = re.findall(r'<tr id="trend-([0-9]{4}-S[12])">', response.content.decode())
    assert len(keys) == 6
    assert keys[-1] == current.key
    assert PAST.key in keys
    assert "93,75" in row(response, f"trend-{current.key}")
    assert "50,00" in row(response, f"trend-{PAST.key}")


def test_charts_are_images_of_the_same_period_drawn_at_the_width_shown(client, answered):
    period = periods.current_semester()
    html = client.get(agency_url()).content.decode()
    elements = f"{reverse('reports:chart_elements')}?periode={period.key}&amp;opd=OPD-A"
    trend = f"{reverse('reports:chart_trend')}?periode={period.key}&amp;opd=OPD-A"
    for chart in (elements, trend):
        # A phone gets the 320-px drawing, a wider screen the 640-px one; both with a text alternative.
        assert re.search(rf'<img src="{re.escape(chart)}&amp;lebar=320" alt="[^"]+"', html)
        assert f'<source media="(min-width: 43rem)" srcset="{chart}&amp;lebar=640">' in html
    assert f"{reverse('reports:chart_profile')}?periode={period.key}&amp;opd=OPD-A&amp;dimensi=gender" in html
    regency = client.get(reverse("public_results:regency")).content.decode()
    assert f'<img src="{reverse("reports:chart_elements")}?periode={period.key}&amp;lebar=320"' in regency
    assert "<script" not in html and "<script" not in regency
    assert " style=" not in html and " style=" not in regency


# --- the period ---------------------------------------------------------------------------


def test_the_current_semester_is_shown_by_default_and_marked_provisional(client, answered):
    response = english(client).get(reverse("public_results:regency"))
    period = periods.current_semester()
    text = page_text(response)
    assert 'id="provisional">provisional</span>' in text
    assert f'<option value="{period.key}" selected>' in text
    with translation.override("en"):
        assert period.label in text


def test_provisional_reads_sementara_in_indonesian(client, answered):
    assert 'id="provisional">sementara</span>' in page_text(client.get(agency_url()))


def test_a_past_period_shows_its_own_numbers_and_is_not_provisional(client, answered):
    response = client.get(agency_url(), {"periode": PAST.key})
    text = page_text(response)
    assert 'id="provisional"' not in text
    assert '<strong id="result-score">50,00</strong>' in text
    assert '<strong id="result-respondents">1</strong>' in text
    assert f'<option value="{PAST.key}" selected>' in text


def test_a_year_and_a_quarter_can_be_chosen(client, answered):
    year = client.get(agency_url(), {"periode": PAST_YEAR})
    assert '<strong id="result-respondents">1</strong>' in page_text(year)
    quarter = client.get(agency_url(), {"periode": PAST_QUARTER})
    assert '<strong id="result-respondents">1</strong>' in page_text(quarter)
    empty = client.get(agency_url(), {"periode": EMPTY_QUARTER})
    assert '<strong id="result-respondents">0</strong>' in page_text(empty)


def test_the_chooser_offers_no_period_that_has_not_started(client, answered):
    html = client.get(reverse("public_results:regency")).content.decode()
    chooser = re.search(r'<select id="public-period".*?</select>', html, re.S)[0]
    offered = re.findall(r'<option value="([^"]+)"', chooser)
    today = timezone.localdate()
    assert offered
    assert all(periods.parse(key).start <= today for key in offered)
    assert PAST.key in offered


@pytest.mark.parametrize("key", ["2026-S9", "kemarin", "1999"])
def test_a_bad_period_is_explained_and_the_current_semester_shown(client, answered, key):
    response = english(client).get(agency_url(), {"periode": key})
    assert response.status_code == 200
    text = page_text(response)
    current = periods.current_semester()
    with translation.override("en"):
        assert f"Showing {current.label} instead." in text
    assert '<strong id="result-respondents">4</strong>' in text


def test_a_date_range_is_refused_so_one_day_cannot_be_singled_out(client, answered):
    response = english(client).get(agency_url(), {"periode": f"{PAST_DAY}..{PAST_DAY}"})
    text = page_text(response)
    assert "Choose a year, a semester or a quarter, e.g. 2026, 2026-S1 or 2026-T3." in text
    assert '<strong id="result-respondents">4</strong>' in text


# --- nothing personal ---------------------------------------------------------------------


def test_no_suggestion_appears_on_any_public_page_or_in_the_open_data(client, submit, service_a):
    submit(service_a, suggestion=SECRET_SUGGESTION)
    submit(service_a, suggestion=SECRET_SUGGESTION, day=PAST_DAY)
    period = periods.current_semester()
    urls = [
        (reverse("public_results:regency"), {}),
        (reverse("public_results:regency"), {"periode": PAST.key}),
        (agency_url(), {}),
        (agency_url(), {"periode": PAST.key}),
        (agency_url(), {"periode": PAST_YEAR}),
        (reverse("standards:home"), {}),
        (reverse("standards:service_detail", args=["A-KTP"]), {}),
        (reverse("api:opendata"), {}),
        (reverse("api:opendata"), {"format": "csv"}),
        (reverse("api:opendata"), {"period": PAST_YEAR, "format": "csv"}),
        (reverse("reports:chart_elements"), {"opd": "OPD-A", "periode": period.key}),
        (reverse("reports:chart_trend"), {"opd": "OPD-A"}),
        (reverse("reports:chart_profile"), {"opd": "OPD-A", "periode": period.key}),
    ]
    for url, query in urls:
        response = client.get(url, query)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "ZQX-7731" not in body, url
        assert "kasar" not in body, url


# --- recommendations and follow-up ---------------------------------------------------------


@pytest.fixture
def recommendations(agency_a, agency_b, evaluator, operator_a):
    def make(agency, title, status, due, actions=()):
        recommendation = Recommendation.objects.create(
            agency=agency,
            period_key=PAST.key,
            period_start=PAST.start,
            period_end=PAST.end,
            title=title,
            findings="Temuan internal: antrean tidak dikelola INTERNAL-FINDING",
            due_date=due,
            status=status,
            snapshot={"score": "50.00"},
            issued_by=evaluator,
        )
        for position, (code, text, action_status) in enumerate(actions, start=1):
            RecommendationAction.objects.create(
                recommendation=recommendation,
                position=position,
                element_code=code,
                text=text,
                status=action_status,
                plan_activity="Kegiatan rahasia PLAN-ACTIVITY",
                plan_responsible="Budi PLAN-PERSON",
                return_reason="Bukti kurang RETURN-REASON",
            )
        return recommendation

    far = timezone.localdate() + datetime.timedelta(days=30)
    first = make(
        agency_a,
        "Percepat waktu pelayanan KTP-el",
        RecommendationStatus.IN_PROGRESS,
        far,
        [
            ("waktu", "Tambah loket perekaman", ActionStatus.PLANNED),
            ("prosedur", "Sederhanakan alur antrean", ActionStatus.RETURNED),
        ],
    )
    make(
        agency_a, "Perbaiki ruang tunggu", RecommendationStatus.VERIFIED, far, [("sarana", "Tambah kursi", "verified")]
    )
    make(agency_a, "Umumkan maklumat", RecommendationStatus.ISSUED, PAST.start)
    make(agency_b, "Rekomendasi OPD lain", RecommendationStatus.ISSUED, far, [("biaya", "Aksi OPD lain", "open")])
    FollowUpEvent.objects.create(
        recommendation=first, kind="progress", actor=operator_a, note="Catatan kemajuan PROGRESS-NOTE"
    )


def test_agency_page_counts_recommendations_and_actions_by_state(client, answered, recommendations):
    response = client.get(agency_url())
    assert row(response, "recommendation-status-issued").endswith(" 1")
    assert row(response, "recommendation-status-in_progress").endswith(" 1")
    assert row(response, "recommendation-status-verified").endswith(" 1")
    assert row(response, "recommendation-status-acknowledged").endswith(" 0")
    assert row(response, "action-status-planned").endswith(" 1")
    assert row(response, "action-status-returned").endswith(" 1")
    assert row(response, "action-status-verified").endswith(" 1")
    assert row(response, "action-status-open").endswith(" 0")


def test_agency_page_lists_titles_and_action_texts_but_nothing_internal(client, answered, recommendations):
    text = page_text(client.get(agency_url()))
    assert "Percepat waktu pelayanan KTP-el" in text
    assert "Tambah loket perekaman" in text
    assert "Sederhanakan alur antrean" in text
    assert "Rekomendasi OPD lain" not in text
    for internal in ("INTERNAL-FINDING", "PLAN-ACTIVITY", "PLAN-PERSON", "RETURN-REASON", "PROGRESS-NOTE"):
        assert internal not in text


def test_an_overdue_recommendation_is_marked(client, answered, recommendations):
    text = page_text(english(client).get(agency_url()))
    umumkan = text[text.index("Umumkan maklumat") :]
    assert "overdue" in umumkan[: umumkan.index("</article>")]


def test_regency_page_counts_recommendations_of_every_agency(client, answered, recommendations):
    response = client.get(reverse("public_results:regency"))
    assert row(response, "recommendation-status-issued").endswith(" 2")
    assert row(response, "action-status-open").endswith(" 1")
    assert "Rekomendasi OPD lain" not in page_text(response)


def test_without_recommendations_the_page_says_so(client, answered):
    response = english(client).get(agency_url())
    assert "No recommendations have been issued yet." in page_text(response)


# --- links --------------------------------------------------------------------------------


def test_home_page_links_to_the_results(client, questionnaire):
    html = english(client).get(reverse("standards:home")).content.decode()
    assert f'<a href="{reverse("public_results:regency")}">Satisfaction results</a>' in html


def test_every_service_page_links_to_its_agency_results(client, service_a, service_b):
    for service in (service_a, service_b):
        html = english(client).get(reverse("standards:service_detail", args=[service.code])).content.decode()
        assert f'href="{agency_url(service.agency.code)}">Satisfaction results</a>' in html


def test_regency_page_links_to_the_open_data_of_the_period(client, answered):
    html = client.get(reverse("public_results:regency"), {"periode": PAST.key}).content.decode()
    assert f'href="{reverse("api:opendata")}?period={PAST.key}&amp;format=csv"' in html


# --- cost ---------------------------------------------------------------------------------


def test_page_queries_do_not_grow_with_responses(client, submit, service_a, django_assert_max_num_queries):
    submit(service_a)
    with django_assert_max_num_queries(200) as few:
        client.get(agency_url())
    for _ in range(20):
        submit(service_a, answers=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(agency_url())
