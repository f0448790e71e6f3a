"""The super admin uploads the service catalog (CSV or XLSX) at "Import catalog": all rows or none.

Row errors are listed in the page's language (Indonesian by default), so the tests read the row
numbers from the page context and check English wording only after choosing English with the
language switch's cookie.
"""

import csv
import io

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.messages import constants, get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from agencies.models import Agency, AgencyKind
from standards.models import Service

URL = reverse("standards:catalog_upload")
REQUIRED = ["kode_opd", "nama_opd", "kode_layanan", "nama_layanan"]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_upload(rows, name="katalog.csv") -> SimpleUploadedFile:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_upload(rows, name="katalog.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX_TYPE)


@pytest.fixture(autouse=True)
def _language_back_to_default():
    """The language middleware activates the chosen language for the thread; do not let an
    English request leak into the next test."""
    yield
    translation.deactivate()


def english(client):
    """The client after a visitor picked English with the language switch."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def stored() -> tuple[int, int, int]:
    return Agency.objects.count(), Service.objects.count(), LogEntry.objects.count()


GOOD_ROWS = [
    [*REQUIRED, "persyaratan", "biaya", "tautan_online"],
    ["KEC-JEJAWI", "Kecamatan Jejawi", "JEJ-SKD", "Surat Keterangan Domisili", "KTP\nKK", "Gratis", ""],
    [
        "DISDUKCAPIL",
        "Dinas Kependudukan",
        "DUK-AKL",
        "Akta Kelahiran",
        "Surat lahir",
        "Gratis",
        "https://dukcapil.okikab.go.id",
    ],
]

BAD_ROWS = [
    REQUIRED,
    ["KEC-JEJAWI", "Kecamatan Jejawi", "JEJ-SKD", "Surat Keterangan Domisili"],  # 2: good
    ["KEC-JEJAWI", "Kecamatan Jejawi", "JEJ SKTM", "Surat Keterangan Tidak Mampu"],  # 3: bad code
    ["KEC-JEJAWI", "Kecamatan Jejawi", "JEJ-SKU", ""],  # 4: empty name
    ["KEC-JEJAWI", "Kecamatan Jejawi", "JEJ-SKD", "Surat Keterangan Domisili"],  # 5: duplicate of 2
]


def test_super_admin_uploads_csv_and_is_sent_to_the_service_list_with_a_success_message(client_for, super_admin):
    client = english(client_for(super_admin))

    response = client.post(URL, {"file": csv_upload(GOOD_ROWS)})

    assert response.status_code == 302
    assert response.url == reverse("standards:staff_service_list")
    messages = list(get_messages(response.wsgi_request))
    assert [m.level for m in messages] == [constants.SUCCESS]
    assert "2 new agencies, 2 new services, 0 services updated" in messages[0].message
    assert Agency.objects.get(code="KEC-JEJAWI").kind == AgencyKind.KECAMATAN
    akta = Service.objects.get(code="DUK-AKL")
    assert akta.agency.code == "DISDUKCAPIL"
    assert akta.requirements == "Surat lahir"
    assert akta.online_url == "https://dukcapil.okikab.go.id"
    assert Service.objects.get(code="JEJ-SKD").requirements == "KTP\nKK"


def test_success_message_is_shown_on_the_service_list(client_for, super_admin):
    client = client_for(super_admin)

    response = client.post(URL, {"file": csv_upload(GOOD_ROWS)}, follow=True)

    assert response.redirect_chain == [(reverse("standards:staff_service_list"), 302)]
    assert [m.level for m in response.context["messages"]] == [constants.SUCCESS]
    assert "Akta Kelahiran" in response.text
    assert "Surat Keterangan Domisili" in response.text


def test_super_admin_uploads_xlsx_with_numeric_cells(client_for, super_admin):
    client = client_for(super_admin)
    upload = xlsx_upload(
        [
            [*REQUIRED, "biaya", "jumlah_pelaksana"],
            ["RSUD-KAG", "RSUD Kayuagung", "RSUD-RJ", "Rawat Jalan", 25000, 12],
            ["RSUD-KAG", "RSUD Kayuagung", 2024, "Rawat Inap", 0, 30.0],
        ]
    )

    response = client.post(URL, {"file": upload})

    assert response.status_code == 302
    assert response.url == reverse("standards:staff_service_list")
    assert [m.level for m in get_messages(response.wsgi_request)] == [constants.SUCCESS]
    assert Agency.objects.get(code="RSUD-KAG").kind == AgencyKind.RSUD
    assert Service.objects.get(code="RSUD-RJ").cost == "25000"
    assert Service.objects.get(code="2024").staff_count == "30"


def test_upload_updates_an_existing_service_without_duplicating_it(client_for, super_admin, service_a):
    client = english(client_for(super_admin))

    response = client.post(
        URL,
        {"file": csv_upload([[*REQUIRED, "biaya"], ["OPD-A", "Disdukcapil", "A-KTP", "KTP Elektronik", "Rp0"]])},
    )

    assert response.status_code == 302
    assert (
        "0 new agencies, 0 new services, 1 service updated" in next(iter(get_messages(response.wsgi_request))).message
    )
    assert Service.objects.count() == 1
    service_a.refresh_from_db()
    assert service_a.name == "KTP Elektronik"
    assert service_a.cost == "Rp0"
    assert service_a.product == "KTP-el"  # not in the file: unchanged


def test_unknown_column_is_named_in_a_warning(client_for, super_admin):
    client = client_for(super_admin)

    response = client.post(URL, {"file": csv_upload([[*REQUIRED, "keterangan"], ["X", "Dinas X", "X-1", "Layanan"]])})

    messages = list(get_messages(response.wsgi_request))
    assert [m.level for m in messages] == [constants.SUCCESS, constants.WARNING]
    assert "keterangan" in messages[1].message


def test_bad_rows_are_all_listed_with_their_row_numbers_and_nothing_is_stored(client_for, super_admin):
    client = client_for(super_admin)
    before = stored()

    response = client.post(URL, {"file": csv_upload(BAD_ROWS)})

    assert response.status_code == 200
    assert [error.row for error in response.context["errors"]] == [3, 4, 5]
    page = response.text
    assert page.count("<li>", page.index('class="error-summary"')) >= 3
    assert "kode_layanan" in page
    assert "JEJ SKTM" in page
    assert "nama_layanan" in page
    assert response["Content-Language"] == "id"
    assert "Row 3:" not in page
    assert stored() == before


def test_bad_xlsx_rows_are_listed_in_english_when_english_is_asked_for(client_for, super_admin):
    client = english(client_for(super_admin))
    before = stored()

    response = client.post(URL, {"file": xlsx_upload(BAD_ROWS)})

    assert response.status_code == 200
    page = response.text
    assert "3 rows are wrong; nothing was imported." in page
    assert "Row 3: “kode_layanan” may hold only letters" in page
    assert "Row 4: “nama_layanan” is empty." in page
    assert "Row 5: Service code “JEJ-SKD” also appears on row 2." in page
    assert stored() == before


def test_unreadable_file_is_reported_on_row_1_and_nothing_is_stored(client_for, super_admin):
    client = client_for(super_admin)
    before = stored()
    upload = SimpleUploadedFile("katalog.xlsx", b"kode_opd,nama_opd\nX,Dinas X\n", content_type=XLSX_TYPE)

    response = client.post(URL, {"file": upload})

    assert response.status_code == 200
    assert [error.row for error in response.context["errors"]] == [1]
    assert "XLSX" in response.text
    assert stored() == before


@pytest.mark.parametrize("name", ["katalog.pdf", "katalog.xls", "katalog.csv.exe", "katalog"])
def test_file_that_is_not_csv_or_xlsx_is_refused_with_a_field_error(client_for, super_admin, name):
    client = english(client_for(super_admin))
    before = stored()
    upload = SimpleUploadedFile(name, b"kode_opd,nama_opd,kode_layanan,nama_layanan\nX,Dinas X,X-1,Layanan\n")

    response = client.post(URL, {"file": upload})

    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert "Upload a .csv or .xlsx file." in response.text
    assert stored() == before


def test_posting_without_a_file_is_refused_with_a_field_error(client_for, super_admin):
    client = english(client_for(super_admin))
    before = stored()

    # What a browser sends when no file was chosen: the form's other fields, an empty file part.
    response = client.post(URL, {"csrfmiddlewaretoken": "x", "file": ""})

    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert "This field is required." in response.text
    assert stored() == before


def test_operator_cannot_upload_the_catalog(client_for, operator_a):
    client = client_for(operator_a)
    before = stored()

    response = client.post(URL, {"file": csv_upload(GOOD_ROWS)})

    assert response.status_code == 403
    assert stored() == before


def test_imported_services_appear_in_their_history_with_the_uploader(client_for, super_admin):
    client = client_for(super_admin)

    client.post(URL, {"file": csv_upload(GOOD_ROWS)})

    service = Service.objects.get(code="DUK-AKL")
    entries = LogEntry.objects.get_for_object(service)
    assert entries.filter(action=LogEntry.Action.CREATE, actor=super_admin).exists()
    history = client.get(reverse("standards:service_history", args=["DUK-AKL"]))
    assert history.status_code == 200
    assert [entry.pk for entry in history.context["page"]] == list(
        entries.order_by("-timestamp").values_list("pk", flat=True)
    )
    assert super_admin.username in history.text or str(super_admin) in history.text


def test_updated_services_record_the_change_in_their_history(client_for, super_admin, service_a):
    client = client_for(super_admin)

    client.post(URL, {"file": csv_upload([[*REQUIRED, "biaya"], ["OPD-A", "Disdukcapil", "A-KTP", "KTP-el", "Rp0"]])})

    update = LogEntry.objects.get_for_object(service_a).get(action=LogEntry.Action.UPDATE)
    assert update.actor == super_admin
    assert update.changes_dict["cost"] == ["Gratis", "Rp0"]
