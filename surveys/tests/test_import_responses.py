"""`manage.py import_responses FILE`: the paper survey file of DESIGN.md, all rows or none.

Messages are Indonesian by default, so bad-file tests look at what survives translation (the
row number each line starts with, the column names, the values); English wording is asserted
only under ``override("en")``.
"""

import csv
import datetime
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import override
from openpyxl import Workbook

from surveys.models import ElementTally, ProfileTally, RespondentTally, Response
from surveys.response_import import ResponseImportError, responses_import_file

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


def row(service="A-KTP", day="2026-01-15", gender="P", age="34", education="sma", occupation="wirausaha", **kwargs):
    """A good row; ``answers`` (one value for all) and element codes or ``saran`` override."""
    answers = kwargs.pop("answers", "4")
    values = dict.fromkeys(OKI_CODES, answers) | {"saran": ""} | kwargs
    return [service, day, gender, age, education, occupation, *(values[c] for c in [*OKI_CODES, "saran"])]


def write_csv(path: Path, rows, *, delimiter=",") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


def write_xlsx(path: Path, rows) -> Path:
    workbook = Workbook()
    for values in rows:
        workbook.active.append(values)
    workbook.save(path)
    return path


def run_import(path: Path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_responses", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def imported_count(out: str) -> list[str]:
    """The numbers of the command's first line ("Imported N …"), after which it prints ``batch N``."""
    first, *rest = out.splitlines()
    assert re.fullmatch(r"batch \d+", rest[-1]), out
    return re.findall(r"\d+", first)


def run_bad_import(path: Path) -> tuple[str, str]:
    """Import a file that must be refused; return the command's error and the reported lines."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_responses", str(path), stdout=out, stderr=err)
    return str(refused.value), err.getvalue()


def reported_rows(stderr: str) -> list[int]:
    """The row number each reported line starts with ("Row 3: …", "Baris 3: …")."""
    rows = []
    for line in stderr.splitlines():
        if line.strip():
            match = re.match(r"\D*(\d+)", line)
            assert match, f"no row number in {line!r}"
            rows.append(int(match.group(1)))
    return rows


def line_for_row(stderr: str, number: int) -> str:
    lines = [line for line in stderr.splitlines() if line.strip() and reported_rows(line) == [number]]
    assert lines, f"row {number} is not reported in {stderr!r}"
    return "\n".join(lines)


def stored() -> tuple[int, int, int, int]:
    return (
        Response.objects.count(),
        RespondentTally.objects.count(),
        ElementTally.objects.count(),
        ProfileTally.objects.count(),
    )


def respondents(service, day=None) -> int:
    tallies = RespondentTally.objects.filter(span="d").filter(service=service)
    if day is not None:
        tallies = tallies.filter(day=day)
    return tallies.aggregate(total=Sum("count"))["total"] or 0


@pytest.fixture
def services(service_a, service_b, questionnaire):
    return service_a, service_b


# --- Good files -------------------------------------------------------------------------------


def test_good_csv_stores_every_row_as_a_paper_response_on_its_date_with_tallies(services, tmp_path):
    service_a, service_b = services
    path = write_csv(
        tmp_path / "kertas.csv",
        [
            HEADER,
            row(day="2026-01-15", answers="4", saran="Antrean cepat"),
            row(day="2026-01-15", answers="2", gender="L", age="61", education="sd", occupation="lainnya"),
            row(day="2026-02-03", answers="3"),
            row(service="B-NIB", day="2025-12-31", answers="1", waktu="4"),
        ],
    )

    out, err = run_import(path)

    assert imported_count(out) == ["4"]
    assert err == ""
    responses = Response.objects.order_by("day", "pk")
    assert responses.count() == 4
    assert set(responses.values_list("channel", flat=True)) == {"paper"}
    assert [(r.service.code, r.day.isoformat()) for r in responses] == [
        ("B-NIB", "2025-12-31"),
        ("A-KTP", "2026-01-15"),
        ("A-KTP", "2026-01-15"),
        ("A-KTP", "2026-02-03"),
    ]
    nib = responses[0]
    assert nib.answers == {**dict.fromkeys(OKI_CODES, 1), "waktu": 4}
    first = Response.objects.get(suggestion="Antrean cepat")
    assert (first.gender, first.age, first.education, first.occupation) == ("P", 34, "sma", "wirausaha")
    elderly = Response.objects.get(age=61)
    assert (elderly.gender, elderly.education, elderly.occupation) == ("L", "sd", "lainnya")
    assert respondents(service_a, datetime.date(2026, 1, 15)) == 2
    assert respondents(service_a, datetime.date(2026, 2, 3)) == 1
    assert respondents(service_b) == 1
    assert (
        ElementTally.objects.filter(span="d")
        .get(service=service_a, day="2026-01-15", element_code="waktu", value=2)
        .count
        == 1
    )
    assert ElementTally.objects.filter(span="d").get(service=service_b, element_code="waktu", value=4).count == 1
    assert (
        ProfileTally.objects.filter(span="d")
        .get(service=service_a, day="2026-01-15", dimension="channel", value="paper")
        .count
        == 2
    )


def test_xlsx_with_real_date_cells_and_numbers_is_read(services, tmp_path):
    service_a, _service_b = services
    path = write_xlsx(
        tmp_path / "kertas.xlsx",
        [
            HEADER,
            ["A-KTP", datetime.date(2026, 3, 2), "P", 34, "s1", "pns", *([4] * 10), "Ramah"],
            ["A-KTP", datetime.datetime(2026, 3, 3), "L", 45.0, "diploma", "swasta", *([3.0] * 10), None],
            ["A-KTP", "2026-03-04", "P", "19", "sma", "pelajar", *(["2"] * 10), ""],
        ],
    )

    out, _err = run_import(path)

    assert imported_count(out) == ["3"]
    responses = Response.objects.filter(service=service_a).order_by("day")
    assert [r.day for r in responses] == [datetime.date(2026, 3, d) for d in (2, 3, 4)]
    assert [r.age for r in responses] == [34, 45, 19]
    assert [r.answers["sarana"] for r in responses] == [4, 3, 2]
    assert responses[0].suggestion == "Ramah"
    assert respondents(service_a) == 3


def test_semicolon_csv_without_the_optional_saran_column_is_read(services, tmp_path):
    header = HEADER[:-1]
    path = write_csv(tmp_path / "kertas.csv", [header, row()[:-1]], delimiter=";")

    run_import(path)

    assert Response.objects.get().suggestion == ""


def test_codes_are_read_regardless_of_letter_case(services, tmp_path):
    path = write_csv(tmp_path / "kertas.csv", [HEADER, row(gender="l", education="SMA", occupation="PNS")])

    run_import(path)

    response = Response.objects.get()
    assert (response.gender, response.education, response.occupation) == ("L", "sma", "pns")


def test_todays_date_is_accepted(services, tmp_path):
    today = timezone.localdate()
    path = write_csv(tmp_path / "kertas.csv", [HEADER, row(day=today.isoformat())])

    run_import(path)

    assert Response.objects.get().day == today


def test_unknown_columns_are_ignored_and_named(services, tmp_path):
    path = write_csv(tmp_path / "kertas.csv", [[*HEADER, "nama_petugas"], [*row(), "Budi"]])

    out, err = run_import(path)

    assert Response.objects.count() == 1
    assert "nama_petugas" in err
    assert imported_count(out) == ["1"]


# --- Bad files: every bad row reported with its row number and reason; nothing stored -----------


BAD_ROWS = {
    "element value 5": (row(waktu="5"), "waktu", ""),
    "element value x": (row(biaya="x"), "biaya", ""),
    "element value -1": (row(sarana="-1"), "sarana", ""),
    "age 14": (row(age="14"), "usia", ""),
    "age not a number": (row(age="tiga puluh"), "usia", ""),
    "unknown education": (row(education="sarjana"), "pendidikan", "sarjana"),
    "unknown occupation": (row(occupation="petani"), "pekerjaan", "petani"),
    "unknown gender": (row(gender="X"), "jenis_kelamin", "X"),
    "unknown service": (row(service="TIDAK-ADA"), "kode_layanan", "TIDAK-ADA"),
    "empty service": (row(service=""), "kode_layanan", ""),
    "bad date": (row(day="15-01-2026"), "tanggal", "15-01-2026"),
    "impossible date": (row(day="2026-02-30"), "tanggal", "2026-02-30"),
    "date before 2000": (row(day="1999-12-31"), "tanggal", "1999-12-31"),
    "empty date": (row(day=""), "tanggal", ""),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_a_bad_row_is_reported_with_its_row_number_and_column_and_nothing_is_stored(services, tmp_path, case):
    bad, column, value = BAD_ROWS[case]
    path = write_csv(tmp_path / "kertas.csv", [HEADER, row(), bad, row()])

    _error, lines = run_bad_import(path)

    assert reported_rows(lines) == [3]
    assert column in lines
    assert value in lines
    assert stored() == (0, 0, 0, 0)


def test_a_future_date_is_refused(services, tmp_path):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    path = write_csv(tmp_path / "kertas.csv", [HEADER, row(), row(day=tomorrow.isoformat())])

    _error, lines = run_bad_import(path)

    assert reported_rows(lines) == [3]
    assert "tanggal" in lines
    assert tomorrow.isoformat() in lines
    assert stored() == (0, 0, 0, 0)


def test_an_unpublished_service_is_refused(services, tmp_path):
    service_a, _service_b = services
    service_a.is_published = False
    service_a.save()
    path = write_csv(tmp_path / "kertas.csv", [HEADER, row()])

    _error, lines = run_bad_import(path)

    assert reported_rows(lines) == [2]
    assert "A-KTP" in lines
    assert stored() == (0, 0, 0, 0)


def test_every_bad_row_and_every_problem_in_it_is_reported(services, tmp_path):
    path = write_csv(
        tmp_path / "kertas.csv",
        [
            HEADER,
            row(),
            row(age="14", education="sarjana"),
            row(),
            row(service="TIDAK-ADA", day="kemarin", persyaratan="9"),
        ],
    )

    error, lines = run_bad_import(path)

    assert reported_rows(lines) == [3, 3, 5, 5, 5]
    assert "usia" in line_for_row(lines, 3)
    assert "pendidikan" in line_for_row(lines, 3)
    row_5 = line_for_row(lines, 5)
    assert "kode_layanan" in row_5
    assert "tanggal" in row_5
    assert "persyaratan" in row_5
    assert re.findall(r"\d+", error) == ["2"]  # two bad rows
    assert stored() == (0, 0, 0, 0)


def test_row_errors_read_in_english_when_english_is_active(services, tmp_path):
    path = write_csv(
        tmp_path / "kertas.csv",
        [HEADER, row(age="14"), row(education="sarjana"), row(service="TIDAK-ADA"), row(persyaratan="5")],
    )

    with override("en"):
        error, lines = run_bad_import(path)

    assert lines.splitlines() == [
        "Row 2: usia: Age must be between 15 and 100 years.",
        "Row 3: pendidikan: “sarjana” is not one of: tidak_sekolah, sd, smp, sma, diploma, s1, s2, s3.",
        "Row 4: kode_layanan: Unknown service code “TIDAK-ADA”.",
        "Row 5: persyaratan: Choose an answer from 1 to 4.",
    ]
    assert error == "4 bad rows; nothing was imported."


def test_one_bad_row_is_reported_in_the_singular(services, tmp_path):
    path = write_csv(tmp_path / "kertas.csv", [HEADER, row(), row(age="14")])

    with override("en"):
        error, _lines = run_bad_import(path)

    assert error == "1 bad row; nothing was imported."
    assert stored() == (0, 0, 0, 0)


def test_the_imported_count_reads_in_the_singular_and_the_plural(services, tmp_path):
    one = write_csv(tmp_path / "satu.csv", [HEADER, row()])
    two = write_csv(tmp_path / "dua.csv", [HEADER, row(day="2026-01-16"), row(day="2026-01-17")])

    with override("en"):
        first, _ = run_import(one)
        second, _ = run_import(two)

    assert first.splitlines()[0] == "Imported 1 paper survey response."
    assert second.splitlines()[0] == "Imported 2 paper survey responses."


def test_missing_columns_are_named_on_row_1_and_nothing_is_stored(services, tmp_path):
    header = [c for c in HEADER if c not in ("usia", "sarana")]
    path = write_csv(tmp_path / "kertas.csv", [header, ["x"] * len(header)])

    _error, lines = run_bad_import(path)

    assert reported_rows(lines) == [1]
    assert "usia" in lines
    assert "sarana" in lines
    assert stored() == (0, 0, 0, 0)


def test_without_versi_a_row_answers_the_version_in_force_on_its_date(services, tmp_path):
    from surveys.models import Questionnaire
    from surveys.services import questionnaire_from_preset

    national = questionnaire_from_preset(preset="national", actor=None)  # lacks maklumat
    Questionnaire.objects.filter(pk=national.pk).update(created_at=timezone.now() - datetime.timedelta(days=1))
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    long_ago = (timezone.localdate() - datetime.timedelta(days=400)).isoformat()
    path = write_csv(tmp_path / "kertas.csv", [HEADER, row(day=long_ago), row(day=yesterday, maklumat="")])

    out, _err = run_import(path)

    old, new = Response.objects.order_by("day")
    assert (old.questionnaire.version, len(old.answers)) == (1, 10)
    assert (new.questionnaire.version, len(new.answers)) == (national.version, 9)
    assert imported_count(out) == ["2"]


def test_a_form_printed_under_an_older_version_is_stored_under_that_version_with_its_answers(services, tmp_path):
    from surveys.services import questionnaire_from_preset

    service_a, _service_b = services
    national = questionnaire_from_preset(preset="national", actor=None)  # now in use; lacks maklumat
    today = timezone.localdate()
    path = write_csv(
        tmp_path / "kertas.csv",
        [[*HEADER, "versi"], [*row(day=today.isoformat(), answers="3", maklumat="1"), "1"]],
    )

    out, err = run_import(path)

    assert (imported_count(out), err) == (["1"], "")
    stored_response = Response.objects.get()
    assert stored_response.questionnaire.version == 1
    assert stored_response.answers == {**dict.fromkeys(OKI_CODES, 3), "maklumat": 1}
    maklumat = ElementTally.objects.filter(span="d", service=service_a, day=today, element_code="maklumat")
    assert list(maklumat.values_list("questionnaire__version", "value", "count")) == [(1, 1, 1)]
    assert not RespondentTally.objects.filter(questionnaire=national).exists()


def test_a_value_for_an_element_the_forms_version_lacks_is_an_error_naming_the_row(services, tmp_path):
    from surveys.services import questionnaire_from_preset

    national = questionnaire_from_preset(preset="national", actor=None)
    path = write_csv(tmp_path / "kertas.csv", [[*HEADER, "versi"], [*row(), "1"], [*row(), str(national.version)]])

    with override("en"):
        _error, lines = run_bad_import(path)

    assert lines.splitlines() == [
        f"Row 3: maklumat: Questionnaire version {national.version} has no element “maklumat”."
    ]
    assert stored() == (0, 0, 0, 0)


def test_an_unknown_versi_is_an_error(services, tmp_path):
    path = write_csv(tmp_path / "kertas.csv", [[*HEADER, "versi"], [*row(), "7"]])

    with override("en"):
        _error, lines = run_bad_import(path)

    assert lines.splitlines() == ["Row 2: versi: “7” is not a questionnaire version; the versions are: 1."]


def test_empty_file_is_refused_on_row_1(services, tmp_path):
    path = tmp_path / "kertas.csv"
    path.write_bytes(b"")

    _error, lines = run_bad_import(path)

    assert reported_rows(lines) == [1]
    assert stored() == (0, 0, 0, 0)


def test_header_without_rows_is_refused(services, tmp_path):
    path = write_csv(tmp_path / "kertas.csv", [HEADER])

    with override("en"):
        _error, lines = run_bad_import(path)

    assert lines.strip() == "Row 2: The file has a header but no rows."


def test_missing_file_is_reported(db, tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command("import_responses", str(tmp_path / "tidak-ada.csv"))

    assert "tidak-ada.csv" in str(refused.value)


# --- Restricted to one agency (the operator's upload uses this) ---------------------------------


def test_a_service_of_another_agency_reads_as_unknown_when_restricted_to_an_agency(services, agency_a, tmp_path):
    path = write_csv(tmp_path / "kertas.csv", [HEADER, row(), row(service="B-NIB"), row(service="TIDAK-ADA")])

    with override("en"):
        with path.open("rb") as handle, pytest.raises(ResponseImportError) as refused:
            responses_import_file(file=handle, filename=path.name, agency=agency_a)
        messages = [str(e) for e in refused.value.errors]
    assert messages == [
        "Row 3: kode_layanan: Unknown service code “B-NIB”.",
        "Row 4: kode_layanan: Unknown service code “TIDAK-ADA”.",
    ]
    assert stored() == (0, 0, 0, 0)


def test_restricted_to_its_own_agency_a_file_is_stored(services, agency_a, tmp_path):
    path = write_csv(tmp_path / "kertas.csv", [HEADER, row(), row()])

    with path.open("rb") as handle:
        result = responses_import_file(file=handle, filename=path.name, agency=agency_a)

    assert result.imported == 2
    assert Response.objects.filter(service__agency=agency_a, channel="paper").count() == 2


# --- The real command line --------------------------------------------------------------------


def _manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def migrated_sqlite(tmp_path):
    """Environment for a real `manage.py` process on a fresh, migrated SQLite file with one
    service (A-KTP) in its catalog."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "siputri.settings_test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'siputri.sqlite3'}",
    }
    env.pop("CACHE_URL", None)
    env.pop("REDIS_URL", None)
    assert _manage(env, "migrate", "--noinput").returncode == 0
    catalog = write_csv(
        tmp_path / "katalog.csv",
        [["kode_opd", "nama_opd", "kode_layanan", "nama_layanan"], ["OPD-A", "Disdukcapil", "A-KTP", "KTP-el"]],
    )
    assert _manage(env, "import_services", str(catalog)).returncode == 0
    return env


def test_command_line_exits_nonzero_on_a_bad_file_and_zero_on_a_good_one(migrated_sqlite, tmp_path):
    bad = write_csv(tmp_path / "bad.csv", [HEADER, row(), row(age="14")])
    good = write_xlsx(tmp_path / "good.xlsx", [HEADER, row(), row()])

    refused = _manage(migrated_sqlite, "import_responses", str(bad))
    assert refused.returncode != 0
    assert "usia" in refused.stderr
    assert re.search(r"\b3\b", refused.stderr)
    assert "Traceback" not in refused.stderr

    imported = _manage(migrated_sqlite, "import_responses", str(good))
    assert imported.returncode == 0, imported.stderr
    assert imported_count(imported.stdout) == ["2"]

    # The refused file stored nothing: the database holds exactly the two good responses.
    count = _manage(
        migrated_sqlite,
        "shell",
        "--verbosity=0",
        "-c",
        "from surveys.models import Response; print(Response.objects.filter(channel='paper').count())",
    )
    assert count.stdout.strip() == "2"
