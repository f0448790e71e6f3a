"""Open data: the satisfaction index of every active agency for one named period, as rows.

Read from the tallies through ``surveys.selectors.agency_ranking``, so the number of queries
does not depend on the number of responses or agencies. Rows carry Python values (dates,
Decimals, booleans, None); ``csv_text`` writes them machine-readably: dot decimals, ISO dates,
``true``/``false``, empty for "no data".
"""

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from surveys import periods
from surveys.index import round_half_up
from surveys.models import Questionnaire
from surveys.periods import Period, PeriodError
from surveys.selectors import agency_ranking, element_order

FIELDS = (
    "agency_code",
    "agency_name",
    "period",
    "period_start",
    "period_end",
    "provisional",
    "respondents",
    "index",
    "score",
    "grade",
    "performance",
)
NRR_PREFIX = "nrr_"
NAMED_KINDS = ("year", "semester", "quarter")

# A spreadsheet runs a cell starting with one of these as a formula; agency names are typed by
# an administrator, so every text cell is defused with a leading quote.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class OpenData:
    period: Period
    element_codes: list[str]
    rows: list[dict]

    @property
    def columns(self) -> list[str]:
        return [*FIELDS, *(NRR_PREFIX + code for code in self.element_codes)]


def named_period(key: str | None) -> Period:
    """The named period (year, semester or quarter) of ``key``; the current semester when none
    is given. Date ranges are refused: published results stay at the grain of a quarter or
    more, so a single day's respondents cannot be singled out."""
    if key is None or not key.strip():
        return periods.current_semester()
    period = periods.parse(key)
    if period.kind not in NAMED_KINDS:
        raise PeriodError(_("Choose a year, a semester or a quarter, e.g. 2026, 2026-S1 or 2026-T3."))
    return period


def open_data(*, period: Period) -> OpenData:
    """One row per active agency, by agency code, with its index for ``period`` and the NRR
    of every element of the current questionnaire (and of any other element answered in the
    period)."""
    ranking = sorted(agency_ranking(start=period.start, end=period.end), key=lambda ranked: ranked.agency.code)
    current = Questionnaire.objects.filter(is_current=True).prefetch_related("elements").first()
    wanted = {element.code for element in current.elements.all()} if current else set()
    for ranked in ranking:
        wanted.update(element.code for element in ranked.index.elements if element.responses)
    order = element_order()
    codes = [code for code in order if code in wanted] + sorted(wanted.difference(order))
    rows = []
    for ranked in ranking:
        index = ranked.index
        nrr = {element.code: element.nrr for element in index.elements}
        rows.append(
            {
                "agency_code": ranked.agency.code,
                "agency_name": ranked.agency.name,
                "period": period.key,
                "period_start": period.start,
                "period_end": period.end,
                "provisional": period.is_provisional,
                "respondents": index.respondents,
                "index": _rounded(index.index, 4),
                "score": index.score,
                "grade": index.grade,
                "performance": index.performance,
                **{NRR_PREFIX + code: _rounded(nrr.get(code), 4) for code in codes},
            }
        )
    return OpenData(period=period, element_codes=codes, rows=rows)


def _rounded(value, places: int) -> Decimal | None:
    return None if value is None else round_half_up(value, places)


def csv_cell(value: object) -> str:
    """One CSV cell: numbers with a dot, ISO dates, ``true``/``false``, text defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_text(data: OpenData) -> str:
    """The CSV of ``data``: a header row, then one line per agency."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns = data.columns
    writer.writerow(columns)
    for row in data.rows:
        writer.writerow([csv_cell(row[column]) for column in columns])
    return buffer.getvalue()
