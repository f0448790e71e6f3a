"""Tallies kept in step with responses, per day and per month, and their rebuild.

Only accepted responses are counted. Increments are SQL upserts (``INSERT … ON CONFLICT DO
UPDATE SET count = count + excluded.count``), which PostgreSQL and SQLite both run atomically,
so concurrent submissions never lose a count. Increments may be negative (a response held or
voided leaves the count) and move every table alike: ``UPDATE … SET count = count - n`` on
rows that must exist, and a row that reaches zero is deleted, so the tables hold exactly what
a recount would.

Each response is counted per service and rolled up per agency and for the whole regency, in
the same statements' transaction. Roll-up rows are sharded by service (``service_id`` modulo
the level's shard count): a row lock is held until commit, and one row per agency or for the
regency would make concurrent submissions to different services queue behind each other
(``bench/README.md``: one hot row serves a third to a half of the upserts spread rows do).
Shards are a function of the service, so a recount gives the same keys and the check stays
exact.
"""

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from surveys.models import (
    AgencyElementTally,
    AgencyProfileTally,
    AgencyRespondentTally,
    ElementTally,
    ProfileTally,
    RegencyElementTally,
    RegencyProfileTally,
    RegencyRespondentTally,
    RespondentTally,
    Response,
    Span,
    Status,
    age_group,
)
from surveys.stamps import RESULTS, stamp_bump

# Rows per INSERT: keeps every statement far below SQLite's limit on bound parameters.
UPSERT_BATCH = 200

# Roll-up shards: an agency's services spread over AGENCY_SHARDS rows per key, the regency's over
# REGENCY_SHARDS. Reads sum at most this many rows per key; writers to different services rarely
# meet on one row.
AGENCY_SHARDS = 4
REGENCY_SHARDS = 16

# Each tally table with the columns that identify a row besides span and day.
TABLES = {
    "respondents": (RespondentTally, ("service_id", "questionnaire_id")),
    "elements": (ElementTally, ("service_id", "questionnaire_id", "element_code", "value")),
    "profiles": (ProfileTally, ("service_id", "dimension", "value")),
    "agency_respondents": (AgencyRespondentTally, ("agency_id", "shard", "questionnaire_id")),
    "agency_elements": (AgencyElementTally, ("agency_id", "shard", "questionnaire_id", "element_code", "value")),
    "agency_profiles": (AgencyProfileTally, ("agency_id", "shard", "dimension", "value")),
    "regency_respondents": (RegencyRespondentTally, ("shard", "questionnaire_id")),
    "regency_elements": (RegencyElementTally, ("shard", "questionnaire_id", "element_code", "value")),
    "regency_profiles": (RegencyProfileTally, ("shard", "dimension", "value")),
}
# The roll-up tables of each service-level table, with what prefixes the service's key there.
ROLL_UPS = {
    "respondents": ("agency_respondents", "regency_respondents"),
    "elements": ("agency_elements", "regency_elements"),
    "profiles": ("agency_profiles", "regency_profiles"),
}
# The fields of a response its tallies are counted from (the agency is its service's).
RESPONSE_FIELDS = (
    "day",
    "service_id",
    "questionnaire_id",
    "answers",
    "gender",
    "age",
    "education",
    "occupation",
    "channel",
    "assisted",
    "service__agency_id",
)
# The values of the ``assisted`` profile dimension, as the paper file's ``dibantu`` column writes them.
ASSISTED_VALUES = {True: "ya", False: "tidak"}


def _upsert(model, key_columns: list[str], rows: list[tuple]) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [*key_columns, "count"]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    conflict = ", ".join(connection.ops.quote_name(c) for c in key_columns)
    count = connection.ops.quote_name("count")
    row_placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), UPSERT_BATCH):
            batch = rows[start : start + UPSERT_BATCH]
            sql = (
                f"INSERT INTO {table} ({quoted}) VALUES {', '.join([row_placeholder] * len(batch))} "  # noqa: S608 -- names come from models
                f"ON CONFLICT ({conflict}) DO UPDATE SET {count} = {table}.{count} + excluded.{count}"
            )
            cursor.execute(sql, [value for row in batch for value in row])


def _decrement(model, key_columns: list[str], rows: list[tuple]) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    count = connection.ops.quote_name("count")
    where = " AND ".join(f"{connection.ops.quote_name(c)} = %s" for c in key_columns)
    with connection.cursor() as cursor:
        for *key, n in rows:
            cursor.execute(f"UPDATE {table} SET {count} = {count} - %s WHERE {where}", [-n, *key])  # noqa: S608 -- names come from models
            if cursor.rowcount != 1:
                raise RuntimeError(f"{model.__name__} {key}: removing {-n} from a tally that does not exist")
            cursor.execute(f"DELETE FROM {table} WHERE {where} AND {count} = 0", key)  # noqa: S608 -- names come from models


def _keys(row: tuple) -> Iterator[tuple[str, tuple]]:
    """The tally keys (table, key without span and day) one response counts in, per service;
    ``_rolled_up`` adds the agency's and the regency's."""
    _day, service_id, questionnaire_id, answers, gender, age, education, occupation, channel, assisted, _agency = row
    yield "respondents", (service_id, questionnaire_id)
    for code, value in answers.items():
        yield "elements", (service_id, questionnaire_id, code, int(value))
    for dimension, value in (
        ("gender", gender),
        ("age_group", age_group(age)),
        ("education", education),
        ("occupation", occupation),
        ("channel", channel),
        ("assisted", ASSISTED_VALUES[bool(assisted)]),
    ):
        yield "profiles", (service_id, dimension, value)


def _rolled_up(table: str, key: tuple, agency_id: int) -> Iterator[tuple[str, tuple]]:
    """A service-level key (service id first) with its agency's and the regency's keys."""
    service_id, rest = key[0], key[1:]
    agency_table, regency_table = ROLL_UPS[table]
    yield table, key
    yield agency_table, (agency_id, service_id % AGENCY_SHARDS, *rest)
    yield regency_table, (service_id % REGENCY_SHARDS, *rest)


def count_rows(rows: Iterable[tuple], counts: dict[str, Counter] | None = None, sign: int = 1) -> dict[str, Counter]:
    """Count rows shaped like RESPONSE_FIELDS into per-table counters keyed (span, day, *key),
    adding to ``counts`` when given. ``sign=-1`` counts them out (for responses that leave the
    count); every table, roll-ups included, moves by the same amount."""
    if counts is None:
        counts = {table: Counter() for table in TABLES}
    for row in rows:
        day, agency_id = row[0], row[-1]
        month = day.replace(day=1)
        for service_table, service_key in _keys(row):
            for table, key in _rolled_up(service_table, service_key, agency_id):
                counts[table][(Span.DAY, day, *key)] += sign
                counts[table][(Span.MONTH, month, *key)] += sign
    return counts


def _as_row(response: Response) -> tuple:
    return (*(getattr(response, name) for name in RESPONSE_FIELDS[:-1]), response.service.agency_id)


def tallies_add(responses: Iterable[Response]) -> None:
    """Count ``responses`` into the day and month tallies. Call inside the transaction that
    stores them, or that makes them accepted."""
    write_counts(count_rows(_as_row(response) for response in responses))


def tallies_remove(responses: Iterable[Response]) -> None:
    """Take counted ``responses`` out of the day and month tallies and their roll-ups (the
    same path as ``tallies_add`` with negative counts). Call inside the transaction that holds
    or voids them."""
    write_counts(count_rows((_as_row(response) for response in responses), sign=-1))


def tallies_move_service(*, service_id: int, old_agency_id: int, new_agency_id: int) -> None:
    """Move a service's counted responses from one agency's roll-ups to another's (its service
    and regency tallies stay as they are). Call inside the transaction that moves the service."""
    rows = list(counted_responses().filter(service_id=service_id).values_list(*RESPONSE_FIELDS[:-1]))
    gone = count_rows((*row, old_agency_id) for row in rows)
    counts = count_rows((*row, new_agency_id) for row in rows)
    for table, counter in gone.items():
        counts[table].subtract(counter)
    write_counts(counts)


def write_counts(counts: dict[str, Counter]) -> None:
    """Apply counted increments (positive or negative) to the tally tables."""
    for table, (model, key_columns) in TABLES.items():
        # A fixed order keeps concurrent writers from deadlocking on PostgreSQL.
        rows = [(*key, n) for key, n in sorted(counts[table].items(), key=str) if n]
        columns = ["span", "day", *key_columns]
        if added := [row for row in rows if row[-1] > 0]:
            _upsert(model, columns, added)
        if removed := [row for row in rows if row[-1] < 0]:
            _decrement(model, columns, removed)
    today = timezone.localdate()
    if any(span == Span.DAY and day < today for span, day, *_key in counts["respondents"]):
        # Figures of closed periods are cached until this stamp moves (``surveys.stamps``).
        stamp_bump(RESULTS)


@dataclass(frozen=True)
class TallyDifference:
    table: str
    key: tuple
    stored: int
    expected: int


def _stored() -> dict[str, Counter]:
    stored = {}
    for table, (model, key_columns) in TABLES.items():
        rows = model.objects.values_list("span", "day", *key_columns, "count")
        stored[table] = Counter({row[:-1]: row[-1] for row in rows.iterator(chunk_size=5000)})
    return stored


def counted_responses():
    """The responses the tallies count: the accepted ones."""
    return Response.objects.filter(status=Status.ACCEPTED)


def tallies_compare() -> list[TallyDifference]:
    """Every tally that differs from a recount of the accepted responses."""
    responses = counted_responses().values_list(*RESPONSE_FIELDS).order_by("pk").iterator(chunk_size=5000)
    expected, stored = count_rows(responses), _stored()
    differences = []
    for table in TABLES:
        for key in sorted(set(expected[table]) | set(stored[table]), key=str):
            if expected[table][key] != stored[table][key]:
                differences.append(TallyDifference(table, key, stored[table][key], expected[table][key]))
    return differences


@transaction.atomic
def tallies_rebuild() -> list[TallyDifference]:
    """Recount every tally from the accepted responses; return what differed before the
    rebuild."""
    differences = tallies_compare()
    if differences:
        for model, _columns in TABLES.values():
            model.objects.all().delete()
        write_counts(
            count_rows(counted_responses().values_list(*RESPONSE_FIELDS).order_by("pk").iterator(chunk_size=5000))
        )
    return differences
