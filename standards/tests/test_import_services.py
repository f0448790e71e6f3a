"""`manage.py import_services FILE`: the service catalog file of DESIGN.md, all rows or none.

Error messages are Indonesian by default and the catalogue may change their wording, so the
bad-file tests look at what survives translation: the row number each message starts with, the
column names, the codes. English wording is asserted only under ``override("en")``.
"""

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import override
from openpyxl import Workbook

from agencies.models import Agency, AgencyKind
from standards.models import Service

REQUIRED = ["kode_opd", "nama_opd", "kode_layanan", "nama_layanan"]
COMPONENTS = [
    "persyaratan",
    "prosedur",
    "waktu",
    "biaya",
    "produk",
    "pengaduan",
    "dasar_hukum",
    "sarana",
    "kompetensi",
    "pengawasan",
    "jumlah_pelaksana",
    "jaminan_pelayanan",
    "jaminan_keamanan",
    "evaluasi",
]
FULL_HEADER = [*REQUIRED, *COMPONENTS, "tautan_online"]

# The service standard components as the model names them, for the column of the same position.
COMPONENT_FIELDS = {
    "persyaratan": "requirements",
    "prosedur": "procedure",
    "waktu": "duration",
    "biaya": "cost",
    "produk": "product",
    "pengaduan": "complaints",
    "dasar_hukum": "legal_basis",
    "sarana": "facilities",
    "kompetensi": "competence",
    "pengawasan": "supervision",
    "jumlah_pelaksana": "staff_count",
    "jaminan_pelayanan": "service_guarantee",
    "jaminan_keamanan": "safety_guarantee",
    "evaluasi": "performance_evaluation",
}

KECAMATAN_OKI = [
    "Kota Kayu Agung",
    "Lempuing",
    "Lempuing Jaya",
    "Mesuji",
    "Mesuji Makmur",
    "Mesuji Raya",
    "Tulung Selapan",
    "Cengal",
    "Sungai Menang",
    "Air Sugihan",
    "Pedamaran",
    "Pedamaran Timur",
    "Tanjung Lubuk",
    "Teluk Gelam",
    "Pampangan",
    "Pangkalan Lampam",
    "Sirah Pulau Padang",
    "Jejawi",
]
DEMO_CATALOG = Path(settings.BASE_DIR) / "demo" / "data" / "katalog_oki.csv"


def full_row(kode_opd, nama_opd, kode_layanan, nama_layanan, url=""):
    """A catalog row with every standard component filled in, distinct per service."""
    return [
        kode_opd,
        nama_opd,
        kode_layanan,
        nama_layanan,
        *(f"{column} {kode_layanan}" for column in COMPONENTS),
        url,
    ]


def write_csv(path: Path, rows, *, delimiter=",", encoding="utf-8") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def run_import(path: Path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_services", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_bad_import(path: Path) -> tuple[str, str]:
    """Import a file that must be refused; return the command's error and the reported lines."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_services", str(path), stdout=out, stderr=err)
    return str(refused.value), err.getvalue()


def reported_rows(stderr: str) -> list[int]:
    """The row number each reported line starts with ("Row 3: …", "Baris 3: …")."""
    rows = []
    for line in stderr.splitlines():
        if line.strip():
            match = re.search(r"\d+", line)
            assert match, f"no row number in {line!r}"
            rows.append(int(match.group()))
    return rows


def line_for_row(stderr: str, row: int) -> str:
    lines = [line for line in stderr.splitlines() if reported_rows(line) == [row]]
    assert lines, f"row {row} is not reported in {stderr!r}"
    return "\n".join(lines)


def stored() -> tuple[int, int, int]:
    return Agency.objects.count(), Service.objects.count(), LogEntry.objects.count()


# --- Good files -------------------------------------------------------------------------------


def test_good_csv_creates_agencies_with_kind_from_name_and_services_with_all_components(db, tmp_path):
    path = write_csv(
        tmp_path / "katalog.csv",
        [
            FULL_HEADER,
            full_row("KEC-JEJAWI", "Kecamatan Jejawi", "JEJ-IMB", "Surat Keterangan Domisili"),
            full_row("RSUD-KAG", "RSUD Kayuagung", "RSUD-RJ", "Rawat Jalan", "https://rsud.okikab.go.id/daftar"),
            full_row("PKM-KAG", "Puskesmas Kayuagung", "PKM-KIA", "Pemeriksaan Ibu Hamil"),
            full_row("BAPENDA", "Badan Pendapatan Daerah", "BPD-PBB", "Pembayaran PBB-P2"),
            full_row("DINSOS", "Dinas Sosial", "SOS-DTKS", "Pendaftaran DTKS"),
            full_row("DINSOS", "Dinas Sosial", "SOS-PBI", "Usulan PBI JK"),
        ],
    )

    out, err = run_import(path)

    kinds = dict(Agency.objects.values_list("code", "kind"))
    assert kinds == {
        "KEC-JEJAWI": AgencyKind.KECAMATAN,
        "RSUD-KAG": AgencyKind.RSUD,
        "PKM-KAG": AgencyKind.PUSKESMAS,
        "BAPENDA": AgencyKind.BADAN,
        "DINSOS": AgencyKind.DINAS,
    }
    assert Agency.objects.get(code="KEC-JEJAWI").name == "Kecamatan Jejawi"
    assert Service.objects.count() == 6
    rawat_jalan = Service.objects.get(code="RSUD-RJ")
    assert rawat_jalan.name == "Rawat Jalan"
    assert rawat_jalan.agency.code == "RSUD-KAG"
    assert rawat_jalan.online_url == "https://rsud.okikab.go.id/daftar"
    for column, field_name in COMPONENT_FIELDS.items():
        assert getattr(rawat_jalan, field_name) == f"{column} RSUD-RJ", column
    assert set(Service.objects.filter(agency__code="DINSOS").values_list("code", flat=True)) == {
        "SOS-DTKS",
        "SOS-PBI",
    }
    assert err == ""
    assert re.findall(r"\d+", out) == ["5", "6", "0"]


def test_import_summary_reads_in_english_when_english_is_active(db, tmp_path):
    path = write_csv(tmp_path / "katalog.csv", [REQUIRED, ["DINSOS", "Dinas Sosial", "SOS-DTKS", "Pendaftaran DTKS"]])

    with override("en"):
        out, _err = run_import(path)

    assert "1 new agency, 1 new service, 0 services updated" in out


def test_imported_services_are_in_the_audit_log(db, tmp_path):
    path = write_csv(tmp_path / "katalog.csv", [REQUIRED, ["DINSOS", "Dinas Sosial", "SOS-DTKS", "Pendaftaran DTKS"]])

    run_import(path)

    service = Service.objects.get(code="SOS-DTKS")
    assert LogEntry.objects.get_for_object(service).filter(action=LogEntry.Action.CREATE).exists()


def test_second_import_updates_the_service_only_in_the_columns_present_and_does_not_duplicate(db, tmp_path):
    run_import(
        write_csv(
            tmp_path / "first.csv",
            [
                FULL_HEADER,
                full_row("DINSOS", "Dinas Sosial", "SOS-DTKS", "Pendaftaran DTKS", "https://dtks.example.id"),
            ],
        )
    )
    before = Service.objects.get(code="SOS-DTKS")

    out, _err = run_import(
        write_csv(
            tmp_path / "second.csv",
            [
                [*REQUIRED, "biaya", "waktu"],
                ["DINSOS", "Dinas Sosial", "SOS-DTKS", "Pendaftaran DTKS Baru", "Gratis", "3 hari kerja"],
            ],
        )
    )

    assert Service.objects.count() == 1
    assert Agency.objects.count() == 1
    after = Service.objects.get(code="SOS-DTKS")
    assert after.pk == before.pk
    assert after.name == "Pendaftaran DTKS Baru"
    assert after.cost == "Gratis"
    assert after.duration == "3 hari kerja"
    # Columns not in the second file keep what the first file gave them.
    assert after.requirements == "persyaratan SOS-DTKS"
    assert after.procedure == "prosedur SOS-DTKS"
    assert after.performance_evaluation == "evaluasi SOS-DTKS"
    assert after.online_url == "https://dtks.example.id"
    assert re.findall(r"\d+", out) == ["0", "0", "1"]


def test_an_existing_agency_code_gets_the_new_services_without_a_new_agency(db, agency_a, tmp_path):
    out, _err = run_import(
        write_csv(tmp_path / "katalog.csv", [REQUIRED, ["OPD-A", "Disdukcapil", "A-KK", "Kartu Keluarga"]])
    )

    assert Agency.objects.count() == 1
    assert Service.objects.get(code="A-KK").agency == agency_a
    assert re.findall(r"\d+", out) == ["0", "1", "0"]


def test_an_empty_optional_cell_on_update_clears_that_component(db, service_a, tmp_path):
    run_import(
        write_csv(
            tmp_path / "katalog.csv", [[*REQUIRED, "biaya"], ["OPD-A", service_a.agency.name, "A-KTP", "KTP-el", ""]]
        )
    )

    service_a.refresh_from_db()
    assert service_a.cost == ""
    assert service_a.product == "KTP-el"  # not in the file: unchanged


def test_semicolon_separated_csv_is_read(db, tmp_path):
    path = write_csv(
        tmp_path / "katalog.csv",
        [
            [*REQUIRED, "biaya"],
            ["DISNAKER", "Dinas Tenaga Kerja", "NAKER-AK1", "Kartu Pencari Kerja (AK/1)", "Gratis, tanpa pungutan"],
        ],
        delimiter=";",
    )

    run_import(path)

    service = Service.objects.get(code="NAKER-AK1")
    assert service.name == "Kartu Pencari Kerja (AK/1)"
    assert service.cost == "Gratis, tanpa pungutan"
    assert service.agency.name == "Dinas Tenaga Kerja"


def test_csv_with_utf8_byte_order_mark_is_read(db, tmp_path):
    path = write_csv(
        tmp_path / "katalog.csv",
        [REQUIRED, ["KEC-CENGAL", "Kecamatan Cengal", "CGL-SKTM", "Surat Keterangan Tidak Mampu — Cengal"]],
        encoding="utf-8-sig",
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    run_import(path)

    service = Service.objects.get(code="CGL-SKTM")
    assert service.name == "Surat Keterangan Tidak Mampu — Cengal"
    assert service.agency.kind == AgencyKind.KECAMATAN


def test_header_names_are_matched_ignoring_case_and_spaces(db, tmp_path):
    path = write_csv(
        tmp_path / "katalog.csv",
        [
            [" Kode_OPD", "NAMA_OPD ", "Kode_Layanan", "Nama_Layanan", "Biaya"],
            ["DISHUB", "Dinas Perhubungan", "HUB-KIR", "Uji KIR", "Rp50.000"],
        ],
    )

    run_import(path)

    assert Service.objects.get(code="HUB-KIR").cost == "Rp50.000"


def test_unknown_columns_are_ignored_and_named(db, tmp_path):
    path = write_csv(
        tmp_path / "katalog.csv",
        [[*REQUIRED, "catatan"], ["DISHUB", "Dinas Perhubungan", "HUB-KIR", "Uji KIR", "hanya untuk internal"]],
    )

    _out, err = run_import(path)

    assert Service.objects.filter(code="HUB-KIR").exists()
    assert "catatan" in err


def test_xlsx_is_read_including_numeric_cells(db, tmp_path):
    path = write_xlsx(
        tmp_path / "katalog.xlsx",
        [
            [*REQUIRED, "biaya", "jumlah_pelaksana", "waktu", "tautan_online"],
            [
                "DPMPTSP",
                "Dinas Penanaman Modal dan PTSP",
                "PTSP-NIB",
                "Nomor Induk Berusaha",
                0,
                5,
                2.5,
                "https://oss.go.id",
            ],
            [7, "Kecamatan Mesuji", 101, "Legalisir Surat", 15000.0, 3, 1, None],
        ],
    )

    run_import(path)

    nib = Service.objects.get(code="PTSP-NIB")
    assert nib.cost == "0"
    assert nib.staff_count == "5"
    assert nib.duration == "2.5"
    assert nib.online_url == "https://oss.go.id"
    legalisir = Service.objects.get(code="101")
    assert legalisir.agency.code == "7"
    assert legalisir.agency.kind == AgencyKind.KECAMATAN
    assert legalisir.cost == "15000"
    assert legalisir.staff_count == "3"
    assert legalisir.online_url == ""


# --- Bad files: every bad row reported with its row number and reason; nothing stored -----------


def test_missing_required_column_is_reported_on_row_1_and_nothing_is_stored(db, tmp_path):
    path = write_csv(
        tmp_path / "katalog.csv",
        [["kode_opd", "kode_layanan", "nama_layanan"], ["DINSOS", "SOS-DTKS", "Pendaftaran DTKS"]],
    )
    before = stored()

    _error, lines = run_bad_import(path)

    assert reported_rows(lines) == [1]
    assert "nama_opd" in lines
    assert stored() == before


def test_row_errors_are_in_indonesian_unless_english_is_active(db, tmp_path):
    path = write_csv(
        tmp_path / "katalog.csv",
        [
            REQUIRED,
            ["DINSOS", "Dinas Sosial", "SOS DTKS", "Pendaftaran DTKS"],
            ["DINSOS", "Dinas Sosial", "SOS-PBI", ""],
        ],
    )

    _error, default_lines = run_bad_import(path)
    with override("en"):
        _error, english_lines = run_bad_import(path)

    assert reported_rows(default_lines) == reported_rows(english_lines) == [2, 3]
    assert english_lines.startswith("Row 2:")
    assert not default_lines.startswith("Row 2:")


def test_missing_required_column_message_in_english(db, tmp_path):
    path = write_csv(tmp_path / "katalog.csv", [["kode_opd", "nama_opd"], ["DINSOS", "Dinas Sosial"]])

    with override("en"):
        error, lines = run_bad_import(path)

    assert "Row 1: Required columns are missing: kode_layanan, nama_layanan." in lines
    assert "1 bad row; nothing was imported." in error


def test_empty_required_cell_is_reported_with_its_row_and_column(db, tmp_path):
    path = write_csv(
        tmp_path / "katalog.csv",
        [
            REQUIRED,
            ["DINSOS", "Dinas Sosial", "SOS-DTKS", "Pendaftaran DTKS"],
            ["DINSOS", "Dinas Sosial", "SOS-PBI", ""],
        ],
    )
    before = stored()

    _error, lines = run_bad_import(path)

    assert reported_rows(lines) == [3]
    assert "nama_layanan" in lines
    assert stored() == before
    assert not Service.objects.filter(code="SOS-DTKS").exists()  # the good row is not stored either


def test_bad_characters_in_codes_are_reported(db, tmp_path):
    path = write_csv(
        tmp_path / "katalog.csv",
        [
            REQUIRED,
            ["DINSOS", "Dinas Sosial", "SOS DTKS", "Pendaftaran DTKS"],
            ["DIN/SOS", "Dinas Sosial", "SOS-PBI", "Usulan PBI JK"],
        ],
    )
    before = stored()

    _error, lines = run_bad_import(path)

    assert reported_rows(lines) == [2, 3]
    assert "kode_layanan" in line_for_row(lines, 2)
    assert "SOS DTKS" in line_for_row(lines, 2)
    assert "kode_opd" in line_for_row(lines, 3)
    assert "DIN/SOS" in line_for_row(lines, 3)
    assert stored() == before


def test_duplicate_service_code_in_the_file_names_the_earlier_row(db, tmp_path):
    path = write_csv(
        tmp_path / "katalog.csv",
        [
            REQUIRED,
            ["DINSOS", "Dinas Sosial", "SOS-DTKS", "Pendaftaran DTKS"],
            ["DINSOS", "Dinas Sosial", "SOS-PBI", "Usulan PBI JK"],
            ["DINSOS", "Dinas Sosial", "SOS-DTKS", "Pendaftaran DTKS lagi"],
        ],
    )
    before = stored()

    with override("en"):
        _error, lines = run_bad_import(path)

    assert lines.strip() == "Row 4: Service code “SOS-DTKS” also appears on row 2."
    assert stored() == before


def test_invalid_online_link_is_reported(db, tmp_path):
    path = write_csv(
        tmp_path / "katalog.csv",
        [
            [*REQUIRED, "tautan_online"],
            ["DINSOS", "Dinas Sosial", "SOS-DTKS", "Pendaftaran DTKS", "https://dtks.kemensos.go.id"],
            ["DINSOS", "Dinas Sosial", "SOS-PBI", "Usulan PBI JK", "dtks.kemensos.go.id"],
            ["DINSOS", "Dinas Sosial", "SOS-KIS", "Kartu Indonesia Sehat", "javascript:alert(1)"],
        ],
    )
    before = stored()

    _error, lines = run_bad_import(path)

    assert reported_rows(lines) == [3, 4]
    assert "tautan_online" in line_for_row(lines, 3)
    assert "dtks.kemensos.go.id" in line_for_row(lines, 3)
    assert "tautan_online" in line_for_row(lines, 4)
    assert stored() == before


def test_online_link_longer_than_the_database_column_is_reported(db, tmp_path):
    long_url = "https://layanan.okikab.go.id/" + "a" * 200
    path = write_csv(
        tmp_path / "katalog.csv",
        [[*REQUIRED, "tautan_online"], ["DINSOS", "Dinas Sosial", "SOS-DTKS", "Pendaftaran DTKS", long_url]],
    )
    before = stored()

    _error, lines = run_bad_import(path)

    assert reported_rows(lines) == [2]
    assert "tautan_online" in lines
    assert stored() == before


def test_service_code_of_another_agency_is_refused_and_left_unchanged(db, service_b, tmp_path):
    path = write_csv(
        tmp_path / "katalog.csv",
        [REQUIRED, ["DINSOS", "Dinas Sosial", "B-NIB", "NIB diambil alih"]],
    )
    before = stored()

    with override("en"):
        _error, lines = run_bad_import(path)

    assert lines.strip() == "Row 2: Service code “B-NIB” already belongs to agency “OPD-B”."
    assert stored() == before
    service_b.refresh_from_db()
    assert service_b.name == "Nomor Induk Berusaha"
    assert service_b.agency.code == "OPD-B"


def test_new_agency_code_with_two_names_is_refused(db, tmp_path):
    path = write_csv(
        tmp_path / "katalog.csv",
        [
            REQUIRED,
            ["DINKES", "Dinas Kesehatan", "KES-SKS", "Surat Keterangan Sehat"],
            ["DINKES", "Dinas Kesehatan Kabupaten", "KES-PIRT", "Sertifikat PIRT"],
        ],
    )
    before = stored()

    _error, lines = run_bad_import(path)

    assert reported_rows(lines) == [3]
    assert "DINKES" in lines
    assert re.findall(r"\d+", line_for_row(lines, 3)) == ["3", "2"]  # names the row of the first name
    assert stored() == before


def test_non_utf8_csv_is_refused_on_row_1(db, tmp_path):
    path = write_csv(
        tmp_path / "katalog.csv",
        [REQUIRED, ["KEC-PAMPANGAN", "Kecamatan Pampangan", "PMP-SKU", "Surat Keterangan Usaha – café"]],
        encoding="cp1252",
    )
    before = stored()

    _error, lines = run_bad_import(path)

    assert reported_rows(lines) == [1]
    assert "UTF-8" in lines
    assert stored() == before


def test_latin1_csv_message_in_english_tells_how_to_save_it(db, tmp_path):
    path = tmp_path / "katalog.csv"
    path.write_bytes("kode_opd,nama_opd,kode_layanan,nama_layanan\nX,Caf\xe9,X-1,Layanan\n".encode("latin-1"))

    with override("en"):
        _error, lines = run_bad_import(path)

    assert "Row 1:" in lines
    assert "not UTF-8" in lines


def test_file_named_xlsx_that_is_not_a_workbook_is_refused(db, tmp_path):
    path = tmp_path / "katalog.xlsx"
    path.write_text("kode_opd,nama_opd,kode_layanan,nama_layanan\nDINSOS,Dinas Sosial,SOS-DTKS,DTKS\n")
    before = stored()

    _error, lines = run_bad_import(path)

    assert reported_rows(lines) == [1]
    assert "XLSX" in lines
    assert stored() == before


def test_empty_file_is_refused(db, tmp_path):
    path = tmp_path / "katalog.csv"
    path.write_bytes(b"")
    before = stored()

    with override("en"):
        _error, lines = run_bad_import(path)

    assert lines.strip() == "Row 1: The file is empty."
    assert stored() == before


def test_empty_xlsx_sheet_is_refused(db, tmp_path):
    path = write_xlsx(tmp_path / "katalog.xlsx", [])
    before = stored()

    _error, lines = run_bad_import(path)

    assert reported_rows(lines) == [1]
    assert stored() == before


def test_header_only_file_is_refused(db, tmp_path):
    path = write_csv(tmp_path / "katalog.csv", [FULL_HEADER])
    before = stored()

    with override("en"):
        error, lines = run_bad_import(path)

    assert lines.strip() == "Row 2: The file has a header but no rows."
    assert "nothing was imported" in error
    assert stored() == before


def test_missing_file_is_refused(db, tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command("import_services", str(tmp_path / "tidak-ada.csv"))

    assert "tidak-ada.csv" in str(refused.value)


def test_bad_rows_are_all_reported_and_nothing_is_stored(db, service_b, tmp_path):
    path = write_csv(
        tmp_path / "katalog.csv",
        [
            [*REQUIRED, "tautan_online"],
            ["DINSOS", "Dinas Sosial", "SOS-DTKS", "Pendaftaran DTKS", ""],  # 2: good
            ["", "Dinas Sosial", "SOS-PBI", "Usulan PBI JK", ""],  # 3: empty kode_opd
            ["DINSOS", "Dinas Sosial", "SOS DTKS", "Pendaftaran DTKS", ""],  # 4: bad code
            ["DINSOS", "Dinas Sosial", "SOS-DTKS", "Pendaftaran DTKS", ""],  # 5: duplicate of row 2
            ["DINSOS", "Dinas Sosial", "SOS-KIS", "Kartu Indonesia Sehat", "ftp://kis.example"],  # 6: link
            ["DINSOS", "Dinas Sosial", "B-NIB", "NIB", ""],  # 7: another agency's service
            ["DINSOS", "Dinas Sosial Kabupaten", "SOS-RTLH", "Bedah Rumah", ""],  # 8: second name
            ["DINSOS", "Dinas Sosial", "SOS-LU", "Layanan Lansia", ""],  # 9: good
        ],
    )
    before = stored()

    error, lines = run_bad_import(path)

    assert reported_rows(lines) == [3, 4, 5, 6, 7, 8]
    assert "kode_opd" in line_for_row(lines, 3)
    assert "kode_layanan" in line_for_row(lines, 4)
    assert "SOS-DTKS" in line_for_row(lines, 5)
    assert "tautan_online" in line_for_row(lines, 6)
    assert "OPD-B" in line_for_row(lines, 7)
    assert "DINSOS" in line_for_row(lines, 8)
    assert re.findall(r"\d+", error) == ["6"]
    assert stored() == before


def test_one_row_with_several_problems_reports_each(db, tmp_path):
    path = write_csv(
        tmp_path / "katalog.csv",
        [[*REQUIRED, "tautan_online"], ["DIN SOS", "", "SOS-DTKS", "Pendaftaran DTKS", "bukan tautan"]],
    )
    before = stored()

    _error, lines = run_bad_import(path)

    assert reported_rows(lines) == [2, 2, 2]
    assert "nama_opd" in lines
    assert "kode_opd" in lines
    assert "tautan_online" in lines
    assert stored() == before


def test_row_numbers_count_blank_lines_in_csv(db, tmp_path):
    path = tmp_path / "katalog.csv"
    path.write_text(
        "kode_opd,nama_opd,kode_layanan,nama_layanan\n"
        "DINSOS,Dinas Sosial,SOS-DTKS,Pendaftaran DTKS\n"
        "\n"
        "DINSOS,Dinas Sosial,SOS-PBI,\n",
        encoding="utf-8",
    )

    _error, lines = run_bad_import(path)

    assert reported_rows(lines) == [4]


def test_row_numbers_count_multiline_cells_as_one_row(db, tmp_path):
    path = write_csv(
        tmp_path / "katalog.csv",
        [
            [*REQUIRED, "persyaratan"],
            ["DINSOS", "Dinas Sosial", "SOS-DTKS", "Pendaftaran DTKS", "KTP\nKartu Keluarga\nSurat RT"],
            ["DINSOS", "Dinas Sosial", "SOS-PBI", "", ""],
        ],
    )

    _error, lines = run_bad_import(path)

    assert reported_rows(lines) == [3]


def test_xlsx_bad_rows_are_reported_with_the_row_numbers_the_spreadsheet_shows(db, tmp_path):
    path = write_xlsx(
        tmp_path / "katalog.xlsx",
        [
            REQUIRED,
            ["DINSOS", "Dinas Sosial", "SOS-DTKS", "Pendaftaran DTKS"],
            [],
            [None, None, None, None],
            ["DINSOS", "Dinas Sosial", "SOS DTKS", "Pendaftaran DTKS"],
            ["DINSOS", "Dinas Sosial", "SOS-PBI", None],
        ],
    )
    before = stored()

    _error, lines = run_bad_import(path)

    assert reported_rows(lines) == [5, 6]
    assert "kode_layanan" in line_for_row(lines, 5)
    assert "nama_layanan" in line_for_row(lines, 6)
    assert stored() == before


# --- The demo catalog -------------------------------------------------------------------------


def test_demo_catalog_imports_cleanly_with_all_18_kecamatan(db):
    out, err = run_import(DEMO_CATALOG)

    assert err == ""
    assert Service.objects.exists()
    kecamatan = {
        name.lower().removeprefix("kecamatan").replace(" ", "")
        for name in Agency.objects.filter(kind=AgencyKind.KECAMATAN).values_list("name", flat=True)
    }
    missing = [name for name in KECAMATAN_OKI if name.lower().replace(" ", "") not in kecamatan]
    assert missing == []
    # Importing it again changes nothing but updates every service in place.
    agencies, services, _log = stored()
    again, _err = run_import(DEMO_CATALOG)
    assert stored()[:2] == (agencies, services)
    assert re.findall(r"\d+", again) == ["0", "0", str(services)]
    assert re.findall(r"\d+", out) == [str(agencies), str(services), "0"]


# --- The real command line --------------------------------------------------------------------


@pytest.fixture
def migrated_sqlite(tmp_path):
    """Environment for a real `manage.py` process on a fresh, migrated SQLite file."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "siputri.settings_test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'siputri.sqlite3'}",
    }
    env.pop("CACHE_URL", None)
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
    )
    return env


def _manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_command_line_exit_status_is_nonzero_on_a_bad_file_and_zero_on_a_good_one(migrated_sqlite, tmp_path):
    bad = write_csv(
        tmp_path / "bad.csv",
        [
            REQUIRED,
            ["DINSOS", "Dinas Sosial", "SOS-DTKS", "Pendaftaran DTKS"],
            ["DINSOS", "Dinas Sosial", "SOS-PBI", ""],
        ],
    )
    good = write_xlsx(tmp_path / "good.xlsx", [REQUIRED, ["DINSOS", "Dinas Sosial", "SOS-DTKS", "Pendaftaran DTKS"]])

    refused = _manage(migrated_sqlite, "import_services", str(bad))
    assert refused.returncode != 0
    assert "nama_layanan" in refused.stderr
    assert re.search(r"\b3\b", refused.stderr)
    assert "Traceback" not in refused.stderr

    imported = _manage(migrated_sqlite, "import_services", str(good))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip()

    # The refused file stored nothing: importing the good one made exactly one service.
    again = _manage(migrated_sqlite, "import_services", str(good))
    assert again.returncode == 0
    assert re.findall(r"\d+", again.stdout) == ["0", "0", "1"]


# --- Agency identity and service unit/hours columns ---------------------------------------------

IDENTITY_HEADER = [
    *REQUIRED,
    "unit",
    "jam_layanan",
    "alamat_opd",
    "telepon_opd",
    "kepala_opd",
    "nip_kepala_opd",
    "jabatan_kepala_opd",
]
DUKCAPIL = [
    "Jl. Letnan Darna Nomor 2, Kayuagung",
    "(0712) 323456",
    "Drs. H. Ahmad Rizal, M.Si.",
    "197205121998031004",
    "Kepala Dinas Kependudukan dan Pencatatan Sipil",
]


def test_agency_identity_and_service_unit_and_hours_are_imported(db, tmp_path):
    path = write_csv(
        tmp_path / "identitas.csv",
        [
            IDENTITY_HEADER,
            ["DUKCAPIL", "Dinas Dukcapil", "KTP", "KTP-el", "Bidang Dafduk", "Senin–Jumat 08.00–15.00", *DUKCAPIL],
            ["DUKCAPIL", "Dinas Dukcapil", "KK", "Kartu Keluarga", "", "", "", "", "", "", ""],
        ],
    )
    run_import(path)

    agency = Agency.objects.get(code="DUKCAPIL")
    assert [agency.address, agency.phone, agency.head_name, agency.head_nip, agency.head_title] == DUKCAPIL
    ktp = Service.objects.get(code="KTP")
    assert (ktp.unit, ktp.opening_hours) == ("Bidang Dafduk", "Senin–Jumat 08.00–15.00")


def test_an_empty_agency_cell_keeps_what_is_stored(db, agency_a, tmp_path):
    agency_a.head_name = "Hj. Siti Aminah, S.H."
    agency_a.save()
    path = write_csv(
        tmp_path / "tanpa_kepala.csv",
        [IDENTITY_HEADER, ["OPD-A", agency_a.name, "A-BARU", "Layanan baru", "", "", "", "", "", "", ""]],
    )
    run_import(path)
    agency_a.refresh_from_db()
    assert agency_a.head_name == "Hj. Siti Aminah, S.H."


def test_a_bad_nip_or_disagreeing_agency_rows_are_refused_and_nothing_is_stored(db, tmp_path):
    other = [*DUKCAPIL]
    other[2] = "Ir. Budi Santoso"
    path = write_csv(
        tmp_path / "salah.csv",
        [
            IDENTITY_HEADER,
            ["DUKCAPIL", "Dinas Dukcapil", "KTP", "KTP-el", "", "", *DUKCAPIL[:3], "1972-0512", DUKCAPIL[4]],
            ["DUKCAPIL", "Dinas Dukcapil", "KK", "Kartu Keluarga", "", "", *DUKCAPIL],
            ["DUKCAPIL", "Dinas Dukcapil", "AKTA", "Akta", "", "", *other],
        ],
    )
    before = stored()
    _error, err = run_bad_import(path)
    assert stored() == before
    assert "nip_kepala_opd" in line_for_row(err, 2) and "1972-0512" in line_for_row(err, 2)
    assert "kepala_opd" in line_for_row(err, 4) and "2" in line_for_row(err, 4).split(":", 1)[1]
    with override("en"):
        _error, err = run_bad_import(path)
    assert "“nip_kepala_opd” must be 18 digits (got “1972-0512”)." in err
    assert "Agency “DUKCAPIL” has another “kepala_opd” on row 2." in err


def test_a_too_long_unit_is_refused(db, tmp_path):
    path = write_csv(tmp_path / "unit.csv", [IDENTITY_HEADER, ["X", "Dinas X", "X1", "Layanan", "u" * 201, *[""] * 6]])
    _error, err = run_bad_import(path)
    assert "unit" in line_for_row(err, 2)
    assert not Service.objects.exists()


def test_demo_catalog_carries_every_agency_identity_and_service_hours(db):
    run_import(DEMO_CATALOG)
    for agency in Agency.objects.all():
        assert agency.address and agency.phone and agency.head_name and agency.head_title, agency.code
        assert len(agency.head_nip) == 18 and agency.head_nip.isdigit(), agency.code
    assert not Service.objects.filter(opening_hours="").exists()
    assert not Service.objects.filter(unit="").exists()
