from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KiosksConfig(AppConfig):
    name = "kiosks"
    verbose_name = _("Kiosks")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from kiosks.models import Kiosk

        # Counters move with every response and the hashes are secrets: neither is an edit.
        auditlog.register(
            Kiosk,
            exclude_fields=[
                "enrolment_hash",
                "credential_hash",
                "last_submission_at",
                "submission_count",
                "created_at",
                "responses",
            ],
        )
