"""Reporting periods: Triwulan I–IV, Semester I–II, a year, or any date range.

A period is written in URLs and forms as ``2026``, ``2026-S1``, ``2026-T3`` or
``2026-01-15..2026-02-20``.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_KEY = re.compile(r"^(?P<year>\d{4})(?:-(?P<kind>[ST])(?P<number>[1-4]))?$")
_RANGE = re.compile(r"^(?P<start>\d{4}-\d{2}-\d{2})\.\.(?P<end>\d{4}-\d{2}-\d{2})$")
MIN_YEAR, MAX_YEAR = 2000, 2100
# Every date a person or a program types, on pages and in the API, is held to these years: the
# tally reads step months and years from it, and 9999-12-31 plus a month is no date.
FIRST_DAY, LAST_DAY = datetime.date(MIN_YEAR, 1, 1), datetime.date(MAX_YEAR, 12, 31)


class PeriodError(ValueError):
    """A period that cannot be read; the message says why, in the user's language."""


@dataclass(frozen=True)
class Period:
    key: str
    start: datetime.date
    end: datetime.date
    kind: str  # "year", "semester", "quarter" or "range"

    @property
    def label(self) -> str:
        if self.kind == "year":
            return pgettext("period", "Year %(year)d") % {"year": self.start.year}
        if self.kind == "semester":
            number = 1 if self.start.month == 1 else 2
            return pgettext("period", "Semester %(number)s %(year)d") % {
                "number": _ROMAN[number],
                "year": self.start.year,
            }
        if self.kind == "quarter":
            number = (self.start.month - 1) // 3 + 1
            return pgettext("period", "Quarter %(number)s %(year)d") % {
                "number": _ROMAN[number],
                "year": self.start.year,
            }
        return _("%(start)s to %(end)s") % {
            "start": self.start.strftime("%d-%m-%Y"),
            "end": self.end.strftime("%d-%m-%Y"),
        }

    @property
    def is_provisional(self) -> bool:
        """Results of a period that has not ended yet may still change."""
        return self.end >= timezone.localdate()

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def _month_end(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def year(value: int) -> Period:
    return Period(str(value), datetime.date(value, 1, 1), datetime.date(value, 12, 31), "year")


def semester(value: int, number: int) -> Period:
    first = 1 if number == 1 else 7
    return Period(f"{value}-S{number}", datetime.date(value, first, 1), _month_end(value, first + 5), "semester")


def quarter(value: int, number: int) -> Period:
    first = 3 * (number - 1) + 1
    return Period(f"{value}-T{number}", datetime.date(value, first, 1), _month_end(value, first + 2), "quarter")


def _out_of_range_message() -> str:
    return _("Choose a date between %(first)s and %(last)s.") % {
        "first": FIRST_DAY.isoformat(),
        "last": LAST_DAY.isoformat(),
    }


def validate_day(day: datetime.date) -> None:
    """The validator of every date field (forms and API serializers): a date from FIRST_DAY to
    LAST_DAY, or a ValidationError saying so."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(_out_of_range_message(), code="date_out_of_range")


def date_range(start: datetime.date, end: datetime.date) -> Period:
    if end < start:
        raise PeriodError(_("The end date is before the start date."))
    if start.year < MIN_YEAR or end.year > MAX_YEAR:
        # Also keeps the month arithmetic of the tally reads inside the dates Python can hold.
        raise PeriodError(_("The year must be between %(min)d and %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR})
    return Period(f"{start.isoformat()}..{end.isoformat()}", start, end, "range")


def parse(key: str) -> Period:
    """Read a period key; raise PeriodError with a readable message when it is not one."""
    key = (key or "").strip()
    if match := _KEY.match(key):
        value = int(match["year"])
        if not MIN_YEAR <= value <= MAX_YEAR:
            raise PeriodError(_("The year must be between %(min)d and %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR})
        if match["kind"] is None:
            return year(value)
        number = int(match["number"])
        if match["kind"] == "S":
            if number > 2:
                raise PeriodError(_("A year has two semesters."))
            return semester(value, number)
        return quarter(value, number)
    if match := _RANGE.match(key):
        try:
            start = datetime.date.fromisoformat(match["start"])
            end = datetime.date.fromisoformat(match["end"])
        except ValueError:
            raise PeriodError(_("Not a valid date.")) from None
        return date_range(start, end)
    raise PeriodError(_("Unknown period “%(key)s”. Use e.g. 2026, 2026-S1 or 2026-T3.") % {"key": key[:40]})


def current_semester() -> Period:
    today = timezone.localdate()
    return semester(today.year, 1 if today.month <= 6 else 2)


def choices(years: range) -> list[Period]:
    """The named periods of ``years``, newest first: each year, its semesters and quarters."""
    periods = []
    for value in reversed(years):
        periods.append(year(value))
        periods += [semester(value, n) for n in (2, 1)]
        periods += [quarter(value, n) for n in (4, 3, 2, 1)]
    return periods
