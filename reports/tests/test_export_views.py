"""The staff exports page and downloads: who may export what, the files they get, and the
messages for what cannot be exported."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import translation

from surveys import periods

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "super_admin", "evaluator", "leader", "operator_a", "operator_b")
STAFF = ROLES[1:]
DAY = datetime.date(2026, 3, 10)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page_text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def download_url(identifier="respons", fmt="csv", **query):
    url = reverse("exports:download", args=[identifier, fmt])
    query.setdefault("periode", "2026-S1")
    return url + "?" + "&".join(f"{key}={value}" for key, value in query.items())


def csv_of(response):
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def two_agencies(submit, service_a, service_b):
    return {"A": submit(service_a, day=DAY), "B": submit(service_b, day=DAY)}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", ["exports:index", "exports:download"])
def test_every_staff_role_may_export_and_anonymous_visitors_sign_in_first(
    role, url_name, client_for, actors, two_agencies
):
    url = reverse(url_name) if url_name == "exports:index" else download_url()
    response = client_for(actors.get(role)).get(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == 200


def test_operator_gets_only_their_own_agency_by_default(client_for, operator_a, two_agencies):
    response = client_for(operator_a).get(download_url())
    header, *rows = csv_of(response)
    assert [row[header.index("kode_opd")] for row in rows] == ["OPD-A"]
    assert [row[0] for row in rows] == [str(two_agencies["A"].pk)]
    assert response["Content-Disposition"] == 'attachment; filename="respons-OPD-A-2026-S1.csv"'


@pytest.mark.parametrize("url", [download_url(opd="OPD-B"), download_url("rekap-unsur", "xlsx", opd="OPD-B")])
def test_operator_cannot_export_another_agency(url, client_for, operator_a, two_agencies):
    assert client_for(operator_a).get(url).status_code == 404


def test_operator_cannot_open_the_exports_page_for_another_agency(client_for, operator_a, agency_b):
    assert client_for(operator_a).get(reverse("exports:index") + "?opd=OPD-B").status_code == 404


def test_operator_may_name_their_own_agency(client_for, operator_a, two_agencies):
    header, *rows = csv_of(client_for(operator_a).get(download_url(opd="OPD-A")))
    assert [row[header.index("kode_opd")] for row in rows] == ["OPD-A"]


def test_overseer_exports_the_whole_regency_or_one_agency(client_for, evaluator, two_agencies):
    client = client_for(evaluator)
    everything = client.get(download_url())
    header, *rows = csv_of(everything)
    assert sorted(row[header.index("kode_opd")] for row in rows) == ["OPD-A", "OPD-B"]
    assert everything["Content-Disposition"] == 'attachment; filename="respons-semua-opd-2026-S1.csv"'

    header, *rows = csv_of(client.get(download_url(opd="OPD-B")))
    assert [row[header.index("kode_opd")] for row in rows] == ["OPD-B"]


def test_leader_downloads_the_responses_as_xlsx(client_for, leader, two_agencies):
    response = client_for(leader).get(download_url(fmt="xlsx", opd="OPD-A"))
    assert isinstance(response, FileResponse)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="respons-OPD-A-2026-S1.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("id", "tanggal", "waktu_isi", "kode_opd", "kode_layanan")
    assert [row[0] for row in rows[1:]] == [two_agencies["A"].pk]


def test_element_recap_downloads_with_the_index_as_its_last_row(client_for, super_admin, two_agencies):
    response = client_for(super_admin).get(download_url("rekap-unsur", opd="OPD-A"))
    rows = csv_of(response)
    assert response["Content-Disposition"] == 'attachment; filename="rekap-unsur-OPD-A-2026-S1.csv"'
    assert rows[-1][:3] == ["IKM", rows[-1][1], "1"]
    assert rows[-1][5:] == ["100.00", "A"]


def test_exports_are_not_kept_by_shared_caches(client_for, super_admin, two_agencies):
    response = client_for(super_admin).get(download_url())
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_without_a_period_the_current_semester_is_exported(client_for, super_admin, service_a, submit):
    today = submit(service_a)
    url = reverse("exports:download", args=["respons", "csv"])
    response = client_for(super_admin).get(url)
    _header, *rows = csv_of(response)
    assert [row[0] for row in rows] == [str(today.pk)]
    assert periods.current_semester().key in response["Content-Disposition"]


def test_a_bad_period_is_explained_with_a_400(client_for, super_admin, two_agencies):
    response = english(client_for(super_admin)).get(download_url(periode="2026-S3"))
    assert response.status_code == 400
    assert "A year has two semesters." in page_text(response)
    assert reverse("exports:index") in page_text(response)


def test_a_date_range_beyond_the_known_years_is_refused_with_a_400(client_for, super_admin, two_agencies):
    response = english(client_for(super_admin)).get(download_url(periode="1900-01-01..2026-01-31"))
    assert response.status_code == 400
    assert "The year must be between 2000 and 2100." in page_text(response)


@pytest.mark.parametrize(("identifier", "fmt"), [("respons", "pdf"), ("respons", "CSV"), ("kontak", "csv")])
def test_unknown_exports_and_formats_are_not_found(identifier, fmt, client_for, super_admin, two_agencies):
    assert client_for(super_admin).get(download_url(identifier, fmt)).status_code == 404


def test_an_unknown_agency_is_not_found(client_for, super_admin, two_agencies):
    assert client_for(super_admin).get(download_url(opd="NOPE")).status_code == 404


def test_exports_page_links_every_export_in_both_formats_for_the_chosen_agency(client_for, super_admin, two_agencies):
    response = english(client_for(super_admin)).get(reverse("exports:index") + "?periode=2026-S1&opd=OPD-A")
    text = page_text(response)
    for identifier in ("respons", "rekap-unsur"):
        for fmt in ("csv", "xlsx"):
            link = reverse("exports:download", args=[identifier, fmt]) + "?periode=2026-S1&amp;opd=OPD-A"
            assert f'href="{link}"' in text
    assert "Responses" in text and "Per-element recap" in text
    assert 'name="opd"' in text  # overseers choose the agency
    assert '<option value="OPD-A" selected>' in text
    assert '<option value="2026-S1" selected>' in text
    assert "1 response in this period." in text


def test_operator_page_has_no_agency_chooser_and_names_their_agency(client_for, operator_a, two_agencies):
    response = english(client_for(operator_a)).get(reverse("exports:index") + "?periode=2026-S1")
    text = page_text(response)
    assert 'name="opd"' not in text
    assert "Dinas Kependudukan dan Pencatatan Sipil" in text
    assert "opd=" not in text  # the downloads are their own agency's anyway
    assert "1 response in this period." in text


def test_exports_page_explains_a_bad_period_and_shows_the_current_semester(client_for, evaluator, two_agencies):
    response = english(client_for(evaluator)).get(reverse("exports:index") + "?periode=kemarin")
    assert response.status_code == 200
    messages = [str(message) for message in response.context["messages"]]
    assert any("Unknown period" in message for message in messages)
    assert response.context["period"] == periods.current_semester()


def test_everything_so_far_is_offered_first_and_exports_every_response(
    client_for, evaluator, submit, service_a, two_agencies
):
    from django.utils import timezone

    earlier = submit(service_a, day=DAY - datetime.timedelta(days=400))
    everything = periods.date_range(earlier.day, timezone.localdate())
    page = page_text(english(client_for(evaluator)).get(reverse("exports:index")))

    first_option = re.search(r'<select id="export-period" name="periode"><option value="([^"]+)"[^>]*>([^<]+)<', page)
    with translation.override("en"):
        assert first_option.groups() == (everything.key, f"All data ({everything.label})")
    _header, *rows = csv_of(client_for(evaluator).get(download_url(periode=everything.key)))
    assert sorted(int(row[0]) for row in rows) == sorted([earlier.pk, two_agencies["A"].pk, two_agencies["B"].pk])


def test_an_operators_everything_starts_at_their_own_first_response(
    client_for, operator_a, submit, service_b, two_agencies
):
    from django.utils import timezone

    submit(service_b, day=DAY - datetime.timedelta(days=30))  # another agency's earlier response
    page = page_text(client_for(operator_a).get(reverse("exports:index")))

    assert f'<option value="{periods.date_range(DAY, timezone.localdate()).key}"' in page
