"""Writes on services and their standards. Every save is recorded in the audit log, which is
also the service's version history (who, when, which fields, old and new value)."""

from typing import Any

from django.db import transaction

from standards.models import Service


def service_save(*, service: Service, data: dict[str, Any] | None = None) -> Service:
    """Apply ``data`` to ``service`` (new or existing), validate and save it."""
    for field, value in (data or {}).items():
        setattr(service, field, value)
    for field in service._meta.get_fields():
        value = getattr(service, field.name, None) if field.concrete else None
        if isinstance(value, str) and "\r" in value:
            # Browsers send line breaks as CRLF; stored text uses LF, so an unchanged
            # textarea must not show up as a change in the history.
            setattr(service, field.name, value.replace("\r\n", "\n").replace("\r", "\n"))
    service.full_clean()
    with transaction.atomic():
        service.save()
    return service
