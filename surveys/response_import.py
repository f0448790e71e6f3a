"""Import the paper survey file (DESIGN.md "Paper survey file"): all rows or none."""

import datetime
import re
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from agencies.models import Agency
from standards.catalog_import import RowError
from standards.models import Service
from standards.tabular import TableError, read_table
from surveys.models import Education, Gender, Occupation
from surveys.services import current_questionnaire, response_validate, responses_import

PROFILE_COLUMNS = {"gender": "jenis_kelamin", "age": "usia", "education": "pendidikan", "occupation": "pekerjaan"}
FIXED_COLUMNS = ("kode_layanan", "tanggal", *PROFILE_COLUMNS.values())
OPTIONAL_COLUMNS = ("saran",)
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
    ignored_columns: list[str] = field(default_factory=list)


def paper_columns(codes: list[str]) -> list[str]:
    """The columns of the paper survey file, in the order the template gives them."""
    return [*FIXED_COLUMNS, *codes, *OPTIONAL_COLUMNS]


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
            if key in CHOICES and value:
                # The generic "choose one of the listed options" means nothing in a file.
                message = _("“%(value)s” is not one of: %(codes)s.") % {
                    "value": value,
                    "codes": ", ".join(CHOICES[key]),
                }
            messages.append(_column_error(column, message))
    return messages


def responses_import_file(
    *, file: IO[bytes], filename: str, agency: Agency | None = None, actor: User | None = None
) -> ResponseImportResult:
    """Store the paper survey responses of a CSV or XLSX file, with channel ``paper``.

    Every row is checked against the current questionnaire and the allowed profile values; the
    service must exist, be published and, when ``agency`` is given, belong to it (a service of
    another agency is reported as unknown). The date may not be in the future (Asia/Jakarta)
    nor before 2000. Raises ResponseImportError with every bad row and stores nothing if any
    row is bad; otherwise stores all rows in one transaction and updates the tallies.
    """
    questionnaire = current_questionnaire()
    codes = [element.code for element in questionnaire.elements.all()]
    required = [*FIXED_COLUMNS, *codes]
    try:
        table = read_table(file, filename, required=required)
    except TableError as exc:
        raise ResponseImportError([RowError(exc.row, exc.message)]) from None

    known = set(required) | set(OPTIONAL_COLUMNS)
    result = ResponseImportResult(ignored_columns=[c for c in table.header if c and c not in known])
    if not table.rows:
        raise ResponseImportError([RowError(2, _("The file has a header but no rows."))])

    service_codes = {values["kode_layanan"] for _number, values in table.rows}
    services = {s.code: s for s in Service.objects.select_related("agency").filter(code__in=service_codes)}
    today = timezone.localdate()
    errors: list[RowError] = []
    planned = []
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
        profile = {
            "gender": values["jenis_kelamin"].upper(),
            "age": values["usia"],
            "education": values["pendidikan"].lower(),
            "occupation": values["pekerjaan"].lower(),
        }
        try:
            answers, cleaned_profile, suggestion = response_validate(
                questionnaire=questionnaire,
                answers={code: values[code] for code in codes},
                profile=profile,
                suggestion=values.get("saran", ""),
            )
        except ValidationError as exc:
            row_errors.extend(_validation_messages(exc, profile))
        errors.extend(RowError(number, message) for message in row_errors)
        if not row_errors:
            planned.append((service, answers, cleaned_profile, suggestion, day))

    if errors:
        raise ResponseImportError(errors)
    result.imported = responses_import(rows=planned, actor=actor)
    return result
