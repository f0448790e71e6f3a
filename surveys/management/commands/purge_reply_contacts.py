from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import formats, timezone
from django.utils.translation import ngettext

from surveys.contacts import reply_contacts_purge


class Command(BaseCommand):
    help = "Delete respondents' contacts for a reply older than REPLY_CONTACT_RETENTION_DAYS (run daily)."

    def handle(self, *args, **options):
        deleted, cutoff = reply_contacts_purge()
        when = formats.date_format(timezone.localtime(cutoff), "j M Y H:i")
        self.stdout.write(
            ngettext(
                "Purged %(count)d contact for a reply given before %(when)s (kept %(days)d days).",
                "Purged %(count)d contacts for a reply given before %(when)s (kept %(days)d days).",
                deleted,
            )
            % {"count": deleted, "when": when, "days": settings.REPLY_CONTACT_RETENTION_DAYS}
        )
