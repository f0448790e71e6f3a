"""Import the paper survey file (DESIGN.md "Paper survey file"): all rows or none."""

import datetime
import hashlib
import io
import re
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from agencies.models import Agency
from standards.catalog_import import RowError
from standards.models import Service
from standards.tabular import LIMITS, TableError, read_table
from surveys.models import Education, Gender, Occupation, PaperBatch, Questionnaire, Response, Status
from surveys.services import (
    BatchAlreadyImported,
    PaperRow,
    current_questionnaire,
    paper_batch_for_content,
    response_validate,
    responses_import,
)

PROFILE_COLUMNS = {"gender": "jenis_kelamin", "age": "usia", "education": "pendidikan", "occupation": "pekerjaan"}
FIXED_COLUMNS = ("kode_layanan", "tanggal", *PROFILE_COLUMNS.values())
OPTIONAL_COLUMNS = ("saran", "versi", "nomor_formulir", "dibantu")
YES, NO = ("ya", "y", "1"), ("tidak", "t", "0", "")
MAX_SERIAL_LENGTH = 60
CHOICES = {"gender": Gender.values, "education": Education.values, "occupation": Occupation.values}
EARLIEST_DAY = datetime.date(2000, 1, 1)
# A date typed as text, or the ISO text read_table makes of a spreadsheet date-time cell.
_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


class ResponseImportError(Exception):
    """The file was refused; nothing was stored. ``errors`` names every bad row."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class ResponseImportResult:
    imported: int = 0
    batch: PaperBatch | None = None
    ignored_columns: list[str] = field(default_factory=list)


def paper_columns(codes: list[str]) -> list[str]:
    """The columns of the paper survey file, in the order the template gives them."""
    return [*FIXED_COLUMNS, *codes, *OPTIONAL_COLUMNS]


def already_imported_message(batch: PaperBatch) -> str:
    day = formats.date_format(timezone.localtime(batch.created_at).date(), "Y-m-d")
    return _("This file was already imported as batch %(batch)d on %(date)s; nothing was stored.") % {
        "batch": batch.pk,
        "date": day,
    }


class _Versions:
    """Every questionnaire version, and which one was in force on a day."""

    def __init__(self):
        self.all = list(Questionnaire.objects.prefetch_related("elements").order_by("version"))
        self.by_number = {q.version: q for q in self.all}
        self.codes = {q.version: [e.code for e in q.elements.all()] for q in self.all}
        self.started = [(timezone.localdate(q.created_at), q) for q in self.all]
        self.current = next((q for q in self.all if q.is_current), self.all[-1] if self.all else None)

    def in_force(self, day: datetime.date) -> Questionnaire:
        """The newest version made on or before ``day``; before the first one, the first."""
        chosen = self.all[0]
        for started, questionnaire in self.started:
            if started <= day:
                chosen = questionnaire
        return chosen


def _column_error(column: str, message: str) -> str:
    return f"{column}: {message}"


def _service_problem(service: Service | None, code: str, agency: Agency | None) -> str | None:
    if not code:
        return _column_error("kode_layanan", _("This cell is empty."))
    # An operator learns nothing about other agencies: their services are simply unknown.
    if service is None or (agency is not None and service.agency_id != agency.pk):
        return _column_error("kode_layanan", _("Unknown service code “%(code)s”.") % {"code": code})
    if not service.is_published or not service.agency.is_active:
        return _column_error(
            "kode_layanan",
            _("Service “%(code)s” is not published and does not take survey responses.") % {"code": code},
        )
    return None


def _day(value: str, today: datetime.date) -> tuple[datetime.date | None, str | None]:
    if not value:
        return None, _column_error("tanggal", _("This cell is empty."))
    match = _DAY.match(value)
    day = None
    if match:
        try:
            day = datetime.date.fromisoformat(match.group(1))
        except ValueError:
            day = None
    if day is None:
        return None, _column_error("tanggal", _("“%(value)s” is not a date in the form YYYY-MM-DD.") % {"value": value})
    if day > today:
        return None, _column_error("tanggal", _("%(day)s is in the future.") % {"day": day.isoformat()})
    if day < EARLIEST_DAY:
        return None, _column_error(
            "tanggal", _("%(day)s is before %(earliest)s.") % {"day": day.isoformat(), "earliest": EARLIEST_DAY}
        )
    return day, None


def _validation_messages(exc: ValidationError, profile: dict[str, str]) -> list[str]:
    """Name each problem by the file's column, not by the field behind it."""
    messages = []
    for key, errors in exc.message_dict.items():
        if key.startswith("answers."):
            column = key.removeprefix("answers.")
        else:
            column = PROFILE_COLUMNS.get(key, "saran" if key == "suggestion" else key)
        value = profile.get(key, "")
        for message in errors:
            if key == "answers":
                messages.append(message)
                continue
            if key in CHOICES and value:
                # The generic "choose one of the listed options" means nothing in a file.
                message = _("“%(value)s” is not one of: %(codes)s.") % {
                    "value": value,
                    "codes": ", ".join(CHOICES[key]),
                }
            messages.append(_column_error(column, message))
    return messages


def _serial(value: str, number: int, seen: dict[str, int]) -> tuple[str | None, str | None]:
    serial = value.strip()
    if not serial:
        return None, None
    if len(serial) > MAX_SERIAL_LENGTH:
        return None, _column_error(
            "nomor_formulir", _("The form serial may be at most %(max)d characters long.") % {"max": MAX_SERIAL_LENGTH}
        )
    if serial in seen:
        return None, _column_error(
            "nomor_formulir",
            _("Form serial “%(serial)s” also appears on row %(row)d.") % {"serial": serial, "row": seen[serial]},
        )
    seen[serial] = number
    return serial, None


def _assisted(value: str) -> tuple[bool, str | None]:
    text = value.strip().lower()
    if text in YES:
        return True, None
    if text in NO:
        return False, None
    return False, _column_error("dibantu", _("“%(value)s” is not “ya” or “tidak”.") % {"value": value})


def _version(value: str, day: datetime.date | None, versions: _Versions) -> tuple[Questionnaire | None, str | None]:
    text = value.strip().lower().removeprefix("v")
    if not text:
        # Without a date the row is refused anyway; its answers are still checked.
        return (versions.in_force(day) if day else versions.current), None
    if text.isdigit() and int(text) in versions.by_number:
        return versions.by_number[int(text)], None
    known = ", ".join(str(v) for v in versions.by_number)
    return None, _column_error(
        "versi",
        _("“%(value)s” is not a questionnaire version; the versions are: %(known)s.")
        % {"value": value, "known": known},
    )


def _serials_imported(serials: dict[str, int]) -> list[RowError]:
    """Rows whose serial a counted or held response already carries."""
    taken = (
        Response.objects.filter(form_serial__in=list(serials))
        .exclude(status=Status.VOID)
        .select_related("batch")
        .order_by("pk")
    )
    errors = []
    for response in taken:
        batch = response.batch
        where = (
            _("batch %(batch)d on %(date)s")
            % {"batch": batch.pk, "date": formats.date_format(timezone.localtime(batch.created_at).date(), "Y-m-d")}
            if batch
            else _("an earlier import")
        )
        errors.append(
            RowError(
                serials[response.form_serial],
                _column_error(
                    "nomor_formulir",
                    _("Form serial “%(serial)s” was already imported in %(where)s.")
                    % {"serial": response.form_serial, "where": where},
                ),
            )
        )
    return sorted(errors, key=lambda e: e.row)


def responses_import_file(
    *, file: IO[bytes], filename: str, agency: Agency | None = None, actor: User | None = None
) -> ResponseImportResult:
    """Store the paper survey responses of a CSV or XLSX file as one batch, channel ``paper``.

    A file whose content (SHA-256) was imported before is refused naming that batch. Each row
    is checked against the questionnaire version printed on the form (``versi``; without it,
    the version in force on ``tanggal``) and the allowed profile values; a blank, ``0`` or
    ``-`` answer is "not answered", but a row must answer at least one element, and a value in
    the column of an element that version lacks is an error. A form serial (``nomor_formulir``)
    may appear once in the file and must not be counted or held already. The service must
    exist, be published and, when ``agency`` is given, belong to it (a service of another
    agency is reported as unknown). The date may not be in the future (Asia/Jakarta) nor
    before 2000. Raises ResponseImportError with every bad row and stores nothing if any row
    is bad; otherwise stores all rows in one transaction and updates the tallies.
    """
    data = file.read(LIMITS.file_bytes + 1)  # read_table refuses anything larger
    sha256 = hashlib.sha256(data).hexdigest()
    earlier = paper_batch_for_content(sha256)
    if earlier is not None:
        raise ResponseImportError([RowError(1, already_imported_message(earlier))])
    versions = _Versions()
    if not versions.all:
        current_questionnaire()  # raises Questionnaire.DoesNotExist, as the callers expect
    # Columns every version has are required whatever the form's version; the rest per row.
    common = [
        code for code in versions.codes[versions.current.version] if all(code in c for c in versions.codes.values())
    ]
    try:
        table = read_table(io.BytesIO(data), filename, required=[*FIXED_COLUMNS, *common])
    except TableError as exc:
        raise ResponseImportError([RowError(exc.row, exc.message)]) from None

    header = set(table.header)
    all_codes = {code for codes in versions.codes.values() for code in codes}
    if not any(set(codes) <= header for codes in versions.codes.values()):
        current = current_questionnaire()
        missing = [code for code in versions.codes[current.version] if code not in header]
        raise ResponseImportError(
            [RowError(1, _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)})]
        )
    known = set(FIXED_COLUMNS) | all_codes | set(OPTIONAL_COLUMNS)
    element_columns = [c for c in table.header if c in all_codes]
    result = ResponseImportResult(ignored_columns=[c for c in table.header if c and c not in known])
    if not table.rows:
        raise ResponseImportError([RowError(2, _("The file has a header but no rows."))])

    service_codes = {values["kode_layanan"] for _number, values in table.rows}
    services = {s.code: s for s in Service.objects.select_related("agency").filter(code__in=service_codes)}
    today = timezone.localdate()
    errors: list[RowError] = []
    planned: list[PaperRow] = []
    serials: dict[str, int] = {}
    for number, values in table.rows:
        row_errors: list[str] = []
        service_code = values["kode_layanan"]
        service = services.get(service_code)
        problem = _service_problem(service, service_code, agency)
        if problem:
            row_errors.append(problem)
        day, problem = _day(values["tanggal"], today)
        if problem:
            row_errors.append(problem)
        questionnaire, problem = _version(values.get("versi", ""), day, versions)
        if problem:
            row_errors.append(problem)
        serial, problem = _serial(values.get("nomor_formulir", ""), number, serials)
        if problem:
            row_errors.append(problem)
        assisted, problem = _assisted(values.get("dibantu", ""))
        if problem:
            row_errors.append(problem)
        profile = {
            "gender": values["jenis_kelamin"].upper(),
            "age": values["usia"],
            "education": values["pendidikan"].lower(),
            "occupation": values["pekerjaan"].lower(),
        }
        answers = {}
        if questionnaire is not None:
            codes = versions.codes[questionnaire.version]
            absent = [code for code in codes if code not in header]
            if absent:
                row_errors.append(
                    _("Columns missing for questionnaire version %(version)d: %(columns)s.")
                    % {"version": questionnaire.version, "columns": ", ".join(absent)}
                )
            for column in element_columns:
                if column not in codes and values[column].strip() not in ("", "0", "-"):
                    row_errors.append(
                        _column_error(
                            column,
                            _("Questionnaire version %(version)d has no element “%(code)s”.")
                            % {"version": questionnaire.version, "code": column},
                        )
                    )
            try:
                answers, cleaned_profile, suggestion = response_validate(
                    questionnaire=questionnaire,
                    answers={code: values.get(code, "") for code in codes},
                    profile=profile,
                    suggestion=values.get("saran", ""),
                    allow_unanswered=True,
                )
            except ValidationError as exc:
                row_errors.extend(_validation_messages(exc, profile))
        errors.extend(RowError(number, message) for message in row_errors)
        if not row_errors:
            planned.append(
                PaperRow(
                    service=service,
                    questionnaire=questionnaire,
                    answers=answers,
                    profile=cleaned_profile,
                    suggestion=suggestion,
                    day=day,
                    form_serial=serial,
                    assisted=assisted,
                )
            )

    if serials:
        errors.extend(_serials_imported(serials))
    if errors:
        raise ResponseImportError(sorted(errors, key=lambda e: e.row))
    try:
        batch = responses_import(rows=planned, filename=filename, sha256=sha256, actor=actor, agency=agency)
    except BatchAlreadyImported as exc:
        raise ResponseImportError([RowError(1, already_imported_message(exc.batch))]) from None
    result.batch, result.imported = batch, batch.rows
    return result
