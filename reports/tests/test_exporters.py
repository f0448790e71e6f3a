"""Exporters and their CSV and XLSX renderings: the files parse back with the right columns and
rows, text a spreadsheet would run as a formula stays text, hidden suggestions stay hidden,
and the per-element recap carries the same numbers as the results pages."""

import csv
import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation

from conftest import GOOD_PROFILE
from reports.exporters import (
    ElementRecapExporter,
    ResponsesExporter,
    csv_chunks,
    neutralise,
    xlsx_response,
    xlsx_write,
)
from surveys.index import round_half_up
from surveys.selectors import Scope, results
from surveys.services import questionnaire_create_version, response_submit, suggestion_set_hidden

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 10)
S1 = (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
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
FIXED = [
    "id",
    "tanggal",
    "waktu_isi",
    "kode_opd",
    "kode_layanan",
    "nama_layanan",
    "kanal",
    "dibantu",
    "versi_kuesioner",
    "jenis_kelamin",
    "usia",
    "pendidikan",
    "pekerjaan",
]
DANGEROUS = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)"]


def csv_rows(exporter):
    text = b"".join(csv_chunks(exporter)).decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_sheet(exporter):
    buffer = io.BytesIO()
    xlsx_write(exporter, buffer)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer).active, buffer


def responses(scope=None, period=S1):
    return ResponsesExporter(scope or Scope(), *period)


def test_responses_csv_has_one_row_per_response_with_profile_and_answers(submit, service_a, questionnaire):
    answers = dict(zip(OKI_CODES, [4, 3, 2, 1, 4, 3, 2, 1, 4, 3], strict=True))
    stored = submit(service_a, answers=answers, day=DAY, suggestion="Antrean terlalu panjang", age=41, gender="L")

    header, *rows = csv_rows(responses())

    assert header == [*FIXED, *OKI_CODES, "saran"]
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["id"] == str(stored.pk)
    assert row["tanggal"] == "2026-03-10"
    assert row["kode_opd"] == "OPD-A"
    assert row["kode_layanan"] == "A-KTP"
    assert row["nama_layanan"] == "Penerbitan KTP-el"
    assert row["kanal"] == "web"
    assert row["dibantu"] == "tidak"
    assert row["versi_kuesioner"] == str(questionnaire.version)
    assert (row["jenis_kelamin"], row["usia"], row["pendidikan"], row["pekerjaan"]) == ("L", "41", "sma", "wirausaha")
    assert [row[code] for code in OKI_CODES] == ["4", "3", "2", "1", "4", "3", "2", "1", "4", "3"]
    assert row["saran"] == "Antrean terlalu panjang"


def test_responses_export_says_which_respondents_staff_helped(service_a, questionnaire):
    answers = dict.fromkeys(OKI_CODES, 4)
    helped = response_submit(
        service=service_a, answers=answers, profile=GOOD_PROFILE, channel="web", day=DAY, assisted=True
    )
    alone = response_submit(service=service_a, answers=answers, profile=GOOD_PROFILE, channel="web", day=DAY)

    header, *rows = csv_rows(responses())
    sheet, _buffer = xlsx_sheet(responses())

    by_id = {row[0]: row[header.index("dibantu")] for row in rows}
    assert by_id == {str(helped.pk): "ya", str(alone.pk): "tidak"}
    xlsx_header = [cell.value for cell in sheet[1]]
    xlsx_rows = {row[0]: row[xlsx_header.index("dibantu")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert xlsx_rows == {helped.pk: "ya", alone.pk: "tidak"}


def test_submission_time_is_written_in_jakarta_time(submit, service_a):
    stored = submit(service_a, day=DAY)
    header, row = csv_rows(responses())
    written = datetime.datetime.fromisoformat(row[header.index("waktu_isi")])
    assert written.utcoffset() == datetime.timedelta(hours=7)
    assert written == stored.submitted_at.replace(microsecond=0)


def test_responses_xlsx_parses_back_with_the_same_header_and_rows(submit, service_a, service_b):
    first = submit(service_a, answers=3, day=DAY, suggestion="Bagus")
    second = submit(service_b, answers=2, day=DAY + datetime.timedelta(days=1))

    sheet, _buffer = xlsx_sheet(responses())
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]

    assert header == [*FIXED, *OKI_CODES, "saran"]
    assert [row[0] for row in rows] == [first.pk, second.pk]
    assert rows[0][1] == datetime.datetime(2026, 3, 10)  # a real date cell, not text
    assert [row[header.index("kode_layanan")] for row in rows] == ["A-KTP", "B-NIB"]
    assert rows[0][header.index("persyaratan")] == 3  # answers are numbers
    assert rows[1][header.index("usia")] == 34
    assert rows[0][-1] == "Bagus"
    assert rows[1][-1] is None  # an empty suggestion is an empty cell


def test_responses_follow_the_scope_and_the_period(submit, service_a, service_b):
    inside = submit(service_a, day=DAY)
    submit(service_b, day=DAY)
    submit(service_a, day=datetime.date(2026, 7, 1))  # semester II

    _header, *rows = csv_rows(responses(Scope(agency=service_a.agency)))

    assert [row[0] for row in rows] == [str(inside.pk)]


@pytest.mark.parametrize("text", DANGEROUS)
def test_csv_cells_a_spreadsheet_would_run_as_formulas_start_with_an_apostrophe(text, submit, service_a):
    submit(service_a, day=DAY, suggestion=text)
    header, row = csv_rows(responses())
    assert row[-1] == "'" + text
    assert row[header.index("usia")] == "34"  # numbers are left alone


@pytest.mark.parametrize("text", DANGEROUS)
def test_xlsx_cells_a_spreadsheet_would_run_as_formulas_stay_text(text, submit, service_a):
    submit(service_a, day=DAY, suggestion=text)
    sheet, buffer = xlsx_sheet(responses())
    cell = sheet.cell(row=2, column=sheet.max_column)
    assert cell.value == "'" + text
    assert cell.data_type == "s"
    with zipfile.ZipFile(buffer) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_neutralise_quotes_tab_and_carriage_return_starts_and_leaves_numbers_alone():
    assert neutralise("\t=1+1") == "'\t=1+1"
    assert neutralise("\r=1+1") == "'\r=1+1"
    assert neutralise("Pelayanan ramah - terima kasih") == "Pelayanan ramah - terima kasih"
    assert neutralise(-2) == -2
    assert neutralise(Decimal("-1.5")) == Decimal("-1.5")
    assert neutralise(None) is None


def test_xlsx_keeps_error_lookalikes_as_text_and_drops_control_characters(submit, service_a, service_b):
    submit(service_a, day=DAY, suggestion="#N/A")
    submit(service_b, day=DAY, suggestion="Ruang tunggu\x0bpanas")
    sheet, _buffer = xlsx_sheet(responses())
    first, second = sheet.cell(row=2, column=sheet.max_column), sheet.cell(row=3, column=sheet.max_column)
    assert (first.value, first.data_type) == ("#N/A", "s")
    assert second.value == "Ruang tunggupanas"


def test_hidden_suggestions_are_blank_in_both_formats(submit, service_a, super_admin):
    stored = submit(service_a, day=DAY, suggestion="Petugasnya bodoh semua")
    suggestion_set_hidden(response=stored, hidden=True, actor=super_admin)

    _header, row = csv_rows(responses())
    assert row[-1] == ""
    sheet, _buffer = xlsx_sheet(responses())
    assert sheet.cell(row=2, column=sheet.max_column).value is None
    assert "bodoh" not in b"".join(csv_chunks(responses())).decode()


def test_element_columns_are_the_union_of_the_versions_answered_in_the_period(submit, service_a, questionnaire):
    submit(service_a, day=DAY)
    elements = [
        {
            "code": code,
            "name_id": code.capitalize(),
            "name_en": code.capitalize(),
            "question_id": f"Pertanyaan {code}",
            "question_en": f"Question {code}",
            "labels_id": ["1", "2", "3", "4"],
            "labels_en": ["1", "2", "3", "4"],
        }
        for code in ["persyaratan", "kebersihan"]
    ]
    newer = questionnaire_create_version(name="Versi uji", elements=elements, actor=None)
    response_submit(
        service=service_a,
        answers={"persyaratan": 2, "kebersihan": 1},
        profile={"gender": "L", "age": 50, "education": "s1", "occupation": "pns"},
        channel="web",
        suggestion="",
        day=DAY,
    )

    header, older_row, newer_row = csv_rows(responses())

    assert header == [*FIXED, "persyaratan", "kebersihan", *OKI_CODES[1:], "saran"]
    old, new = dict(zip(header, older_row, strict=True)), dict(zip(header, newer_row, strict=True))
    assert (old["versi_kuesioner"], old["kebersihan"], old["waktu"]) == (str(questionnaire.version), "", "4")
    assert (new["versi_kuesioner"], new["kebersihan"], new["waktu"]) == (str(newer.version), "1", "")


def test_an_empty_period_exports_the_header_of_the_current_questionnaire(questionnaire, service_a):
    assert csv_rows(responses()) == [[*FIXED, *OKI_CODES, "saran"]]


def test_reading_the_rows_takes_the_same_few_queries_for_any_number_of_responses(
    submit, service_a, service_b, django_assert_max_num_queries
):
    for number in range(30):
        submit(service_a if number % 2 else service_b, day=DAY, suggestion=f"saran {number}")
    exporter = responses()
    with django_assert_max_num_queries(6):
        rows = list(exporter.rows())
    assert len(rows) == 30


def test_element_recap_carries_the_numbers_of_the_results_selector(submit, service_a, service_b):
    submit(service_a, answers=4, day=DAY)
    submit(service_a, answers=dict(zip(OKI_CODES, [3, 2, 4, 1, 3, 3, 4, 2, 1, 3], strict=True)), day=DAY)
    submit(service_b, answers=1, day=DAY)
    scope = Scope(agency=service_a.agency)
    expected = results(scope=scope, start=S1[0], end=S1[1]).index

    with translation.override("en"):
        header, *rows = csv_rows(ElementRecapExporter(scope, *S1))

    assert header == ["kode_unsur", "pertanyaan", "jumlah_responden", "total_nilai", "nrr", "nilai", "mutu"]
    assert [row[0] for row in rows] == [*OKI_CODES, "IKM_NASIONAL", "IKM"]
    for element, row in zip(expected.elements, rows, strict=False):
        assert row[0] == element.code
        assert row[2:] == [
            str(element.responses),
            str(element.total),
            str(round_half_up(element.nrr, 4)),
            str(element.score),
            element.grade,
        ]
    assert rows[0][1] == "How well do the requirements fit the service?"  # the question, in the reader's language
    assert rows[-1] == [
        "IKM",
        "Community satisfaction index (IKM)",
        "2",
        "",
        str(round_half_up(expected.index, 4)),
        str(expected.score),
        expected.grade,
    ]
    assert rows[-2][4:] == [
        str(round_half_up(expected.national.index, 4)),
        str(expected.national.score),
        expected.national.grade,
    ]


def test_element_recap_xlsx_holds_numbers_not_text(submit, service_a):
    submit(service_a, answers=3, day=DAY)
    sheet, _buffer = xlsx_sheet(ElementRecapExporter(Scope(), *S1))
    last = [cell.value for cell in sheet[sheet.max_row]]
    assert last == ["IKM", last[1], 1, None, 3, 75, "C"]
    assert all(isinstance(value, int | float) for value in last[2:3] + last[4:6])
    assert sheet.title  # a named sheet, not openpyxl's default


def test_element_recap_of_a_period_without_responses_has_empty_numbers(questionnaire):
    _header, *rows = csv_rows(ElementRecapExporter(Scope(), *S1))
    assert rows[-1][0] == "IKM"
    assert rows[-1][2:] == ["0", "", "", "", ""]


def test_xlsx_response_sends_a_finished_workbook_as_an_attachment(submit, service_a):
    submit(service_a, day=DAY)
    response = xlsx_response(responses(), "respons-OPD-A-2026-S1.xlsx")
    body = b"".join(response.streaming_content)
    assert response["Content-Disposition"] == 'attachment; filename="respons-OPD-A-2026-S1.xlsx"'
    assert int(response["Content-Length"]) == len(body)
    assert openpyxl.load_workbook(io.BytesIO(body)).active.max_row == 2
