from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from surveys.models import PaperBatch
from surveys.states import batch_restore, batch_void


class Command(BaseCommand):
    help = "Void every response of a paper batch (they stay stored and stop being counted), or restore them."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, required=True, help="the batch number import_responses printed")
        parser.add_argument("--reason", required=True, help="why; kept with each response and in the audit log")
        parser.add_argument("--restore", action="store_true", help="count the voided responses of the batch again")

    def handle(self, *args, batch: int, reason: str, restore: bool, **options):
        found = PaperBatch.objects.filter(pk=batch).first()
        if found is None:
            raise CommandError(_("There is no batch %(batch)d.") % {"batch": batch})
        action = batch_restore if restore else batch_void
        try:
            change = action(batch=found, actor=None, reason=reason)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if restore:
            message = _("Batch %(batch)d: %(changed)d responses restored, %(skipped)d were not void.")
        else:
            message = _("Batch %(batch)d: %(changed)d responses voided, %(skipped)d were already void.")
        self.stdout.write(message % {"batch": found.pk, "changed": change.changed, "skipped": change.skipped})
