"""Import the service catalog file (DESIGN.md "Service catalog file"): all rows or none."""

from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agencies.models import Agency, AgencyKind, code_validator, nip_validator
from standards.models import CATALOG_COLUMNS, Service
from standards.tabular import TableError, read_table

REQUIRED_COLUMNS = ("kode_opd", "nama_opd", "kode_layanan", "nama_layanan")
# Service fields that are not standard components but come in the same file.
SERVICE_COLUMNS = {**CATALOG_COLUMNS, "unit": "unit", "opening_hours": "jam_layanan"}
FIELD_FOR_COLUMN = {column: name for name, column in SERVICE_COLUMNS.items()}
# The agency's identity, repeated on its rows; an empty cell leaves what is stored.
AGENCY_COLUMNS = {
    "alamat_opd": "address",
    "telepon_opd": "phone",
    "kepala_opd": "head_name",
    "nip_kepala_opd": "head_nip",
    "jabatan_kepala_opd": "head_title",
}
KNOWN_COLUMNS = set(REQUIRED_COLUMNS) | set(FIELD_FOR_COLUMN) | set(AGENCY_COLUMNS)


@dataclass(frozen=True)
class RowError:
    row: int
    message: str

    def __str__(self) -> str:
        return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}


class CatalogImportError(Exception):
    """The file was refused; nothing was stored. ``errors`` names every bad row."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class CatalogImportResult:
    agencies_created: int = 0
    services_created: int = 0
    services_updated: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """What the import did, in words with the right plural for each count."""
        parts = (
            ngettext("%(count)d new agency", "%(count)d new agencies", self.agencies_created),
            ngettext("%(count)d new service", "%(count)d new services", self.services_created),
            ngettext("%(count)d service updated", "%(count)d services updated", self.services_updated),
        )
        counts = (self.agencies_created, self.services_created, self.services_updated)
        return _("Imported: %(done)s.") % {
            "done": ", ".join(part % {"count": count} for part, count in zip(parts, counts, strict=True))
        }


def _length_error(value: str, limit: int, column: str) -> str | None:
    if len(value) > limit:
        return _("“%(column)s” is longer than %(limit)d characters.") % {"column": column, "limit": limit}
    return None


def _code_error(value: str, column: str) -> str | None:
    try:
        code_validator(value)
    except ValidationError:
        return _("“%(column)s” may hold only letters, digits, dots, hyphens and underscores (got “%(value)s”).") % {
            "column": column,
            "value": value,
        }
    return None


def catalog_import(*, file: IO[bytes], filename: str) -> CatalogImportResult:
    """Create or update agencies and services from a catalog file.

    An unknown agency code creates the agency; an existing service code updates that service
    (only the columns present in the file). Raises CatalogImportError with every bad row and
    stores nothing if any row is bad.
    """
    try:
        table = read_table(file, filename, required=REQUIRED_COLUMNS)
    except TableError as exc:
        raise CatalogImportError([RowError(exc.row, exc.message)]) from None

    present_fields = [FIELD_FOR_COLUMN[c] for c in table.header if c in FIELD_FOR_COLUMN]
    result = CatalogImportResult(ignored_columns=[c for c in table.header if c and c not in KNOWN_COLUMNS])
    if not table.rows:
        raise CatalogImportError([RowError(2, _("The file has a header but no rows."))])

    agencies = {a.code: a for a in Agency.objects.all()}
    services = {s.code: s for s in Service.objects.select_related("agency")}
    new_agency_names: dict[str, tuple[str, int]] = {}
    seen_services: dict[str, int] = {}
    url_validator = URLValidator(schemes=["http", "https"])
    errors: list[RowError] = []
    planned: list[tuple[str, str, dict[str, str]]] = []
    agency_values: dict[str, dict[str, tuple[str, int]]] = {}

    for number, values in table.rows:
        row_errors: list[str] = []
        agency_code, agency_name = values["kode_opd"], values["nama_opd"]
        code, name = values["kode_layanan"], values["nama_layanan"]
        for column in REQUIRED_COLUMNS:
            if not values[column]:
                row_errors.append(_("“%(column)s” is empty.") % {"column": column})
        for problem in (
            agency_code and _code_error(agency_code, "kode_opd"),
            code and _code_error(code, "kode_layanan"),
            _length_error(agency_code, 40, "kode_opd"),
            _length_error(agency_name, 200, "nama_opd"),
            _length_error(code, 60, "kode_layanan"),
            _length_error(name, 255, "nama_layanan"),
        ):
            if problem:
                row_errors.append(problem)
        url = values.get("tautan_online", "")
        if url:
            try:
                url_validator(url)
            except ValidationError:
                row_errors.append(_("“tautan_online” is not a valid http(s) link: “%(url)s”.") % {"url": url})
            else:
                problem = _length_error(url, Service._meta.get_field("online_url").max_length, "tautan_online")
                if problem:
                    row_errors.append(problem)
        if code in seen_services:
            row_errors.append(
                _("Service code “%(code)s” also appears on row %(other)d.")
                % {"code": code, "other": seen_services[code]}
            )
        elif code:
            seen_services[code] = number
        existing = services.get(code)
        if existing is not None and agency_code and existing.agency.code != agency_code:
            row_errors.append(
                _("Service code “%(code)s” already belongs to agency “%(agency)s”.")
                % {"code": code, "agency": existing.agency.code}
            )
        if agency_code and agency_code not in agencies and agency_name:
            first = new_agency_names.setdefault(agency_code, (agency_name, number))
            if first[0] != agency_name:
                row_errors.append(
                    _("Agency “%(code)s” has another name on row %(other)d.") % {"code": agency_code, "other": first[1]}
                )
        for field_name in ("unit", "opening_hours"):
            column = SERVICE_COLUMNS[field_name]
            limit = Service._meta.get_field(field_name).max_length
            if problem := _length_error(values.get(column, ""), limit, column):
                row_errors.append(problem)
        row_errors += _agency_identity_errors(agency_code, values, number, agency_values)
        errors.extend(RowError(number, message) for message in row_errors)
        if not row_errors:
            planned.append((agency_code, code, values))

    if errors:
        raise CatalogImportError(errors)

    with transaction.atomic():
        for agency_code, (agency_name, _row) in new_agency_names.items():
            agencies[agency_code] = Agency.objects.create(
                code=agency_code, name=agency_name, kind=AgencyKind.guess(agency_name)
            )
            result.agencies_created += 1
        for agency_code, code, values in planned:
            service = services.get(code) or Service(code=code, agency=agencies[agency_code])
            is_new = service.pk is None
            service.name = values["nama_layanan"]
            for field_name in present_fields:
                setattr(service, field_name, values[SERVICE_COLUMNS[field_name]])
            service.save()
            if is_new:
                result.services_created += 1
            else:
                result.services_updated += 1
        for agency_code, given in agency_values.items():
            agency = agencies[agency_code]
            for column, (value, _row) in given.items():
                setattr(agency, AGENCY_COLUMNS[column], value)
            agency.save()
    return result


def _agency_identity_errors(
    agency_code: str, values: dict[str, str], number: int, seen: dict[str, dict[str, tuple[str, int]]]
) -> list[str]:
    """Check one row's agency columns: lengths, the NIP's 18 digits, and that rows of the same
    agency do not disagree. Records the values to store in ``seen``."""
    problems = []
    for column, field_name in AGENCY_COLUMNS.items():
        value = values.get(column, "")
        if not value or not agency_code:
            continue
        limit = Agency._meta.get_field(field_name).max_length
        if limit and (problem := _length_error(value, limit, column)):
            problems.append(problem)
            continue
        if column == "nip_kepala_opd":
            try:
                nip_validator(value)
            except ValidationError:
                problems.append(_("“nip_kepala_opd” must be 18 digits (got “%(value)s”).") % {"value": value})
                continue
        first = seen.setdefault(agency_code, {}).setdefault(column, (value, number))
        if first[0] != value:
            problems.append(
                _("Agency “%(code)s” has another “%(column)s” on row %(other)d.")
                % {"code": agency_code, "column": column, "other": first[1]}
            )
    return problems
