"""Operators and the super admin upload paper surveys at "Paper surveys": all rows or none.

An operator may enter responses only for their own agency's services; a row for another
agency's service reads exactly like a code that does not exist.
"""

import csv
import io

import pytest
from django.conf import settings
from django.contrib.messages import constants, get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from surveys.models import PaperBatch, RespondentTally, Response
from surveys.services import questionnaire_from_preset

URL = reverse("paper:upload")
TEMPLATE_URL = reverse("paper:template")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROFILE = ["kode_layanan", "tanggal", "jenis_kelamin", "usia", "pendidikan", "pekerjaan"]
OKI_CODES = [
    "persyaratan",
    "prosedur",
    "waktu",
    "biaya",
    "produk",
    "kompetensi",
    "perilaku",
    "maklumat",
    "pengaduan",
    "sarana",
]
HEADER = [*PROFILE, *OKI_CODES, "saran"]


def row(service="A-KTP", day="2026-01-15", age="34", education="sma", answer="4", saran=""):
    return [service, day, "P", age, education, "wirausaha", *([answer] * len(OKI_CODES)), saran]


def csv_upload(rows, name="kertas.csv") -> SimpleUploadedFile:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_upload(rows, name="kertas.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    for values in rows:
        workbook.active.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX_TYPE)


@pytest.fixture(autouse=True)
def _language_back_to_default():
    """The language middleware activates the chosen language for the thread; do not let an
    English request leak into the next test."""
    yield
    translation.deactivate()


@pytest.fixture
def services(service_a, service_b, questionnaire):
    return service_a, service_b


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def stored() -> tuple[int, int]:
    return Response.objects.count(), RespondentTally.objects.count()


def respondents(service) -> int:
    return RespondentTally.objects.filter(span="d").filter(service=service).aggregate(total=Sum("count"))["total"] or 0


# --- Uploading ---------------------------------------------------------------------------------


def test_super_admin_uploads_csv_for_any_agency_and_sees_how_many_were_imported(client_for, super_admin, services):
    service_a, service_b = services
    client = english(client_for(super_admin))

    response = client.post(
        URL,
        {"file": csv_upload([HEADER, row(saran="Loket nyaman"), row(day="2026-01-16"), row(service="B-NIB")])},
        follow=True,
    )

    assert response.redirect_chain == [(URL, 302)]
    assert [m.level for m in response.context["messages"]] == [constants.SUCCESS]
    batch = PaperBatch.objects.get()
    assert f"Imported 3 paper survey responses as batch {batch.pk}." in response.text
    assert (batch.created_by, batch.rows, batch.agency) == (super_admin, 3, None)
    assert set(Response.objects.values_list("channel", flat=True)) == {"paper"}
    assert respondents(service_a) == 2
    assert respondents(service_b) == 1
    assert Response.objects.get(suggestion="Loket nyaman").day.isoformat() == "2026-01-15"


def test_operator_uploads_xlsx_for_their_own_agency(client_for, operator_a, services):
    service_a, _service_b = services
    client = client_for(operator_a)

    response = client.post(URL, {"file": xlsx_upload([HEADER, row(), row(answer="3")])})

    assert response.status_code == 302
    assert [m.level for m in get_messages(response.wsgi_request)] == [constants.SUCCESS]
    assert respondents(service_a) == 2
    assert sorted(r.answers["waktu"] for r in Response.objects.all()) == [3, 4]


def test_operator_row_for_another_agencys_service_reads_as_unknown_and_nothing_is_stored(
    client_for, operator_a, services
):
    client = english(client_for(operator_a))

    response = client.post(URL, {"file": csv_upload([HEADER, row(), row(service="B-NIB"), row(service="ZZZ")])})

    assert response.status_code == 200
    assert [error.row for error in response.context["errors"]] == [3, 4]
    assert "Row 3: kode_layanan: Unknown service code “B-NIB”." in response.text
    assert "Row 4: kode_layanan: Unknown service code “ZZZ”." in response.text
    assert "Nomor Induk Berusaha" not in response.text
    assert stored() == (0, 0)


def test_operator_b_cannot_enter_responses_for_agency_a(client_for, operator_b, services):
    client = client_for(operator_b)

    response = client.post(URL, {"file": csv_upload([HEADER, row(service="A-KTP")])})

    assert response.status_code == 200
    assert [error.row for error in response.context["errors"]] == [2]
    assert "A-KTP" in response.text
    assert stored() == (0, 0)


def test_bad_rows_are_all_listed_with_row_numbers_and_reasons_and_nothing_is_stored(client_for, super_admin, services):
    client = english(client_for(super_admin))

    response = client.post(
        URL,
        {
            "file": csv_upload(
                [
                    HEADER,
                    row(),
                    row(answer="0"),
                    row(age="14"),
                    row(education="sarjana"),
                    row(day="2999-01-01"),
                    row(day="31/12/2025"),
                ]
            )
        },
    )

    assert response.status_code == 200
    page = response.text
    assert "5 rows are wrong; nothing was imported." in page
    assert "Row 3: No element is answered." in page
    assert "Row 4: usia: Age must be between 15 and 100 years." in page
    assert "Row 5: pendidikan: “sarjana” is not one of:" in page
    assert "Row 6: tanggal: 2999-01-01 is in the future." in page
    assert "Row 7: tanggal: “31/12/2025” is not a date in the form YYYY-MM-DD." in page
    assert stored() == (0, 0)


def test_bad_rows_are_listed_in_indonesian_by_default(client_for, operator_a, services):
    client = client_for(operator_a)

    response = client.post(URL, {"file": csv_upload([HEADER, row(age="14")])})

    assert response.status_code == 200
    assert response["Content-Language"] == "id"
    assert "Baris 2: usia:" in response.text
    assert stored() == (0, 0)


def test_missing_column_is_reported_on_row_1(client_for, operator_a, services):
    client = english(client_for(operator_a))
    header = [c for c in HEADER if c != "maklumat"]

    response = client.post(URL, {"file": csv_upload([header, row()[:-1]])})

    assert response.status_code == 200
    assert [error.row for error in response.context["errors"]] == [1]
    assert "Row 1: Required columns are missing: maklumat." in response.text
    assert stored() == (0, 0)


def test_unknown_column_is_named_in_a_warning(client_for, operator_a, services):
    client = client_for(operator_a)

    response = client.post(URL, {"file": csv_upload([[*HEADER, "petugas"], [*row(), "Budi"]])})

    messages = list(get_messages(response.wsgi_request))
    assert [m.level for m in messages] == [constants.SUCCESS, constants.WARNING]
    assert "petugas" in messages[1].message
    assert Response.objects.count() == 1


@pytest.mark.parametrize("name", ["kertas.pdf", "kertas.xls", "kertas"])
def test_file_that_is_not_csv_or_xlsx_is_refused(client_for, operator_a, services, name):
    client = english(client_for(operator_a))
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([HEADER, row()])

    response = client.post(URL, {"file": SimpleUploadedFile(name, buffer.getvalue().encode())})

    assert response.status_code == 200
    assert "Upload a .csv or .xlsx file." in response.text
    assert stored() == (0, 0)


def test_file_over_5_mb_is_refused(client_for, operator_a, services):
    client = english(client_for(operator_a))
    good_row = (",".join(row()) + "\r\n").encode()
    data = (",".join(HEADER) + "\r\n").encode() + good_row * (5 * 1024 * 1024 // len(good_row) + 1)
    assert len(data) > 5 * 1024 * 1024

    response = client.post(URL, {"file": SimpleUploadedFile("kertas.csv", data, content_type="text/csv")})

    assert response.status_code == 200
    assert "The file is larger than 5 MB." in response.text
    assert stored() == (0, 0)


def test_posting_without_a_file_is_refused(client_for, operator_a, services):
    client = english(client_for(operator_a))

    response = client.post(URL, {"file": ""})

    assert response.status_code == 200
    assert "This field is required." in response.text
    assert stored() == (0, 0)


# --- The page and who may use it ---------------------------------------------------------------


def test_upload_page_lists_the_columns_of_the_current_questionnaire(client_for, operator_a, services):
    client = english(client_for(operator_a))

    response = client.get(URL)

    assert response.status_code == 200
    page = response.text
    for column in HEADER:
        assert f"<code>{column}</code>" in page
    assert "<code>tidak_sekolah</code>" in page
    assert "<code>wirausaha</code>" in page
    assert TEMPLATE_URL in page
    assert "Dinas Kependudukan dan Pencatatan Sipil" in page  # the operator's own agency


@pytest.mark.parametrize("role", ["evaluator", "leader"])
def test_evaluator_and_leader_may_not_upload(client_for, actors, services, role):
    client = client_for(actors[role])

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": csv_upload([HEADER, row()])}).status_code == 403
    assert client.get(TEMPLATE_URL).status_code == 403
    assert stored() == (0, 0)


def test_anonymous_visitor_is_sent_to_sign_in(client, services):
    response = client.post(URL, {"file": csv_upload([HEADER, row()])})

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert stored() == (0, 0)


# --- The template ------------------------------------------------------------------------------


def test_template_is_a_csv_download_with_the_exact_header_and_every_optional_column(client_for, operator_a, services):
    response = client_for(operator_a).get(TEMPLATE_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.decode() == ",".join([*HEADER, "versi", "nomor_formulir", "dibantu"]) + "\r\n"


def test_template_follows_the_current_questionnaire(client_for, super_admin, services):
    questionnaire_from_preset(preset="national", actor=None)

    response = client_for(super_admin).get(TEMPLATE_URL)

    header = response.content.decode().strip().split(",")
    assert header == [c for c in HEADER if c != "maklumat"] + ["versi", "nomor_formulir", "dibantu"]


def test_filled_in_template_uploads(client_for, operator_a, services):
    client = client_for(operator_a)
    header = client.get(TEMPLATE_URL).content.decode().strip().split(",")
    values = dict(zip(HEADER, row(saran="Petugas sigap"), strict=True)) | {
        "versi": "1",
        "nomor_formulir": "F-1",
        "dibantu": "ya",
    }

    response = client.post(URL, {"file": csv_upload([header, [values[c] for c in header]])})

    assert response.status_code == 302
    stored_response = Response.objects.get()
    assert (
        stored_response.suggestion,
        stored_response.questionnaire.version,
        stored_response.form_serial,
        stored_response.assisted,
    ) == ("Petugas sigap", 1, "F-1", True)


def test_filled_in_template_with_the_optional_columns_left_empty_uploads(client_for, operator_a, services):
    client = client_for(operator_a)
    header = client.get(TEMPLATE_URL).content.decode().strip().split(",")
    values = dict(zip(HEADER, row(), strict=True)) | {"versi": "", "nomor_formulir": "", "dibantu": ""}

    response = client.post(URL, {"file": csv_upload([header, [values[c] for c in header]])})

    assert response.status_code == 302
    stored_response = Response.objects.get()
    assert (stored_response.questionnaire.version, stored_response.form_serial, stored_response.assisted) == (
        1,
        None,
        False,
    )


def test_upload_page_explains_the_optional_columns(client_for, operator_a, services):
    page = english(client_for(operator_a)).get(URL).content.decode()

    for column in ("versi", "nomor_formulir", "dibantu"):
        assert f"<code>{column}</code>" in page
    assert "The questionnaire version printed on the form (optional; this one is version 1)." in page


def test_paper_upload_is_recorded_in_the_audit_log(client_for, operator_a, service_a, questionnaire):
    from auditlog.models import LogEntry

    codes = [e.code for e in questionnaire.elements.all()]
    header = "kode_layanan,tanggal,jenis_kelamin,usia,pendidikan,pekerjaan," + ",".join(codes)
    row = "A-KTP,2026-01-05,L,40,sma,swasta," + ",".join("4" for _ in codes)
    upload = SimpleUploadedFile("kertas.csv", f"{header}\n{row}\n{row}\n".encode())
    client_for(operator_a).post(reverse("paper:upload"), {"file": upload})
    entry = LogEntry.objects.get_for_object(service_a).latest("timestamp")
    assert entry.actor == operator_a
    assert entry.changes_dict["paper_responses"] == ["", "2"]


def test_without_a_questionnaire_in_use_the_paper_pages_explain_instead_of_failing(client_for, super_admin, services):
    from surveys.models import Questionnaire

    Questionnaire.objects.update(is_current=False)
    client = english(client_for(super_admin))
    for url in (reverse("paper:upload"), reverse("paper:template")):
        response = client.get(url)
        assert response.status_code == 302 and response.url == reverse("questionnaire:list"), url
        assert "No questionnaire is in use, so paper surveys cannot be entered yet." in [
            str(m) for m in get_messages(response.wsgi_request)
        ]
    response = client.post(reverse("paper:upload"), {"file": csv_upload([row()])})
    assert response.status_code == 302
    assert stored() == (0, 0)
