import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations.backup import database_backup


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database to var/backups/ (or --folder): pg_dump's custom "
        "format for PostgreSQL (restore with pg_restore, see README), a SQLite file for SQLite."
    )

    def add_arguments(self, parser):
        parser.add_argument("--folder", type=Path, default=Path(settings.BASE_DIR) / "var" / "backups")

    def handle(self, *args, **options):
        try:
            path = database_backup(folder=options["folder"])
        except FileNotFoundError as error:
            raise CommandError(f"pg_dump is not installed ({error}); apt-get install postgresql-client") from None
        except subprocess.CalledProcessError as error:
            raise CommandError(f"pg_dump failed: {error.stderr.strip()}") from None
        self.stdout.write(str(path))
