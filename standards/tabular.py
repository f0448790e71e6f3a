"""Read the rows of an uploaded CSV or XLSX file, for the all-or-nothing importers.

Every import reads its file here (the service catalog and the paper survey), so this is where a
hostile file is stopped before it costs the worker memory or time:

- an XLSX archive is checked before anything is parsed: how many parts it has, how large each
  part and all of them unpack, how much each part is compressed (a zip bomb is compressed
  hundreds of times), and that no XML part carries a document type declaration or entity;
- the sheet's declared dimension is ignored and rows are never padded: only the cells present
  under a named header column are kept;
- the header is read first and refused at once when a required column is missing or a column
  name is repeated;
- every row counts against the row limit, blank or not, and every cell against a length limit
  and a total text budget; the whole read stops after a time budget.

Rows are numbered as a spreadsheet shows them: the header is row 1, so the first data row is
row 2, and blank rows still count, so an error message points at the row a person sees.
"""

import csv
import datetime
import io
import time
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO

from defusedxml import DefusedXmlException
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one import may cost. The defaults keep one worker under ~200 MB while it reads."""

    file_bytes: int = 5 * MB
    rows: int = 50_000
    columns: int = 100
    # Python's csv module refuses a longer field; a spreadsheet cell is held to the same.
    cell_chars: int = 131_072
    # All the text kept from the file: the memory the importer's checks then work on.
    text_chars: int = 32_000_000
    # None: settings.IMPORT_SECONDS, which an operator keeps under the worker's timeout.
    seconds: float | None = None
    xlsx_parts: int = 1_000
    # A worksheet is streamed; shared strings and every other part are held in memory whole.
    xlsx_sheet_bytes: int = 64 * MB
    xlsx_strings_bytes: int = 32 * MB
    xlsx_other_part_bytes: int = 8 * MB
    xlsx_total_bytes: int = 128 * MB
    # Spreadsheet XML compresses 5–30 times; a zip bomb hundreds or thousands of times.
    xlsx_ratio: int = 100
    # Below this a part's ratio is not checked: a tiny part cannot hurt, whatever its ratio.
    xlsx_ratio_from_bytes: int = 1 * MB


LIMITS = Limits()
MAX_ROWS = LIMITS.rows


class TableError(Exception):
    """The file cannot be read (wrong format, bad encoding, a hostile archive, a bad header, a
    cell that may not be stored). ``row`` is the row the problem is on; 1 for the file as a
    whole and its header."""

    def __init__(self, message: str, row: int = 1):
        super().__init__(message)
        self.message = message
        self.row = row


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


class _Budget:
    """The time an import may take, checked as rows and archive chunks go by."""

    def __init__(self, limits: Limits):
        self.seconds = settings.IMPORT_SECONDS if limits.seconds is None else limits.seconds
        self.deadline = time.monotonic() + self.seconds

    def check(self, row: int = 1) -> None:
        if time.monotonic() > self.deadline:
            raise TableError(
                _("Reading the file took longer than %(seconds)d seconds and was stopped; split it into smaller files.")
                % {"seconds": self.seconds},
                row,
            )


def _csv_rows(data: bytes) -> Iterator[tuple[int, dict[int, str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError(_("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")) from None
    first_line = text.split("\n", 1)[0]
    # Spreadsheets set to Indonesian save CSV with semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    while True:
        number += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            # The one error csv raises on text it decoded: a field over its size limit.
            raise TableError(
                _("A cell is longer than %(max)d characters.") % {"max": LIMITS.cell_chars}, number
            ) from None
        yield number, {column: cell.strip() for column, cell in enumerate(row, start=1)}


def _is_worksheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _check_archive(archive: zipfile.ZipFile, limits: Limits, budget: _Budget) -> None:
    """Refuse a zip bomb or an XML trick before any part is parsed.

    The sizes a ZIP declares are upper bounds here: zipfile never unpacks more than a part's
    declared size (a part that lies fails its CRC check), so checking them bounds the work.
    """
    parts = archive.infolist()
    if len(parts) > limits.xlsx_parts:
        raise TableError(
            _("The workbook has more than %(max)d parts; it is not a spreadsheet this import can read.")
            % {"max": limits.xlsx_parts}
        )
    total = 0
    for part in parts:
        if _is_worksheet(part.filename):
            most = limits.xlsx_sheet_bytes
        elif part.filename == "xl/sharedStrings.xml":
            most = limits.xlsx_strings_bytes
        else:
            most = limits.xlsx_other_part_bytes
        if part.file_size > most:
            raise TableError(
                _("The workbook part “%(part)s” unpacks to more than %(max)d MB; the file was refused.")
                % {"part": part.filename[:80], "max": most // MB}
            )
        total += part.file_size
        if total > limits.xlsx_total_bytes:
            raise TableError(
                _("The workbook unpacks to more than %(max)d MB in all; the file was refused.")
                % {"max": limits.xlsx_total_bytes // MB}
            )
        if part.file_size >= limits.xlsx_ratio_from_bytes and part.file_size > limits.xlsx_ratio * max(
            part.compress_size, 1
        ):
            raise TableError(
                _(
                    "The workbook part “%(part)s” is compressed more than %(ratio)d times, as a zip bomb is; "
                    "the file was refused."
                )
                % {"part": part.filename[:80], "ratio": limits.xlsx_ratio}
            )
    for part in parts:
        if part.filename.endswith((".xml", ".rels")):
            _check_xml_part(archive, part, budget)


def _check_xml_part(archive: zipfile.ZipFile, part: zipfile.ZipInfo, budget: _Budget) -> None:
    # A spreadsheet application never writes a DTD; with one, an entity can expand a few bytes
    # into gigabytes or read a file of the server. Inside text a "<" is always escaped, so the
    # raw markup can only be a declaration. The tail of each chunk is kept to find one split.
    marks = (b"<!DOCTYPE", b"<!ENTITY")
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(1 * MB):
            window = tail + chunk
            if any(mark in window for mark in marks):
                raise TableError(
                    _(
                        "The workbook contains an XML document type or entity declaration, which spreadsheets "
                        "do not use; the file was refused."
                    )
                )
            tail = window[-16:]
            budget.check()


# What openpyxl raises on a workbook it cannot make sense of (defusedxml's refusals included).
_UNREADABLE = (
    DefusedXmlException,
    SyntaxError,  # ElementTree's and lxml's parse errors both are
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    OSError,
)


def _not_a_workbook() -> TableError:
    return TableError(_("The file is not a valid XLSX workbook."))


def _first_sheet(data: bytes) -> tuple[zipfile.ZipFile, WorkSheetParser]:
    """Open the workbook's first worksheet for parsing, having read only what its cells need:
    the shared strings, the date styles and the date system. openpyxl's load_workbook would
    also parse every sheet to its end when the sheet declares no dimension."""
    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    apply_stylesheet(reader.archive, reader.wb)
    paths = [
        rel.target
        for _sheet, rel in reader.parser.find_sheets()
        if rel.target in reader.valid_files and "chartsheet" not in rel.Type
    ]
    if not paths:
        reader.archive.close()
        raise TableError(_("The file is empty."))
    workbook = reader.wb
    parser = WorkSheetParser(
        reader.archive.open(paths[0]),
        reader.shared_strings,
        data_only=True,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )
    return reader.archive, parser


def _xlsx_rows(data: bytes, limits: Limits, budget: _Budget) -> Iterator[tuple[int, dict[int, object]]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _not_a_workbook() from None
    with archive:
        try:
            _check_archive(archive, limits, budget)
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, NotImplementedError, RuntimeError, EOFError):
            # A corrupt or encrypted part, or one packed with a method zipfile does not know.
            raise _not_a_workbook() from None
    try:
        archive, parser = _first_sheet(data)
    except _UNREADABLE:
        raise _not_a_workbook() from None
    # The sheet's own parser, driven row by row, instead of iter_rows: iter_rows pads every row
    # to the declared dimension (A1:XFD1048576 is 17 billion cells) and to its last cell.
    with archive:
        rows = parser.parse()
        while True:
            try:
                number, cells = next(rows)
            except StopIteration:
                return
            except _UNREADABLE:
                raise _not_a_workbook() from None
            yield number, {cell["column"]: cell["value"] for cell in cells}


def _header(cells: dict[int, object], limits: Limits, required: Sequence[str]) -> list[str]:
    named = {column: _cell_text(value).lower() for column, value in cells.items()}
    named = {column: name for column, name in named.items() if name}
    if any("\x00" in name for name in named.values()):
        raise TableError(_("A column name holds a NUL character, which text may not contain."))
    if not named:
        raise TableError(_("The first row must be a header with the column names."))
    width = max(named)
    if width > limits.columns:
        raise TableError(_("The header has more than %(max)d columns.") % {"max": limits.columns})
    header = [named.get(column, "") for column in range(1, width + 1)]
    seen: dict[str, int] = {}
    for column, name in enumerate(header, start=1):
        if name in seen:
            raise TableError(
                _("The column “%(name)s” appears twice, in columns %(first)s and %(second)s; keep one.")
                % {"name": name[:80], "first": get_column_letter(seen[name]), "second": get_column_letter(column)}
            )
        if name:
            seen[name] = column
    missing = [column for column in required if column not in seen]
    if missing:
        raise TableError(_("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)})
    return header


def _row_values(
    number: int, cells: dict[int, object], header: list[str], limits: Limits
) -> tuple[dict[str, str], int] | None:
    """The row's text under each named column, with its length; None for a blank row."""
    if not any(_cell_text(value) for value in cells.values()):
        return None
    values: dict[str, str] = {}
    size = 0
    for column, name in enumerate(header, start=1):
        if not name:
            continue
        text = _cell_text(cells.get(column))
        if len(text) > limits.cell_chars:
            raise TableError(
                _("The cell in column “%(column)s” is longer than %(max)d characters.")
                % {"column": name, "max": limits.cell_chars},
                number,
            )
        if "\x00" in text:
            raise TableError(
                _("The cell in column “%(column)s” holds a NUL character, which text may not contain.")
                % {"column": name},
                number,
            )
        values[name] = text
        size += len(text)
    return values, size


def read_table(file: IO[bytes], filename: str, *, required: Sequence[str] = (), limits: Limits = LIMITS) -> Table:
    """Read a CSV (UTF-8, comma or semicolon) or XLSX (first sheet) file into header and rows.

    Refuses with TableError, without reading further: a file over the size limit, an XLSX that
    fails the archive checks, a header missing one of ``required`` or repeating a name, more
    rows than the limit (blank rows count), a cell that is too long or holds a NUL character,
    more text in all than the budget, or a read that takes longer than the time budget.
    Blank rows are skipped; cells outside a named column are ignored.
    """
    budget = _Budget(limits)
    data = file.read(limits.file_bytes + 1)
    if len(data) > limits.file_bytes:
        raise TableError(_("The file is larger than %(max)s.") % {"max": filesizeformat(limits.file_bytes)})
    is_xlsx = filename.lower().endswith(".xlsx") or data[:2] == b"PK"
    if not is_xlsx and not filename.lower().endswith((".csv", ".txt")) and b"\x00" in data[:1024]:
        raise TableError(_("Unsupported file type: upload a CSV or XLSX file."))
    raw_rows = _xlsx_rows(data, limits, budget) if is_xlsx else _csv_rows(data)
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    text_size = 0
    for number, cells in raw_rows:
        if header is None:
            if number != 1:
                raise TableError(_("The first row must be a header with the column names."))
            header = _header(cells, limits, required)
            continue
        if number > limits.rows + 1:
            raise TableError(_("The file has more than %(max)d rows; split it.") % {"max": limits.rows})
        budget.check(number)
        kept = _row_values(number, cells, header, limits)
        if kept is None:
            continue
        values, size = kept
        text_size += size
        if text_size > limits.text_chars:
            raise TableError(
                _("The file holds more than %(max)d characters of text; split it.") % {"max": limits.text_chars},
                number,
            )
        rows.append((number, values))
    if header is None:
        raise TableError(_("The file is empty."))
    return Table(header=header, rows=rows)
