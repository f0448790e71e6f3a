"""Writes on kiosks: registration, enrolment of the tablet, revocation, and the count and
minimum interval of each kiosk's submissions."""

import datetime
import hashlib
import math
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from agencies.models import Agency
from kiosks.models import Kiosk
from standards.models import Service

# No 0/O or 1/I/L: the code is read off a staff screen and typed on a tablet.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_CODE_GROUPS, _GROUP_LENGTH = 3, 4


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_code(code: str) -> str:
    """An enrolment code as typed (any case, spaces or hyphens) in its stored form."""
    return "".join(char for char in code.upper() if char.isalnum())


def _new_code() -> str:
    groups = ("".join(secrets.choice(_CODE_ALPHABET) for _ in range(_GROUP_LENGTH)) for _ in range(_CODE_GROUPS))
    return "-".join(groups)


def _give_enrolment_code(kiosk: Kiosk) -> str:
    code = _new_code()
    kiosk.enrolment_hash = _digest(normalise_code(code))
    kiosk.enrolment_expires_at = timezone.now() + datetime.timedelta(hours=settings.KIOSK_ENROLMENT_HOURS)
    return code


def kiosk_register(*, name: str, agency: Agency, service: Service | None, actor: User | None) -> tuple[Kiosk, str]:
    """Register a kiosk of ``agency`` (optionally fixed to one of its services) and return it
    with its one-time enrolment code, which is shown once and stored only as a hash."""
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the kiosk a name, e.g. the counter it stands at.")]
    if service is not None and service.agency_id != agency.pk:
        errors["service"] = [_("The service belongs to another agency.")]
    elif service is not None and not service.is_published:
        errors["service"] = [_("This service does not take survey responses.")]
    if not agency.is_active:
        errors["agency"] = [_("This agency is not active.")]
    if errors:
        raise ValidationError(errors)
    kiosk = Kiosk(name=name, agency=agency, service=service, created_by=actor)
    code = _give_enrolment_code(kiosk)
    kiosk.full_clean()
    with transaction.atomic():
        kiosk.save()
    return kiosk, code


def kiosk_new_enrolment(*, kiosk: Kiosk, actor: User | None) -> str:
    """A new one-time enrolment code for an active kiosk (a tablet replaced or reset); the
    device enrolled before stops working at once."""
    with transaction.atomic():
        kiosk = Kiosk.objects.select_for_update().get(pk=kiosk.pk)
        if not kiosk.is_active:
            raise ValidationError(_("This kiosk was revoked; register a new one."))
        code = _give_enrolment_code(kiosk)
        kiosk.credential_hash = ""
        kiosk.save()
    return code


def kiosk_enrol(*, code: str) -> tuple[Kiosk, str]:
    """Turn the device presenting ``code`` into its kiosk: the code is used up and a new long
    random credential is returned (as ``<id>:<secret>``, for the device's signed cookie)."""
    invalid = ValidationError(_("This enrolment code is not valid. It may have been used or expired already."))
    normalised = normalise_code(code or "")
    if len(normalised) != _CODE_GROUPS * _GROUP_LENGTH:
        raise invalid
    with transaction.atomic():
        kiosk = (
            Kiosk.objects.select_for_update()
            .filter(enrolment_hash=_digest(normalised), is_active=True, enrolment_expires_at__gt=timezone.now())
            .first()
        )
        if kiosk is None:
            raise invalid
        secret = secrets.token_urlsafe(32)
        kiosk.credential_hash = _digest(secret)
        kiosk.enrolment_hash = ""
        kiosk.enrolment_expires_at = None
        kiosk.enrolled_at = timezone.now()
        kiosk.save()
    return kiosk, f"{kiosk.pk}:{secret}"


def kiosk_for_credential(credential: str | None) -> Kiosk | None:
    """The active kiosk this credential belongs to, or None (unknown, replaced or revoked)."""
    if not credential or ":" not in credential:
        return None
    pk, secret = credential.split(":", 1)
    if not pk.isdigit() or not secret:
        return None
    kiosk = Kiosk.objects.select_related("agency", "service").filter(pk=int(pk), is_active=True).first()
    if kiosk is None or not kiosk.credential_hash:
        return None
    if not secrets.compare_digest(kiosk.credential_hash, _digest(secret)):
        return None
    return kiosk


def kiosk_revoke(*, kiosk: Kiosk, actor: User | None) -> Kiosk:
    """Stop a kiosk for good: its credential and any unused enrolment code stop at once. Its
    responses stay stored and counted."""
    with transaction.atomic():
        kiosk = Kiosk.objects.select_for_update().get(pk=kiosk.pk)
        kiosk.is_active = False
        kiosk.credential_hash = ""
        kiosk.enrolment_hash = ""
        kiosk.enrolment_expires_at = None
        kiosk.revoked_at = timezone.now()
        kiosk.revoked_by = actor
        kiosk.save()
    return kiosk


def kiosk_count_submission(*, kiosk: Kiosk, now: datetime.datetime) -> None:
    """Count one submission of ``kiosk`` at ``now``, or refuse it (ValidationError on
    ``kiosk``) when the kiosk was revoked or its last one was less than KIOSK_MIN_INTERVAL
    seconds ago. Runs inside the transaction that stores the response, so a refusal stores
    nothing and two taps at once cannot both pass."""
    earliest = now - datetime.timedelta(seconds=settings.KIOSK_MIN_INTERVAL)
    counted = (
        Kiosk.objects.filter(pk=kiosk.pk, is_active=True)
        .filter(Q(last_submission_at__isnull=True) | Q(last_submission_at__lte=earliest))
        .update(last_submission_at=now, submission_count=F("submission_count") + 1)
    )
    if counted:
        return
    if not Kiosk.objects.filter(pk=kiosk.pk, is_active=True).exists():
        raise ValidationError({"kiosk": [_("This kiosk was revoked and takes no more responses.")]}, code="revoked")
    raise ValidationError(
        {"kiosk": [_("The previous survey was sent only a moment ago. Please wait a few seconds and send again.")]},
        code="too_soon",
    )


def kiosk_wait_seconds(*, kiosk: Kiosk, now: datetime.datetime) -> int:
    """Seconds until ``kiosk`` may send its next submission (0: now)."""
    kiosk.refresh_from_db(fields=["last_submission_at"])
    if kiosk.last_submission_at is None:
        return 0
    due = kiosk.last_submission_at + datetime.timedelta(seconds=settings.KIOSK_MIN_INTERVAL)
    return math.ceil((due - now).total_seconds()) if due > now else 0
