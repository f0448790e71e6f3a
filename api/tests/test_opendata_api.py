"""GET open-data/results: every active agency's index for a period, as JSON or CSV."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from agencies.models import Agency
from standards.models import Service
from surveys import periods
from surveys.index import round_half_up
from surveys.selectors import Scope, results

pytestmark = pytest.mark.django_db

URL = "/api/v1/open-data/results"
PAST_DAY = datetime.date(2025, 3, 14)
COLUMNS = [
    "agency_code",
    "agency_name",
    "period",
    "period_start",
    "period_end",
    "provisional",
    "respondents",
    "index",
    "score",
    "grade",
    "performance",
]


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


@pytest.fixture
def answered(submit, service_a, service_b):
    """Agency A: three answers of 4 and one of 3 this semester (score 93.75) and one of 2 in
    2025-S1; agency B: one answer of 3 this semester."""
    for _ in range(3):
        submit(service_a)
    submit(service_a, answers=3)
    submit(service_a, answers=2, day=PAST_DAY)
    submit(service_b, answers=3)


def test_the_url_is_named_opendata():
    assert reverse("api:opendata") == URL


def test_json_has_one_row_per_active_agency_for_the_current_semester(client, answered, questionnaire):
    Agency.objects.create(code="OPD-C", name="Dinas Tanpa Responden")
    Agency.objects.create(code="OPD-X", name="Dinas Lama", is_active=False)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    current = periods.current_semester()
    assert data["period"] == current.key
    assert [row["agency_code"] for row in data["rows"]] == ["OPD-A", "OPD-B", "OPD-C"]
    codes = [element.code for element in questionnaire.elements.all()]
    first = data["rows"][0]
    assert list(first) == COLUMNS + [f"nrr_{code}" for code in codes]
    assert first == {
        "agency_code": "OPD-A",
        "agency_name": "Dinas Kependudukan dan Pencatatan Sipil",
        "period": current.key,
        "period_start": current.start.isoformat(),
        "period_end": current.end.isoformat(),
        "provisional": True,
        "respondents": 4,
        "index": 3.75,
        "score": 93.75,
        "grade": "A",
        "performance": "Sangat Baik",
        **{f"nrr_{code}": 3.75 for code in codes},
    }
    empty = data["rows"][2]
    assert empty["respondents"] == 0
    assert empty["index"] is None and empty["score"] is None and empty["grade"] is None
    assert empty["performance"] is None and empty["nrr_persyaratan"] is None


def test_numbers_equal_the_index_with_4_and_2_decimals(client, submit, service_a, questionnaire):
    codes = [element.code for element in questionnaire.elements.all()]
    submit(service_a, answers={code: 4 if position % 3 else 3 for position, code in enumerate(codes)})
    submit(service_a, answers={code: 3 if position % 2 else 2 for position, code in enumerate(codes)})
    submit(service_a, answers=4)
    current = periods.current_semester()
    expected = results(scope=Scope(agency=service_a.agency), start=current.start, end=current.end).index
    row = client.get(URL).json()["rows"][0]
    assert Decimal(str(row["index"])) == round_half_up(expected.index, 4)
    assert Decimal(str(row["score"])) == expected.score
    for element in expected.elements:
        assert Decimal(str(row[f"nrr_{element.code}"])) == round_half_up(element.nrr, 4)


def test_a_past_semester_a_year_and_a_quarter_are_not_provisional(client, answered):
    for key in ("2025-S1", "2025", "2025-T1"):
        data = client.get(URL, {"period": key}).json()
        assert data["period"] == key
        row = data["rows"][0]
        assert row["provisional"] is False
        assert row["respondents"] == 1
        assert row["score"] == 50.0
        assert row["grade"] == "D"
        assert row["performance"] == "Tidak Baik"
    assert client.get(URL, {"period": "2025-T2"}).json()["rows"][0]["respondents"] == 0


def test_csv_is_a_utf8_attachment_with_a_header_and_dot_decimals(client, answered, questionnaire, agency_b):
    Agency.objects.filter(pk=agency_b.pk).update(name="Dinas Penanaman Modal — Pelayanan Terpadu Satu Pintu")
    response = client.get(URL, {"format": "csv", "period": "2025-S1"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="open-data-ikm-2025-S1.csv"'
    rows = csv_rows(response)
    codes = [element.code for element in questionnaire.elements.all()]
    assert rows[0] == COLUMNS + [f"nrr_{code}" for code in codes]
    assert rows[1][:11] == [
        "OPD-A",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "2025-S1",
        "2025-01-01",
        "2025-06-30",
        "false",
        "1",
        "2.0000",
        "50.00",
        "D",
        "Tidak Baik",
    ]
    assert rows[1][11:] == ["2.0000"] * len(codes)
    assert rows[2][1] == "Dinas Penanaman Modal — Pelayanan Terpadu Satu Pintu"
    assert rows[2][6:11] == ["0", "", "", "", ""]
    assert len(rows) == 3


def test_csv_of_the_current_semester_says_provisional(client, answered):
    rows = csv_rows(client.get(URL, {"format": "csv"}))
    assert rows[1][5] == "true"
    assert rows[1][8] == "93.75"


def test_csv_defuses_agency_names_a_spreadsheet_would_run(client, questionnaire):
    names = {
        "F-1": '=HYPERLINK("http://evil.example","klik")',
        "F-2": "+62 Dinas",
        "F-3": "-1+1",
        "F-4": "@SUM(A1)",
        "F-5": "\tDinas",
        "F-6": "\rDinas",
        "F-7": "Dinas Biasa",
    }
    for code, name in names.items():
        Agency.objects.create(code=code, name=name)
    rows = {row[0]: row[1] for row in csv_rows(client.get(URL, {"format": "csv"}))[1:]}
    assert rows["F-1"] == '\'=HYPERLINK("http://evil.example","klik")'
    assert rows["F-2"] == "'+62 Dinas"
    assert rows["F-3"] == "'-1+1"
    assert rows["F-4"] == "'@SUM(A1)"
    assert rows["F-5"] == "'\tDinas"
    assert rows["F-6"] == "'\rDinas"
    assert rows["F-7"] == "Dinas Biasa"
    json_names = {row["agency_code"]: row["agency_name"] for row in client.get(URL).json()["rows"]}
    assert json_names["F-1"] == names["F-1"]


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("2026-S3", "A year has two semesters."),
        ("semester-satu", "Unknown period"),
        ("1999", "The year must be between"),
        ("2025-01-01..2025-01-31", "Choose a year, a semester or a quarter"),
    ],
)
def test_a_bad_period_is_a_400_with_a_message(client, questionnaire, key, message):
    for query in ({"period": key}, {"period": key, "format": "csv"}):
        response = english(client).get(URL, query)
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        errors = response.json()["errors"]
        assert list(errors) == ["period"]
        assert message in errors["period"][0]


def test_a_bad_period_message_is_indonesian_by_default(client, questionnaire):
    errors = client.get(URL, {"period": "2026-S3"}).json()["errors"]
    with translation.override("id"):
        indonesian = gettext("A year has two semesters.")
    assert indonesian != "A year has two semesters."
    assert errors["period"] == [indonesian]


def test_an_unknown_format_is_a_400(client, questionnaire):
    response = english(client).get(URL, {"format": "xml"})
    assert response.status_code == 400
    assert response.json() == {"errors": {"format": ["Choose json or csv."]}}


def test_suggestions_never_appear_in_the_open_data(client, submit, service_a):
    submit(service_a, suggestion="Petugas kasar ZQX-7731")
    assert "ZQX-7731" not in client.get(URL).content.decode()
    assert "ZQX-7731" not in client.get(URL, {"format": "csv"}).content.decode()


def test_responses_can_be_cached_for_five_minutes(client, questionnaire):
    assert "max-age=300" in client.get(URL)["Cache-Control"]
    assert "public" in client.get(URL, {"format": "csv"})["Cache-Control"]


def test_queries_do_not_grow_with_responses_or_agencies(client, submit, service_a, django_assert_max_num_queries):
    submit(service_a)
    with django_assert_max_num_queries(50) as few:
        client.get(URL)
    for number in range(15):
        agency = Agency.objects.create(code=f"X-{number}", name=f"Dinas {number}")
        service = Service.objects.create(agency=agency, code=f"XS-{number}", name="Layanan")
        submit(service, answers=3)
        submit(service_a, answers=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL, {"format": "csv"})
    assert len(csv_rows(response)) == 1 + 16


def test_the_schema_documents_the_endpoint_with_json_and_csv(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    operation = schema["paths"][URL]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} == {"period", "format"}
    content = operation["responses"]["200"]["content"]
    assert set(content) == {"application/json", "text/csv"}
    row = content["application/json"]["schema"]["properties"]["rows"]["items"]
    assert set(COLUMNS) <= set(row["properties"])
    assert "400" in operation["responses"]
