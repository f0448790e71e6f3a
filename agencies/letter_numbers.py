"""Letter number patterns (the regency identity's, e.g. ``700/{seq}/ORG/{year}``): what a
pattern may hold and how a number is written from it."""

import datetime
import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_PATTERN = "700/{seq}/ORG/{year}"
PLACEHOLDERS = {"seq", "year", "month", "roman_month", "agency"}
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def pattern_check(pattern: str) -> str:
    """The pattern if it is usable, else ValidationError naming what is wrong: it must hold
    ``{seq}`` and only the known placeholders."""
    try:
        names = {name for _text, name, _spec, _conversion in string.Formatter().parse(pattern) if name is not None}
    except ValueError:
        raise ValidationError(_("The pattern has an unmatched “{” or “}”.")) from None
    unknown = sorted(names - PLACEHOLDERS)
    if unknown:
        raise ValidationError(
            _("Unknown placeholders: %(names)s. Use {seq}, {year}, {month}, {roman_month} or {agency}.")
            % {"names": ", ".join("{" + name + "}" for name in unknown)}
        )
    if "seq" not in names:
        raise ValidationError(_("The pattern needs {seq}, the letter's sequence number."))
    return pattern


def letter_number_format(pattern: str, *, seq: int, day: datetime.date, agency_code: str) -> str:
    return pattern.format(
        seq=seq, year=day.year, month=f"{day.month:02d}", roman_month=ROMAN_MONTHS[day.month - 1], agency=agency_code
    )
