from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from surveys.tallies import tallies_compare, tallies_rebuild


class Command(BaseCommand):
    help = "Recount the per-day tallies from the responses and report every difference found."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="only report differences; exit non-zero if there are any"
        )

    def handle(self, *args, check: bool, **options):
        differences = tallies_compare() if check else tallies_rebuild()
        for difference in differences:
            self.stdout.write(
                _("%(table)s %(key)s: stored %(stored)d, counted %(expected)d")
                % {
                    "table": difference.table,
                    "key": " ".join(str(part) for part in difference.key),
                    "stored": difference.stored,
                    "expected": difference.expected,
                }
            )
        if not differences:
            self.stdout.write(_("The tallies match the responses: no difference."))
        elif check:
            raise CommandError(
                ngettext(
                    "%(count)d tally differs from the responses.",
                    "%(count)d tallies differ from the responses.",
                    len(differences),
                )
                % {"count": len(differences)}
            )
        else:
            self.stdout.write(
                ngettext(
                    "%(count)d tally differed and was rebuilt.",
                    "%(count)d tallies differed and were rebuilt.",
                    len(differences),
                )
                % {"count": len(differences)}
            )
