"""Bulk loading for the benchmark: responses by COPY, and their tallies counted in Python
exactly as ``surveys.tallies.tallies_add`` counts them, then merged with one COPY into a
staging table and one upsert per tally table (so loading on top of existing tallies adds to
them, as ``tallies_add`` does)."""

import json
from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction

from demo.responses import Row
from surveys.models import ElementTally, ProfileTally, RespondentTally, Response
from surveys.tallies import RESPONSE_FIELDS, TABLES, count_rows

RESPONSE_COLUMNS = (
    "service_id",
    "questionnaire_id",
    "submitted_at",
    "day",
    "channel",
    "gender",
    "age",
    "education",
    "occupation",
    "answers",
    "suggestion",
    "suggestion_hidden",
    "assisted",
    "status",
    "held_rule",
    "status_reason",
)
COPY_BATCH = 20_000
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class Tallies:
    """The increments ``tallies_add`` would make for the same responses (its own counting)."""

    def __init__(self, agency_of: dict[int, int]) -> None:
        self.counts: dict[str, Counter] = {table: Counter() for table in TABLES}
        self.agency_of = agency_of

    def add(self, row: Row, questionnaire_id: int) -> None:
        values = {
            "day": row.day,
            "service_id": row.service_id,
            "questionnaire_id": questionnaire_id,
            "answers": row.answers,
            "gender": row.gender,
            "age": row.age,
            "education": row.education,
            "occupation": row.occupation,
            "channel": row.channel,
            "assisted": False,  # the demo rows never are
            "service__agency_id": self.agency_of[row.service_id],
        }
        count_rows([tuple(values[field] for field in RESPONSE_FIELDS)], self.counts)

    def tables(self):
        for table, (model, key_columns) in TABLES.items():
            yield model, ["span", "day", *key_columns], self.counts[table]


def _line(values: Iterable) -> str:
    return "\t".join(str(value).translate(_ESCAPES) for value in values) + "\n"


def copy_responses(rows: Iterable[Row], *, questionnaire_id: int, agency_of: dict[int, int]) -> tuple[int, Tallies]:
    """COPY ``rows`` into the responses table and count their tallies; one transaction.
    ``agency_of``: service id → agency id."""
    tallies = Tallies(agency_of)
    stored = 0
    table = connection.ops.quote_name(Response._meta.db_table)
    columns = ", ".join(RESPONSE_COLUMNS)
    with transaction.atomic():
        connection.ensure_connection()
        with connection.connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            buffer: list[str] = []
            for row in rows:
                tallies.add(row, questionnaire_id)
                buffer.append(
                    _line(
                        (
                            row.service_id,
                            questionnaire_id,
                            row.submitted_at.isoformat(),
                            row.day.isoformat(),
                            row.channel,
                            row.gender,
                            row.age,
                            row.education,
                            row.occupation,
                            json.dumps(row.answers, separators=(",", ":")),
                            row.suggestion,
                            "f",
                            "f",
                            "accepted",
                            "",
                            "",
                        )
                    )
                )
                if len(buffer) >= COPY_BATCH:
                    copy.write("".join(buffer))
                    stored += len(buffer)
                    buffer.clear()
            copy.write("".join(buffer))
            stored += len(buffer)
    return stored, tallies


def merge_tallies(tallies: Tallies) -> dict[str, int]:
    """Add ``tallies`` to the tally tables (COPY to a staging table, then one upsert each).
    Returns how many keys each table received."""
    merged = {}
    with transaction.atomic():
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            for model, keys, counter in tallies.tables():
                table = connection.ops.quote_name(model._meta.db_table)
                stage = f"bench_stage_{model._meta.model_name}"
                columns = ", ".join(connection.ops.quote_name(c) for c in [*keys, "count"])
                conflict = ", ".join(connection.ops.quote_name(c) for c in keys)
                cursor.execute(f"CREATE TEMP TABLE {stage} AS SELECT {columns} FROM {table} WITH NO DATA")  # noqa: S608
                with cursor.copy(f"COPY {stage} ({columns}) FROM STDIN") as copy:
                    lines = [_line((*key, count)) for key, count in counter.items()]
                    for first in range(0, len(lines), COPY_BATCH):
                        copy.write("".join(lines[first : first + COPY_BATCH]))
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {stage} ORDER BY {conflict} "  # noqa: S608
                    f'ON CONFLICT ({conflict}) DO UPDATE SET "count" = {table}."count" + excluded."count"'
                )
                cursor.execute(f"DROP TABLE {stage}")
                merged[model._meta.model_name] = len(counter)
    return merged


def table_rows() -> dict[str, int]:
    """Row counts of the responses and tally tables (exact: these are the sizes reads scan)."""
    counts = {}
    with connection.cursor() as cursor:
        for model in (Response, RespondentTally, ElementTally, ProfileTally):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
            counts[model._meta.model_name] = cursor.fetchone()[0]
    return counts


def analyze() -> None:
    """Refresh the planner statistics, as autovacuum would shortly after a bulk load."""
    with connection.cursor() as cursor:
        for model in (Response, RespondentTally, ElementTally, ProfileTally):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
