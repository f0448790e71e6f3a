"""Backups of the database: PostgreSQL by pg_dump (custom format, restored by pg_restore),
SQLite by its own online backup. Used by ``manage.py backup`` and ``make backup``."""

import datetime
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connections


def _postgres_environment(database: dict) -> dict[str, str]:
    """libpq's variables for the configured database: the password never goes on a command line."""
    environ = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if database.get(key):
            environ[variable] = str(database[key])
    return environ


def database_backup(*, folder: Path, alias: str = "default", now: datetime.datetime | None = None) -> Path:
    """Write a consistent copy of the database into ``folder`` and return its path:
    ``siputri-YYYYMMDD-HHMMSS.dump`` (pg_dump's custom format) for PostgreSQL,
    ``siputri-YYYYMMDD-HHMMSS.sqlite3`` for SQLite. Raises CalledProcessError when pg_dump fails."""
    database = settings.DATABASES[alias]
    stamp = (now or datetime.datetime.now(datetime.UTC)).strftime("%Y%m%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=True)
    if database["ENGINE"] == "django.db.backends.sqlite3":
        target = folder / f"siputri-{stamp}.sqlite3"
        connection = connections[alias]
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return target
    target = folder / f"siputri-{stamp}.dump"
    partial = target.with_suffix(".dump.part")
    program = shutil.which("pg_dump")
    if program is None:
        raise FileNotFoundError("pg_dump")
    subprocess.run(  # noqa: S603 -- the installed pg_dump, arguments from settings, no shell
        [program, "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}", database["NAME"]],
        env=_postgres_environment(database),
        check=True,
        capture_output=True,
        text=True,
    )
    partial.replace(target)
    return target
