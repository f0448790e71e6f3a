from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _service_saved(sender, instance, raw=False, **kwargs):
    from standards.search import search_entry_refresh

    if not raw:
        search_entry_refresh(service=instance)


def _agency_saved(sender, instance, raw=False, **kwargs):
    from standards.search import search_entry_refresh

    if not raw:
        for service in instance.services.select_related("agency"):
            search_entry_refresh(service=service)


class StandardsConfig(AppConfig):
    name = "standards"
    verbose_name = _("Service standards")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from agencies.models import Agency
        from standards.models import Service, ServiceDocument, Synonym

        auditlog.register(Service, exclude_fields=["updated_at", "created_at"])
        auditlog.register(Synonym)
        auditlog.register(ServiceDocument, exclude_fields=["file_type"])
        # The search terms follow every save of a service or its agency, whichever code saves it.
        post_save.connect(_service_saved, sender=Service, dispatch_uid="standards_search_service")
        post_save.connect(_agency_saved, sender=Agency, dispatch_uid="standards_search_agency")
