"""`make backup` and the documented restore: a round trip gives back the same data."""

import sqlite3
import subprocess
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from operations.backup import _postgres_environment
from surveys.models import Response

TABLES = ("agencies_agency", "standards_service", "surveys_response", "accounts_user")


def counts_here() -> dict[str, int]:
    with connection.cursor() as cursor:
        result = {}
        for table in TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 -- fixed table names
            result[table] = cursor.fetchone()[0]
        return result


@pytest.fixture
def stored(transactional_db, questionnaire, submit, service_a, service_b, operator_a):
    """Committed data a backup must carry: two agencies, two services, three responses."""
    submit(service_a, answers=4, suggestion="Cepat")
    submit(service_a, answers=3)
    submit(service_b, answers=2)
    return counts_here()


def backup(tmp_path: Path) -> Path:
    out = StringIO()
    call_command("backup", "--folder", str(tmp_path), stdout=out)
    path = Path(out.getvalue().strip())
    assert path.parent == tmp_path
    return path


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backup")
def test_a_sqlite_backup_holds_every_row(stored, tmp_path):
    path = backup(tmp_path)

    assert path.suffix == ".sqlite3"
    with sqlite3.connect(path) as copy:
        found = {table: copy.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}  # noqa: S608
    assert found == stored
    assert stored["surveys_response"] == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pg_dump round trip runs on PostgreSQL (CI)")
def test_a_postgresql_backup_restores_into_an_empty_database_with_the_same_data(stored, tmp_path):
    path = backup(tmp_path)
    assert path.suffix == ".dump"

    database = dict(connection.settings_dict)
    restored = f"{database['NAME']}_restored"
    admin = {
        key: value
        for key, value in (("host", database["HOST"]), ("port", database["PORT"]), ("user", database["USER"]))
        if value
    }
    password = database["PASSWORD"] or None
    with psycopg.connect(dbname="postgres", autocommit=True, password=password, **admin) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        server.execute(f'CREATE DATABASE "{restored}"')
    try:
        # The restore as README documents it.
        subprocess.run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={restored}", str(path)],
            env=_postgres_environment(database),
            check=True,
            capture_output=True,
        )
        with psycopg.connect(dbname=restored, password=password, **admin) as copy:
            found = {table: copy.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}  # noqa: S608
            suggestions = [row[0] for row in copy.execute("SELECT suggestion FROM surveys_response ORDER BY id")]
    finally:
        with psycopg.connect(
            dbname="postgres", autocommit=True, password=database["PASSWORD"] or None, **admin
        ) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
    assert found == stored
    assert suggestions == list(Response.objects.order_by("id").values_list("suggestion", flat=True))
