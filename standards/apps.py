from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "standards"
    verbose_name = _("Service standards")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from standards.models import Service

        auditlog.register(Service, exclude_fields=["updated_at", "created_at"])
