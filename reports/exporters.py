"""Exports of survey data: one exporter class per export, rendered to CSV or XLSX at the end.

An exporter knows its columns (``headers``) and yields its rows one list at a time (``rows``);
the renderers never hold more than a row (CSV) or one row of XlsxWriter's constant-memory
sheet (XLSX) in memory, so an export of a million responses costs what one of a hundred does,
apart from time.

Column names are stable identifiers, like the columns of the paper survey file
(``kode_layanan``, ``tanggal``, ``jenis_kelamin`` …) and the element codes, so scripts and
spreadsheets built on an export keep working whatever the reader's language.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (and a tab
or carriage return can hide one), so every such text cell is written with a leading
apostrophe. A suggestion typed by a citizen can never become a formula on a civil servant's
computer. Numbers are numbers and are left alone.
"""

import csv
import datetime
import io
import re
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from xlsxwriter import Workbook

from surveys import selectors
from surveys.index import round_half_up
from surveys.models import Element, Response, Status
from surveys.tallies import ASSISTED_VALUES

JAKARTA = ZoneInfo("Asia/Jakarta")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_FLUSH_BYTES = 32 * 1024
XLSX_MEMORY_BYTES = 1024 * 1024  # beyond this the finished workbook spills to a temporary file
ROW_CHUNK = 2000
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")
# Control characters a spreadsheet cell cannot hold (XML 1.0 allows tab, newline and return).
_ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
XLSX_OPTIONS = {
    # Each row goes to a temporary file as soon as the next begins: memory stays flat.
    "constant_memory": True,
    # Cells are what the exporter gave: text stays text, whatever it looks like.
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "default_date_format": "yyyy-mm-dd",
}


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, made inert by a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class Exporter(ABC):
    """One export: its columns and its rows, whatever the file format.

    ``rows()`` is a generator of lists, one list per row, in the order of ``headers()``;
    cells are str, int, Decimal, date or None (an empty cell).
    """

    identifier: ClassVar[str]
    verbose_name: ClassVar[str]
    description: ClassVar[str] = ""

    def __init__(
        self,
        scope: selectors.Scope,
        start: datetime.date | None = None,
        end: datetime.date | None = None,
    ) -> None:
        self.scope = scope
        self.start = start
        self.end = end

    @abstractmethod
    def headers(self) -> list[str]:
        """The column names."""

    @abstractmethod
    def rows(self) -> Iterator[list[Any]]:
        """The rows, one list of cells each."""


class ResponsesExporter(Exporter):
    """Every response of the scope and period, oldest first: its profile, one column per element
    (the union of the questionnaire versions answered in the period) and the suggestion unless
    staff hid it. There are no contact details to leak: none are stored with a response."""

    identifier = "respons"
    verbose_name = _("Responses")
    description = _(
        "One row per response: date and time, agency, service, channel, whether staff helped (ya/tidak), "
        "questionnaire version, respondent profile, the answer (1–4) to every element, and the suggestion "
        "(blank when hidden)."
    )
    FIELDS = (
        "pk",
        "day",
        "submitted_at",
        "service__agency__code",
        "service__code",
        "service__name",
        "channel",
        "assisted",
        "questionnaire__version",
        "gender",
        "age",
        "education",
        "occupation",
        "answers",
        "suggestion",
        "suggestion_hidden",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._codes: list[str] | None = None

    def codes(self) -> list[str]:
        """The element columns: every element of the versions answered in the period, in the
        order of ``element_order()``; the current questionnaire's when nobody answered."""
        if self._codes is None:
            rows = self.scope.tallies("respondents").filter(selectors.tally_period(self.start, self.end))
            versions = rows.values("questionnaire")
            used = set(Element.objects.filter(questionnaire__in=versions).values_list("code", flat=True))
            if used:
                self._codes = [code for code in selectors.element_order() if code in used]
                self._codes += sorted(used - set(self._codes))
            else:
                current = Element.objects.filter(questionnaire__is_current=True).order_by("position")
                self._codes = list(current.values_list("code", flat=True))
        return self._codes

    def queryset(self) -> QuerySet[Response]:
        condition = Q()
        if self.scope.service is not None:
            condition &= Q(service=self.scope.service)
        elif self.scope.agency is not None:
            condition &= Q(service__agency=self.scope.agency)
        if self.start is not None:
            condition &= Q(day__gte=self.start)
        if self.end is not None:
            condition &= Q(day__lte=self.end)
        return Response.objects.filter(condition, status=Status.ACCEPTED).order_by("pk")

    def headers(self) -> list[str]:
        return [
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
            *self.codes(),
            "saran",
        ]

    def rows(self) -> Iterator[list[Any]]:
        codes = self.codes()
        values = self.queryset().values_list(*self.FIELDS).iterator(chunk_size=ROW_CHUNK)
        for (
            pk,
            day,
            submitted_at,
            agency_code,
            service_code,
            service_name,
            channel,
            assisted,
            version,
            gender,
            age,
            education,
            occupation,
            answers,
            suggestion,
            hidden,
        ) in values:
            yield [
                pk,
                day,
                submitted_at.astimezone(JAKARTA).isoformat(timespec="seconds"),
                agency_code,
                service_code,
                service_name,
                channel,
                ASSISTED_VALUES[assisted],
                version,
                gender,
                age,
                education,
                occupation,
                *(answers.get(code) for code in codes),
                "" if hidden else suggestion,
            ]


class ElementRecapExporter(Exporter):
    """Per-element results of the scope and period, read from the tallies by
    ``surveys.selectors.results``, then the national 9-element score (when the questionnaire
    has those nine) and the index itself as the last row."""

    identifier = "rekap-unsur"
    verbose_name = _("Per-element recap")
    description = _(
        "One row per element: responses, total of the answers, NRR, score and grade; "
        "then the satisfaction index (IKM) of the whole period."
    )

    def headers(self) -> list[str]:
        return ["kode_unsur", "pertanyaan", "jumlah_responden", "total_nilai", "nrr", "nilai", "mutu"]

    def rows(self) -> Iterator[list[Any]]:
        results = selectors.results(scope=self.scope, start=self.start, end=self.end)
        questions = selectors.element_questions()
        for element in results.index.elements:
            yield [
                element.code,
                questions.get(element.code, ""),
                element.responses,
                element.total,
                _four(element.nrr),
                element.score,
                element.grade,
            ]
        index = results.index
        if index.national is not None:
            national = index.national
            yield [
                "IKM_NASIONAL",
                gettext("Index over the nine national elements (PermenPANRB 14/2017)"),
                index.respondents,
                None,
                _four(national.index),
                national.score,
                national.grade,
            ]
        yield [
            "IKM",
            gettext("Community satisfaction index (IKM)"),
            index.respondents,
            None,
            _four(index.index),
            index.score,
            index.grade,
        ]


def _four(value):
    return round_half_up(value, 4) if value is not None else None


EXPORTERS: dict[str, type[Exporter]] = {cls.identifier: cls for cls in (ResponsesExporter, ElementRecapExporter)}
"""Every export by identifier, in the order the exports page lists them."""


def csv_chunks(exporter: Exporter) -> Iterator[bytes]:
    """The export as UTF-8 CSV with a byte-order mark (so Excel reads it as UTF-8), in chunks
    of about ``CSV_FLUSH_BYTES``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(exporter.headers())
    for row in exporter.rows():
        writer.writerow([neutralise(cell) for cell in row])
        if buffer.tell() >= CSV_FLUSH_BYTES:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def csv_response(exporter: Exporter, filename: str) -> StreamingHttpResponse:
    """Stream the export as CSV; rows are read from the database while they are sent."""
    response = StreamingHttpResponse(csv_chunks(exporter), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, str):
        # Control characters have no place in a cell; drop them.
        return neutralise(_ILLEGAL_CHARACTERS.sub("", value))
    return value


def _sheet_title(exporter: Exporter) -> str:
    return _SHEET_TITLE_FORBIDDEN.sub(" ", str(exporter.verbose_name))[:31] or exporter.identifier


def xlsx_write(exporter: Exporter, file, progress: Callable[[int], None] | None = None) -> int:
    """Write the export as an XLSX workbook of one sheet to ``file`` (a path or a binary file)
    and return the number of data rows; ``progress(rows)`` is called every ``ROW_CHUNK`` rows.

    XlsxWriter's constant-memory mode writes each row out as soon as the next one starts, so
    memory does not grow with the rows."""
    workbook = Workbook(file, XLSX_OPTIONS)
    sheet = workbook.add_worksheet(_sheet_title(exporter))
    sheet.write_row(0, 0, [_xlsx_cell(value) for value in exporter.headers()])
    count = 0
    for count, row in enumerate(exporter.rows(), start=1):
        for column, value in enumerate(row):
            if value is not None:
                sheet.write(count, column, _xlsx_cell(value))
        if progress is not None and count % ROW_CHUNK == 0:
            progress(count)
    workbook.close()
    return count


def xlsx_response(exporter: Exporter, filename: str) -> FileResponse:
    """Build the XLSX in a temporary file (in memory while small) and send it."""
    file = tempfile.SpooledTemporaryFile(max_size=XLSX_MEMORY_BYTES)  # noqa: SIM115 (FileResponse closes it)
    try:
        xlsx_write(exporter, file)
        file.seek(0)
    except BaseException:
        file.close()
        raise
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
    patch_cache_control(response, private=True, no_store=True)
    return response


RENDERERS = {"csv": csv_response, "xlsx": xlsx_response}
"""File format → function(exporter, filename) returning the HTTP response."""
