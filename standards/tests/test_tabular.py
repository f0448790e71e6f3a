"""The one spreadsheet reader every import uses (standards/tabular.py): hostile files are refused
with a message naming the row or the file, quickly and in little memory, and good files read."""

import functools
import io
import itertools
import tracemalloc

import pytest
from django.utils.translation import override

from standards import tabular
from standards.catalog_import import CatalogImportError, catalog_import
from standards.tabular import Limits, TableError, read_table
from standards.tests import hostile_files

HEADER = ["kode_opd", "nama_opd", "kode_layanan", "nama_layanan"]
ROW = ["DINSOS", "Dinas Sosial", "SOS-DTKS", "Pendaftaran DTKS"]

REFUSED = sorted(hostile_files.REFUSALS)
REFUSALS = hostile_files.REFUSALS
filename = hostile_files.filename


@functools.cache
def hostile(name: str) -> bytes:
    return hostile_files.builders()[name](HEADER, ROW)


def read(data: bytes, name: str = "katalog.xlsx", **kwargs):
    return read_table(io.BytesIO(data), name, required=HEADER, **kwargs)


def test_every_hostile_file_but_the_huge_dimension_has_its_refusal_listed():
    assert set(hostile_files.builders()) - set(REFUSALS) == {"dimension A1:XFD1048576"}


@pytest.mark.parametrize("name", REFUSED)
def test_hostile_file_is_refused_with_a_message_naming_the_row_or_the_file(name):
    row, words = REFUSALS[name]

    with override("en"), pytest.raises(TableError) as refused:
        read(hostile(name), filename(name))

    assert (refused.value.row, words in refused.value.message) == (row, True), refused.value.message


@pytest.mark.parametrize("name", REFUSED)
def test_refusing_a_hostile_file_costs_under_16_mb(db, name):
    data = hostile(name)
    tracemalloc.start()
    try:
        with pytest.raises(CatalogImportError):
            catalog_import(file=io.BytesIO(data), filename=filename(name))
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    # The input itself is already in memory; what the reader adds on top is what is bounded.
    assert peak - len(data) < 16 * 1024 * 1024, f"{name}: {peak / 2**20:.1f} MB"


def test_a_declared_dimension_of_every_cell_is_ignored_and_rows_are_not_padded(monkeypatch):
    looked_at = itertools.count()
    cell_text = tabular._cell_text

    def counted(value):
        # The file has 8,004 cells; a reader padding its rows to column XFD looks at 32 million.
        assert next(looked_at) < 20_000, "the reader looks at cells the file does not have"
        return cell_text(value)

    monkeypatch.setattr(tabular, "_cell_text", counted)

    table = read(hostile("dimension A1:XFD1048576"))

    assert table.header == HEADER
    assert len(table.rows) == 2_000
    assert table.rows[-1] == (2_001, dict(zip(HEADER, ROW, strict=True)))


def test_a_cell_far_right_of_the_header_is_ignored_without_padding_the_row():
    far = '<c r="XFD2" t="inlineStr"><is><t>x</t></is></c>'
    row = hostile_files.row_xml(2, ROW).replace("</row>", far + "</row>")

    table = read(hostile_files.xlsx([hostile_files.row_xml(1, HEADER), row]))

    assert table.rows == [(2, dict(zip(HEADER, ROW, strict=True)))]


def test_blank_rows_count_against_the_row_limit_but_are_not_returned():
    data = hostile_files.csv_bytes([HEADER, ROW], tail="\n" * 8)

    with pytest.raises(TableError) as refused:
        read(data, "k.csv", limits=Limits(rows=8))
    table = read(data, "k.csv", limits=Limits(rows=9))

    assert "8" in refused.value.message
    assert [number for number, _values in table.rows] == [2]


def test_the_header_is_checked_before_any_row_is_read(monkeypatch):
    rows_read = itertools.count()
    row_values = tabular._row_values

    def counted(*args):
        next(rows_read)
        return row_values(*args)

    monkeypatch.setattr(tabular, "_row_values", counted)

    with override("en"), pytest.raises(TableError) as refused:
        read(hostile("wrong header before 60,000 rows (CSV)"), "k.csv")

    assert refused.value.message == "Required columns are missing: kode_opd."
    assert next(rows_read) == 0


def test_a_repeated_column_name_is_refused_even_in_another_letter_case():
    data = hostile_files.csv_bytes([[*HEADER, "Kode_OPD "], [*ROW, "OTHER"]])

    with override("en"), pytest.raises(TableError) as refused:
        read(data, "k.csv")

    assert "“kode_opd” appears twice, in columns A and E" in refused.value.message


def test_a_nul_in_a_column_name_is_refused():
    data = hostile_files.csv_bytes([[*HEADER, "cat\x00an"], [*ROW, "x"]])

    with override("en"), pytest.raises(TableError) as refused:
        read(data, "k.csv")

    assert (refused.value.row, "NUL" in refused.value.message) == (1, True)


def test_too_many_columns_in_the_header_are_refused():
    data = hostile_files.csv_bytes([[*HEADER, *(f"c{n}" for n in range(200))], ROW])

    with override("en"), pytest.raises(TableError) as refused:
        read(data, "k.csv")

    assert refused.value.message == "The header has more than 100 columns."


def test_the_read_stops_at_the_time_budget_with_the_row_it_reached(monkeypatch):
    seconds = itertools.count()
    monkeypatch.setattr(tabular.time, "monotonic", lambda: next(seconds))
    data = hostile_files.csv_bytes([HEADER, *([ROW] * 50)])

    with override("en"), pytest.raises(TableError) as refused:
        read(data, "k.csv", limits=Limits(seconds=5))

    assert refused.value.message.startswith("Reading the file took longer than 5 seconds and was stopped")
    assert refused.value.row < 10


def test_the_read_stops_at_the_text_budget():
    data = hostile_files.csv_bytes([HEADER, *([ROW] * 50)])

    with override("en"), pytest.raises(TableError) as refused:
        read(data, "k.csv", limits=Limits(text_chars=200))

    assert refused.value.message == "The file holds more than 200 characters of text; split it."
    assert refused.value.row == 6


def test_a_file_over_the_size_limit_is_refused_without_reading_it_all():
    data = hostile_files.csv_bytes([HEADER, *([ROW] * 50)])

    with override("en"), pytest.raises(TableError) as refused:
        read(data, "k.csv", limits=Limits(file_bytes=1000))

    assert refused.value.message.startswith("The file is larger than 1000")


def test_an_encrypted_or_corrupt_part_reads_as_not_a_workbook():
    data = bytearray(hostile_files.good_xlsx(HEADER, ROW))
    start = data.index(b"xl/worksheets/sheet1.xml") + len(b"xl/worksheets/sheet1.xml")
    data[start + 20 : start + 40] = b"\xff" * 20  # damage the sheet's compressed bytes

    with override("en"), pytest.raises(TableError) as refused:
        read(bytes(data))

    assert refused.value.message == "The file is not a valid XLSX workbook."


def test_a_good_hand_made_workbook_reads_like_one_from_a_spreadsheet_program():
    table = read(hostile_files.good_xlsx(HEADER, ROW))

    assert table.rows == [(2, dict(zip(HEADER, ROW, strict=True)))]
