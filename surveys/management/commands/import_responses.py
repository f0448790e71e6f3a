from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from surveys.response_import import ResponseImportError, responses_import_file


class Command(BaseCommand):
    help = "Import paper survey responses from a CSV or XLSX file: all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV (UTF-8) or XLSX file")

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": file})
        with file.open("rb") as handle:
            try:
                result = responses_import_file(file=handle, filename=file.name)
            except ResponseImportError as exc:
                for error in exc.errors:
                    self.stderr.write(str(error))
                bad_rows = len({error.row for error in exc.errors})
                raise CommandError(
                    ngettext(
                        "%(count)d bad row; nothing was imported.",
                        "%(count)d bad rows; nothing was imported.",
                        bad_rows,
                    )
                    % {"count": bad_rows}
                ) from None
        for column in result.ignored_columns:
            self.stderr.write(_("Unknown column ignored: %(column)s") % {"column": column})
        self.stdout.write(
            ngettext(
                "Imported %(count)d paper survey response.",
                "Imported %(count)d paper survey responses.",
                result.imported,
            )
            % {"count": result.imported}
        )
        # The batch number in a fixed, untranslated form, for scripts and for void_responses.
        self.stdout.write(f"batch {result.batch.pk}")
