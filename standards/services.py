"""Writes on services and their standards. Every save is recorded in the audit log, which is
also the service's version history (who, when, which fields, old and new value)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from evaluations.files import checked_upload, display_name, stored
from standards.models import Service, ServiceDocument, ServiceViewCount, Synonym
from surveys.tallies import tallies_move_service


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
        moved_from = None
        if service.pk is not None:
            moved_from = (
                Service.objects.select_for_update().filter(pk=service.pk).values_list("agency_id", flat=True).first()
            )
        service.save()
        if moved_from is not None and moved_from != service.agency_id:
            # The agency's roll-ups follow the service, so agency figures stay a sum of its services.
            tallies_move_service(service_id=service.pk, old_agency_id=moved_from, new_agency_id=service.agency_id)
    return service


def service_mark_reviewed(*, service: Service, actor: User) -> Service:
    """Record that the agency reviewed ``service``'s standard today (Asia/Jakarta). The change
    is in the audit log with ``actor``; the standard's "last changed" date stays as it was."""
    with transaction.atomic():
        service = Service.objects.select_for_update().get(pk=service.pk)
        service.reviewed_on = timezone.localdate()
        service.save(update_fields=["reviewed_on"])
    return service


def service_document_add(
    *, service: Service, kind: str, title: str, file: UploadedFile, is_public: bool, actor: User
) -> ServiceDocument:
    """Attach a supporting document (SK, SOP, flowchart) to ``service``. The file is checked by
    content first (``evaluations.files.checked_upload``: a PDF without JavaScript or a PNG/JPEG
    that decodes, at most 5 MB); a refused file stores nothing and raises ValidationError on
    ``file``."""
    try:
        file_type = checked_upload(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    document = ServiceDocument(
        service=service,
        kind=kind,
        title=(title or "").strip(),
        file_name=display_name(file.name or ""),
        file_type=file_type,
        is_public=is_public,
        uploaded_by=actor,
    )
    document.full_clean(exclude=["file"])
    with transaction.atomic():
        stored(document.file, file, file_type, form_field="file")
        document.save()
    return document


def service_document_remove(*, document: ServiceDocument, actor: User) -> None:
    """Remove a supporting document (the removal is in the audit log); its file goes from the
    storage once the removal is committed."""
    file = document.file
    name, storage = file.name, file.storage
    with transaction.atomic():
        document.delete()
        transaction.on_commit(lambda: storage.delete(name) if name else None)


def service_view_record(*, service: Service) -> None:
    """Count a visit to ``service``'s public page in this month's row."""
    month = timezone.localdate().replace(day=1)
    if ServiceViewCount.objects.filter(service=service, month=month).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            ServiceViewCount.objects.create(service=service, month=month, count=1)
    except IntegrityError:
        # Another visit created this month's row first.
        ServiceViewCount.objects.filter(service=service, month=month).update(count=F("count") + 1)


def synonyms_replace(*, pairs: list[tuple[str, str]]) -> None:
    """Make ``pairs`` (term, replacement) the whole synonym list; each added, changed or
    removed synonym is recorded in the audit log."""
    with transaction.atomic():
        current = {synonym.term.casefold(): synonym for synonym in Synonym.objects.all()}
        wanted = {term.casefold(): (term, replacement) for term, replacement in pairs}
        for key, synonym in current.items():
            if key not in wanted:
                synonym.delete()
        for key, (term, replacement) in wanted.items():
            synonym = current.get(key) or Synonym()
            if (synonym.term, synonym.replacement) != (term, replacement):
                synonym.term, synonym.replacement = term, replacement
                synonym.save()
