from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

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
            raise CommandError(_("%(count)d tallies differ from the responses.") % {"count": len(differences)})
        else:
            self.stdout.write(_("%(count)d tallies differed and were rebuilt.") % {"count": len(differences)})
