"""Per-day tallies kept in step with responses, and their rebuild from the responses.

Increments are one SQL upsert per tally table (``INSERT … ON CONFLICT DO UPDATE SET count =
count + excluded.count``), which PostgreSQL and SQLite both run atomically, so concurrent
submissions never lose a count.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction

from surveys.models import ElementTally, ProfileTally, RespondentTally, Response, age_group


def _upsert(model, key_columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [*key_columns, "count"]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    placeholders = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))
    conflict = ", ".join(connection.ops.quote_name(c) for c in key_columns)
    count = connection.ops.quote_name("count")
    sql = (
        f"INSERT INTO {table} ({quoted}) VALUES {placeholders} "  # noqa: S608 -- names come from models
        f"ON CONFLICT ({conflict}) DO UPDATE SET {count} = {table}.{count} + excluded.{count}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])


def profile_values(response: Response) -> dict[str, str]:
    return {
        "gender": response.gender,
        "age_group": age_group(response.age),
        "education": response.education,
        "occupation": response.occupation,
        "channel": response.channel,
    }


def tallies_add(responses: Iterable[Response]) -> None:
    """Count ``responses`` into the tallies. Call inside the transaction that stores them."""
    elements: Counter[tuple] = Counter()
    respondents: Counter[tuple] = Counter()
    profiles: Counter[tuple] = Counter()
    for response in responses:
        key = (response.day, response.service_id)
        respondents[(*key, response.questionnaire_id)] += 1
        for code, value in response.answers.items():
            elements[(*key, response.questionnaire_id, code, int(value))] += 1
        for dimension, value in profile_values(response).items():
            profiles[(*key, dimension, value)] += 1
    # A fixed order keeps concurrent upserts from deadlocking on PostgreSQL.
    _upsert(
        RespondentTally,
        ["day", "service_id", "questionnaire_id"],
        [(*k, n) for k, n in sorted(respondents.items())],
    )
    _upsert(
        ElementTally,
        ["day", "service_id", "questionnaire_id", "element_code", "value"],
        [(*k, n) for k, n in sorted(elements.items())],
    )
    _upsert(ProfileTally, ["day", "service_id", "dimension", "value"], [(*k, n) for k, n in sorted(profiles.items())])


@dataclass(frozen=True)
class TallyDifference:
    table: str
    key: tuple
    stored: int
    expected: int


def _expected_counts(batch_size: int = 5000) -> dict[str, Counter]:
    expected = {"respondents": Counter(), "elements": Counter(), "profiles": Counter()}
    fields = ("day", "service_id", "questionnaire_id", "answers", "gender", "age", "education", "occupation", "channel")
    for row in Response.objects.values_list(*fields).order_by("pk").iterator(chunk_size=batch_size):
        day, service_id, questionnaire_id, answers, gender, age, education, occupation, channel = row
        expected["respondents"][(day, service_id, questionnaire_id)] += 1
        for code, value in answers.items():
            expected["elements"][(day, service_id, questionnaire_id, code, int(value))] += 1
        for dimension, value in (
            ("gender", gender),
            ("age_group", age_group(age)),
            ("education", education),
            ("occupation", occupation),
            ("channel", channel),
        ):
            expected["profiles"][(day, service_id, dimension, value)] += 1
    return expected


def _stored_counts() -> dict[str, Counter]:
    return {
        "respondents": Counter(
            {
                k[:-1]: k[-1]
                for k in RespondentTally.objects.values_list("day", "service_id", "questionnaire_id", "count")
            }
        ),
        "elements": Counter(
            {
                k[:-1]: k[-1]
                for k in ElementTally.objects.values_list(
                    "day", "service_id", "questionnaire_id", "element_code", "value", "count"
                )
            }
        ),
        "profiles": Counter(
            {
                k[:-1]: k[-1]
                for k in ProfileTally.objects.values_list("day", "service_id", "dimension", "value", "count")
            }
        ),
    }


def tallies_compare() -> list[TallyDifference]:
    """Every tally that differs from a recount of the responses."""
    expected, stored = _expected_counts(), _stored_counts()
    differences = []
    for table in ("respondents", "elements", "profiles"):
        for key in sorted(set(expected[table]) | set(stored[table]), key=str):
            if expected[table][key] != stored[table][key]:
                differences.append(TallyDifference(table, key, stored[table][key], expected[table][key]))
    return differences


@transaction.atomic
def tallies_rebuild() -> list[TallyDifference]:
    """Recount every tally from the responses; return what differed before the rebuild."""
    differences = tallies_compare()
    if differences:
        ElementTally.objects.all().delete()
        RespondentTally.objects.all().delete()
        ProfileTally.objects.all().delete()
        batch: list[Response] = []
        only = (
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
        for response in Response.objects.only(*only).order_by("pk").iterator(chunk_size=5000):
            batch.append(response)
            if len(batch) >= 500:
                tallies_add(batch)
                batch = []
        tallies_add(batch)
    return differences
