"""Read the rows of an uploaded CSV or XLSX file, for the all-or-nothing importers.

Rows are numbered as a spreadsheet shows them: the header is row 1, so the first data row is
row 2, and blank rows still count, so an error message points at the row a person sees.
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

MAX_ROWS = 50_000


class TableError(Exception):
    """The file as a whole cannot be read (wrong format, bad encoding, no header)."""


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError(_("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")) from None
    first_line = text.split("\n", 1)[0]
    # Spreadsheets set to Indonesian save CSV with semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        yield [cell.strip() for cell in row]


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise TableError(_("The file is not a valid XLSX workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in row]
    finally:
        workbook.close()


def read_table(file: IO[bytes], filename: str) -> Table:
    """Read a CSV (UTF-8, comma or semicolon) or XLSX (first sheet) file into header and rows."""
    data = file.read()
    is_xlsx = filename.lower().endswith(".xlsx") or data[:2] == b"PK"
    if not is_xlsx and not filename.lower().endswith((".csv", ".txt")) and b"\x00" in data[:1024]:
        raise TableError(_("Unsupported file type: upload a CSV or XLSX file."))
    raw_rows = _xlsx_rows(data) if is_xlsx else _csv_rows(data)
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(raw_rows, start=1):
        if header is None:
            header = [cell.strip().lower() for cell in cells]
            while header and not header[-1]:
                header.pop()
            if not header:
                raise TableError(_("The first row must be a header with the column names."))
            continue
        if not any(cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise TableError(_("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS})
        values = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header) if name}
        rows.append((number, values))
    if header is None:
        raise TableError(_("The file is empty."))
    return Table(header=header, rows=rows)
