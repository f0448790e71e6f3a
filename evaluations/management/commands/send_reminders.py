import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evaluations.services import reminders_send


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("Not a date (YYYY-MM-DD): %(value)s") % {"value": value}) from None


class Command(BaseCommand):
    help = (
        "Email agencies' operators about recommendations due soon or overdue (and the evaluator who "
        "issued an overdue one). Meant to run once a day from a timer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="remind of recommendations due within this many days (default: the REMINDER_DAYS setting)",
        )
        parser.add_argument("--date", default=None, help="take this day (YYYY-MM-DD) as today (default: today)")

    def handle(self, *args, days: int | None, date: str | None, **options):
        within = settings.REMINDER_DAYS if days is None else days
        if within < 0:
            raise CommandError(_("--days cannot be negative."))
        today = _day(date) if date else None
        sent = reminders_send(today=today, within_days=within)
        self.stdout.write(
            ngettext("Sent %(count)d reminder email.", "Sent %(count)d reminder emails.", sent) % {"count": sent}
        )
