"""Charts: the element, trend and profile drawings as SVG, and their public endpoints."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from conftest import GOOD_PROFILE
from reports import charts
from surveys import periods, selectors
from surveys.index import compute_index
from surveys.models import Education, Questionnaire
from surveys.selectors import Results
from surveys.services import response_submit

SVG = "{http://www.w3.org/2000/svg}"
CODES = ["persyaratan", "prosedur", "waktu"]
ELEMENTS_URL = reverse("reports:chart_elements")
TREND_URL = reverse("reports:chart_trend")
PROFILE_URL = reverse("reports:chart_profile")
MARCH = datetime.date(2026, 3, 10)


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg.encode())  # noqa: S314 - the application's own output, in a test
    assert root.tag == f"{SVG}svg"
    return root


def texts(svg: str) -> list[str]:
    """Every text the SVG shows, after checking that it parses as an SVG document."""
    return [node.text for node in parse(svg).iter(f"{SVG}text")]


def svg_title(svg: str) -> str:
    return parse(svg).find(f"{SVG}title").text


def results_of(tallies: dict, respondents: int) -> Results:
    return Results(index=compute_index(CODES, tallies, respondents))


# --- The drawings ------------------------------------------------------------------------------


def test_element_chart_labels_each_element_with_its_nrr_in_indonesian_format():
    # persyaratan: (4·2 + 3·1) / 3 = 3.667; prosedur: 3.000; waktu: nobody answered.
    results = results_of({"persyaratan": {4: 2, 3: 1}, "prosedur": {3: 3}}, 3)

    with translation.override("id"):
        shown = texts(charts.to_svg(charts.element_chart(results, {})))

    assert "persyaratan" in shown and "prosedur" in shown and "waktu" in shown
    assert "3,667 (A)" in shown
    assert "3,000 (C)" in shown
    assert "—" in shown  # waktu: no bar, a dash


def test_element_chart_describes_each_element_by_its_name_for_screen_readers():
    results = results_of({"persyaratan": {4: 2, 3: 1}}, 3)

    with translation.override("id"):
        svg = charts.to_svg(charts.element_chart(results, {"persyaratan": "Persyaratan"}))

    description = parse(svg).find(f"{SVG}desc").text
    assert "Persyaratan: 3,667 (A)" in description
    assert "waktu: —" in description


def test_element_chart_marks_the_grade_bands():
    results = results_of({code: {4: 1} for code in CODES}, 1)

    shown = texts(charts.to_svg(charts.element_chart(results, {})))

    assert {"A", "B", "C", "D"} <= set(shown)


def test_element_chart_in_english_uses_a_decimal_point():
    results = results_of({code: {4: 2, 3: 1} for code in CODES}, 3)

    with translation.override("en"):
        svg = charts.to_svg(charts.element_chart(results, {}))

    assert "3.667 (A)" in texts(svg)
    assert svg_title(svg) == "NRR per element"


def test_trend_chart_shows_each_period_and_its_score_and_a_dash_without_data():
    points = [("Semester I 2025", Decimal("91.48")), ("Semester II 2025", None), ("Semester I 2026", Decimal("70.5"))]

    with translation.override("id"):
        shown = texts(charts.to_svg(charts.trend_chart(points)))

    assert "91,48 (A)" in shown and "70,50 (C)" in shown
    assert "—" in shown
    assert any("Semester I" in text for text in shown)
    assert "2025" in shown or any("2025" in text for text in shown)


def test_profile_chart_shows_counts_and_shares_in_the_given_order():
    with translation.override("id"):
        shown = texts(charts.to_svg(charts.profile_chart({"sma": 3, "s1": 1}, Education.choices)))

    assert "3 (75,0%)" in shown and "1 (25,0%)" in shown
    assert shown.index("SMA/SMK") < shown.index("S1")


def test_svg_has_no_inline_style_for_the_strict_content_security_policy():
    results = results_of({code: {4: 1} for code in CODES}, 1)

    svg = charts.to_svg(charts.element_chart(results, {}))

    assert "style=" not in svg
    assert 'fill="rgb(' in svg


def test_charts_are_deterministic():
    results = results_of({code: {4: 2, 2: 1} for code in CODES}, 3)

    first = charts.to_svg(charts.element_chart(results, {}))
    second = charts.to_svg(charts.element_chart(results, {}))

    assert first == second


def test_semesters_until_counts_back_across_years():
    found = charts.semesters_until(datetime.date(2026, 3, 1), 4)

    assert [period.key for period in found] == ["2024-S2", "2025-S1", "2025-S2", "2026-S1"]


# --- The endpoints -----------------------------------------------------------------------------


@pytest.fixture
def answered(service_a, service_b, submit):
    """Agency A: two responses in March 2026 (persyaratan 4 and 3, everything else 4); agency B:
    one response, all 2."""
    submit(service_a, answers=4, day=MARCH)
    submit(service_a, answers={**_all(4), "persyaratan": 3}, day=MARCH, gender="L", education="s1")
    submit(service_b, answers=2, day=MARCH)


def _all(value):
    return {e.code: value for e in Questionnaire.objects.get(is_current=True).elements.all()}


def assert_svg(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "max-age=300" in response["Cache-Control"]
    return texts(response.content.decode())


def test_element_chart_of_an_agency_shows_its_nrrs(client, answered):
    response = client.get(ELEMENTS_URL, {"opd": "OPD-A", "periode": "2026-S1"})

    shown = assert_svg(response)
    assert "3,500 (B)" in shown  # persyaratan: (4 + 3) / 2
    assert "4,000 (A)" in shown
    assert "2,000 (D)" not in shown  # agency B's answers stay out


def test_element_chart_of_the_regency_counts_every_agency(client, answered):
    response = client.get(ELEMENTS_URL, {"periode": "2026-S1"})

    shown = assert_svg(response)
    assert "3,000 (C)" in shown  # persyaratan: (4 + 3 + 2) / 3


def test_element_chart_follows_the_visitors_language(client, answered):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(ELEMENTS_URL, {"opd": "OPD-A", "periode": "2026-S1"})

    assert "3.500 (B)" in assert_svg(response)


def test_trend_chart_shows_six_semesters_up_to_the_period(client, answered, agency_a):
    response = client.get(TREND_URL, {"opd": "OPD-A", "periode": "2026-S1"})

    shown = " ".join(assert_svg(response))
    assert "2023" in shown and "2026" in shown
    assert "2022" not in shown
    semester = periods.parse("2026-S1")
    results = selectors.results(scope=selectors.Scope(agency=agency_a), start=semester.start, end=semester.end)
    assert f"{str(results.index.score).replace('.', ',')} (A)" in shown


def test_trend_chart_defaults_to_the_current_semester(client, agency_a):
    response = client.get(TREND_URL, {"opd": "OPD-A"})

    shown = " ".join(assert_svg(response))
    assert str(periods.current_semester().start.year) in shown


def test_profile_chart_shows_the_chosen_dimension(client, answered):
    response = client.get(PROFILE_URL, {"opd": "OPD-A", "periode": "2026-S1", "dimensi": "education"})

    shown = assert_svg(response)
    assert "1 (50,0%)" in shown
    assert "SMA/SMK" in shown and "S1" in shown


def test_profile_chart_shows_the_assisted_share(client, service_a, questionnaire):
    for assisted in (True, False, False, False):
        response_submit(
            service=service_a, answers=_all(4), profile=GOOD_PROFILE, channel="web", assisted=assisted, day=MARCH
        )

    response = client.get(PROFILE_URL, {"opd": "OPD-A", "periode": "2026-S1", "dimensi": "assisted"})

    shown = assert_svg(response)
    assert "1 (25,0%)" in shown and "3 (75,0%)" in shown


@pytest.mark.parametrize("url", [ELEMENTS_URL, TREND_URL, PROFILE_URL])
def test_unknown_agency_is_not_found(client, url, db):
    assert client.get(url, {"opd": "NOPE"}).status_code == 404


@pytest.mark.parametrize("url", [ELEMENTS_URL, TREND_URL, PROFILE_URL])
@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("2026-S3", "A year has two semesters."),
        ("semester lalu", "Unknown period"),
        ("0001-01-01..0001-06-30", "The year must be between 2000 and 2100."),
    ],
)
def test_bad_period_is_a_bad_request_with_a_message(client, url, key, message, agency_a):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(url, {"opd": "OPD-A", "periode": key})

    assert response.status_code == 400
    assert message in response.content.decode()


def test_unknown_profile_dimension_is_a_bad_request(client, agency_a):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(PROFILE_URL, {"opd": "OPD-A", "dimensi": "income"})

    assert response.status_code == 400
    assert "Unknown profile dimension" in response.content.decode()


def test_charts_are_read_only(client, agency_a):
    assert client.post(ELEMENTS_URL, {"opd": "OPD-A"}).status_code == 405


def test_public_charts_refuse_date_ranges_but_staff_may_use_them(client, client_for, evaluator, agency_a):
    from django.urls import reverse as _reverse

    url = _reverse("reports:chart_profile")
    query = {"opd": "OPD-A", "periode": "2026-03-01..2026-03-01", "dimensi": "gender"}
    assert client.get(url, query).status_code == 400
    assert client_for(evaluator).get(url, query).status_code == 200


def test_charts_of_an_inactive_agency_are_404(client, agency_a):
    from django.urls import reverse as _reverse

    agency_a.is_active = False
    agency_a.save()
    assert client.get(_reverse("reports:chart_elements"), {"opd": "OPD-A"}).status_code == 404
