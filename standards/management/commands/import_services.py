from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from standards.catalog_import import CatalogImportError, catalog_import


class Command(BaseCommand):
    help = "Import the service catalog from a CSV or XLSX file: all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV (UTF-8) or XLSX file")

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": file})
        with file.open("rb") as handle:
            try:
                result = catalog_import(file=handle, filename=file.name)
            except CatalogImportError as exc:
                for error in exc.errors:
                    self.stderr.write(str(error))
                raise CommandError(
                    ngettext(
                        "%(count)d bad row; nothing was imported.",
                        "%(count)d bad rows; nothing was imported.",
                        len(exc.errors),
                    )
                    % {"count": len(exc.errors)}
                ) from None
        for column in result.ignored_columns:
            self.stderr.write(_("Unknown column ignored: %(column)s") % {"column": column})
        self.stdout.write(result.summary())
