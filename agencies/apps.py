from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Agencies")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from agencies.models import Agency, RegencyIdentity, ServicePledge

        auditlog.register(Agency, exclude_fields=["created_at", "updated_at", "services", "operators", "pledge"])
        auditlog.register(ServicePledge, exclude_fields=["updated_at", "updated_by"])
        auditlog.register(RegencyIdentity, exclude_fields=["updated_at", "updated_by"])
