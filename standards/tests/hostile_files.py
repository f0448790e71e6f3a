"""Hostile spreadsheet files, built in memory and small on disk, for the import tests, the
hostile-input sweep and `bench/imports.py`.

Each builder takes the header and one good data row of the import it attacks, so the same
attack is aimed at the catalog import and at the paper survey import.
"""

import io
import zipfile
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

MB = 1024 * 1024
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_REL_NS}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_REL_NS}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)


def cell(column: int, row: int, value: str) -> str:
    return f'<c r="{get_column_letter(column)}{row}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def row_xml(number: int, values: Iterable[str]) -> str:
    return f'<row r="{number}">' + "".join(cell(i, number, v) for i, v in enumerate(values, start=1)) + "</row>"


def xlsx(
    rows: Iterable[str],
    *,
    dimension: str | None = None,
    prolog: str = "",
    shared_strings: Iterable[bytes] = (b'<sst xmlns="' + MAIN_NS.encode() + b'" count="0" uniqueCount="0"/>',),
    extra_parts: int = 0,
) -> bytes:
    """A workbook whose first sheet holds ``rows`` (row XML), written part by part so that a
    part of hundreds of megabytes never sits in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{MAIN_NS}">'.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for row in rows:
                sheet.write(row.encode())
            sheet.write(b"</sheetData></worksheet>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            for chunk in shared_strings:
                strings.write(chunk)
        for number in range(extra_parts):
            archive.writestr(f"customXml/item{number}.xml", "<a/>")
    return buffer.getvalue()


def good_xlsx(header: list[str], row: list[str]) -> bytes:
    return xlsx([row_xml(1, header), row_xml(2, row)])


def shared_strings_bomb(header: list[str], row: list[str], inflated_mb: int = 100) -> bytes:
    """One shared string of ``inflated_mb`` MB, used by the first data cell; ~0.1% of it on disk."""

    def strings() -> Iterator[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}" count="1" uniqueCount="1"><si><t>'.encode()
        for _ in range(inflated_mb):
            yield b"A" * MB
        yield b"</t></si></sst>"

    data_row = '<row r="2"><c r="A2" t="s"><v>0</v></c>' + "".join(
        cell(i, 2, v) for i, v in enumerate(row[1:], start=2)
    )
    return xlsx([row_xml(1, header), data_row + "</row>"], shared_strings=strings())


def compressed_part(header: list[str], row: list[str], inflated_mb: int = 6) -> bytes:
    """A sheet within the size limits but compressed a thousand times: the ratio gives it away."""
    return xlsx([row_xml(1, header), " " * (inflated_mb * MB), row_xml(2, row)])


def huge_dimension(header: list[str], row: list[str], rows: int = 2_000) -> bytes:
    """A few thousand rows declaring the sheet's used range as every cell a sheet can have: a
    reader that pads each row to the dimension makes 16,384 cells of every one."""
    return xlsx(
        [row_xml(1, header), *(row_xml(number, row) for number in range(2, rows + 2))], dimension="A1:XFD1048576"
    )


def blank_rows_xlsx(header: list[str], row: list[str], blanks: int = 1_000_000) -> bytes:
    """A good row followed by a million empty rows."""
    return xlsx([row_xml(1, header), row_xml(2, row), *(f'<row r="{n}"/>' for n in range(3, 3 + blanks))])


def last_row_xlsx(header: list[str], row: list[str]) -> bytes:
    """A good row, and another on the sheet's very last row, 1,048,576."""
    return xlsx([row_xml(1, header), row_xml(2, row), row_xml(1_048_576, row)])


def doctype_xlsx(header: list[str], row: list[str]) -> bytes:
    """A sheet declaring an entity and using it for its first column name."""
    rows = [row_xml(1, header).replace(escape(header[0]), "&first;", 1), row_xml(2, row)]
    return xlsx(rows, prolog=f'<!DOCTYPE worksheet [<!ENTITY first "{header[0]}">]>')


def billion_laughs_xlsx(header: list[str], row: list[str]) -> bytes:
    """The classic entity expansion, in the shared strings."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") if n > 1 else "&lol;" * 10}">' for n in range(1, 10)
    )
    strings = (
        f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]><sst xmlns="{MAIN_NS}"><si><t>&lol9;</t></si></sst>'
    ).encode()
    return xlsx([row_xml(1, header), row_xml(2, row)], shared_strings=[strings])


def nul_xlsx(header: list[str], row: list[str]) -> bytes:
    """A raw NUL byte inside a cell's text (not well-formed XML)."""
    return xlsx([row_xml(1, header), row_xml(2, [row[0] + "\x00", *row[1:]])])


def long_cell_xlsx(header: list[str], row: list[str], chars: int = 131_073) -> bytes:
    return xlsx([row_xml(1, header), row_xml(2, [*row[:-1], "x" * chars])])


def many_parts(header: list[str], row: list[str], parts: int = 1_001) -> bytes:
    return xlsx([row_xml(1, header), row_xml(2, row)], extra_parts=parts)


def csv_bytes(rows: Iterable[Iterable[str]], *, tail: str = "") -> bytes:
    return ("".join(",".join(row) + "\n" for row in rows) + tail).encode()


def nul_csv(header: list[str], row: list[str]) -> bytes:
    return csv_bytes([header, row, [row[0], row[1] + "\x00", *row[2:]]])


def long_field_csv(header: list[str], row: list[str], chars: int = 131_073) -> bytes:
    return csv_bytes([header, row, [*row[:-1], '"' + "x" * chars + '"']])


def duplicate_column_csv(header: list[str], row: list[str]) -> bytes:
    return csv_bytes([[*header, header[-1]], [*row, "another value"]])


def blank_rows_csv(header: list[str], row: list[str], blanks: int = 1_000_000) -> bytes:
    return csv_bytes([header, row], tail="\n" * blanks)


def wrong_header_csv(header: list[str], row: list[str], rows: int = 60_000) -> bytes:
    """A header lacking its first column (required at every import), then more rows than an
    import may have."""
    return csv_bytes([header[1:], *([row[1:]] * rows)])


def builders() -> dict[str, object]:
    """Every hostile file by name, for parametrized tests: name → builder(header, row)."""
    return {
        "zip bomb shared strings": shared_strings_bomb,
        "part compressed 1,000 times": compressed_part,
        "dimension A1:XFD1048576": huge_dimension,
        "a million blank rows (XLSX)": blank_rows_xlsx,
        "a million blank rows (CSV)": blank_rows_csv,
        "a row on the last sheet row": last_row_xlsx,
        "DOCTYPE with an entity": doctype_xlsx,
        "billion laughs": billion_laughs_xlsx,
        "NUL byte (XLSX)": nul_xlsx,
        "NUL byte (CSV)": nul_csv,
        "cell over 131,072 characters (XLSX)": long_cell_xlsx,
        "field over 131,072 characters (CSV)": long_field_csv,
        "repeated column name (CSV)": duplicate_column_csv,
        "wrong header before 60,000 rows (CSV)": wrong_header_csv,
        "1,001 parts": many_parts,
    }


# What each hostile file is refused for, at any import: (row the message names, words of the
# English message).
REFUSALS = {
    "zip bomb shared strings": (1, "unpacks to more than 32 MB"),
    "part compressed 1,000 times": (1, "compressed more than 100 times"),
    "a million blank rows (XLSX)": (1, "more than 50000 rows"),
    "a million blank rows (CSV)": (1, "more than 50000 rows"),
    "a row on the last sheet row": (1, "more than 50000 rows"),
    "DOCTYPE with an entity": (1, "document type or entity declaration"),
    "billion laughs": (1, "document type or entity declaration"),
    "NUL byte (XLSX)": (1, "not a valid XLSX workbook"),
    "NUL byte (CSV)": (3, "holds a NUL character"),
    "cell over 131,072 characters (XLSX)": (2, "longer than 131072 characters"),
    "field over 131,072 characters (CSV)": (3, "longer than 131072 characters"),
    "repeated column name (CSV)": (1, "appears twice"),
    "wrong header before 60,000 rows (CSV)": (1, "Required columns are missing"),
    "1,001 parts": (1, "more than 1000 parts"),
}


def filename(name: str) -> str:
    return "hostile.csv" if name.endswith("(CSV)") else "hostile.xlsx"
