"""Tallies kept in step with responses, per day and per month, and their rebuild.

Only accepted responses are counted. Increments are SQL upserts (``INSERT … ON CONFLICT DO
UPDATE SET count = count + excluded.count``), which PostgreSQL and SQLite both run atomically,
so concurrent submissions never lose a count. Decrements (a response held or voided) are
``UPDATE … SET count = count - n`` on rows that must exist, and a row that reaches zero is
deleted, so the tables hold exactly what a recount would.
"""

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction

from surveys.models import ElementTally, ProfileTally, RespondentTally, Response, Span, Status, age_group

# Rows per INSERT: keeps every statement far below SQLite's limit on bound parameters.
UPSERT_BATCH = 200

# Each tally table with the columns that identify a row besides span and day.
TABLES = {
    "respondents": (RespondentTally, ("service_id", "questionnaire_id")),
    "elements": (ElementTally, ("service_id", "questionnaire_id", "element_code", "value")),
    "profiles": (ProfileTally, ("service_id", "dimension", "value")),
}
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
)


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
    """The tally keys (table, key without span and day) one response counts in."""
    _day, service_id, questionnaire_id, answers, gender, age, education, occupation, channel = row
    yield "respondents", (service_id, questionnaire_id)
    for code, value in answers.items():
        yield "elements", (service_id, questionnaire_id, code, int(value))
    for dimension, value in (
        ("gender", gender),
        ("age_group", age_group(age)),
        ("education", education),
        ("occupation", occupation),
        ("channel", channel),
    ):
        yield "profiles", (service_id, dimension, value)


def count_rows(rows: Iterable[tuple], counts: dict[str, Counter] | None = None) -> dict[str, Counter]:
    """Count rows shaped like RESPONSE_FIELDS into per-table counters keyed (span, day, *key),
    adding to ``counts`` when given."""
    if counts is None:
        counts = {table: Counter() for table in TABLES}
    for row in rows:
        day = row[0]
        month = day.replace(day=1)
        for table, key in _keys(row):
            counts[table][(Span.DAY, day, *key)] += 1
            counts[table][(Span.MONTH, month, *key)] += 1
    return counts


def _as_row(response: Response) -> tuple:
    return tuple(getattr(response, name) for name in RESPONSE_FIELDS)


def tallies_add(responses: Iterable[Response]) -> None:
    """Count ``responses`` into the day and month tallies. Call inside the transaction that
    stores them, or that makes them accepted."""
    write_counts(count_rows(_as_row(response) for response in responses))


def tallies_remove(responses: Iterable[Response]) -> None:
    """Take counted ``responses`` out of the day and month tallies (the same path as
    ``tallies_add`` with negative counts). Call inside the transaction that holds or voids
    them."""
    counts = count_rows(_as_row(response) for response in responses)
    write_counts({table: Counter({key: -n for key, n in counter.items()}) for table, counter in counts.items()})


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


def _counted() -> Iterator[tuple]:
    """The accepted responses as rows for ``count_rows``."""
    accepted = Response.objects.filter(status=Status.ACCEPTED)
    return accepted.values_list(*RESPONSE_FIELDS).order_by("pk").iterator(chunk_size=5000)


def tallies_compare() -> list[TallyDifference]:
    """Every tally that differs from a recount of the accepted responses."""
    responses = _counted()
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
        write_counts(count_rows(_counted()))
    return differences
