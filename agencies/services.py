"""Writes on agencies, their service pledges and the regency's identity."""

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import User
from agencies.logo import checked_logo
from agencies.models import Agency, RegencyIdentity, ServicePledge
from agencies.selectors import IDENTITY_PK


def agency_save(*, agency: Agency) -> Agency:
    """Create or update an agency after validating it as a whole."""
    agency.full_clean()
    with transaction.atomic():
        agency.save()
    return agency


def pledge_update(*, agency: Agency, actor: User, data: dict[str, Any]) -> ServicePledge:
    """Create or replace the agency's Maklumat Pelayanan."""
    with transaction.atomic():
        pledge = ServicePledge.objects.select_for_update().filter(agency=agency).first()
        if pledge is None:
            pledge = ServicePledge(agency=agency)
        for field, value in data.items():
            setattr(pledge, field, value)
        pledge.updated_by = actor
        pledge.full_clean()
        pledge.save()
    return pledge


def regency_identity_update(
    *, actor: User, data: dict[str, Any], logo: UploadedFile | None = None, remove_logo: bool = False
) -> RegencyIdentity:
    """Set the regency's identity (and replace or remove its logo), audited as one change.

    A logo is checked by ``agencies.logo.checked_logo`` first: a refused upload changes nothing."""
    checked = checked_logo(logo) if logo is not None else None
    with transaction.atomic():
        identity = RegencyIdentity.objects.select_for_update().filter(pk=IDENTITY_PK).first()
        identity = identity or RegencyIdentity(pk=IDENTITY_PK)
        for field, value in data.items():
            setattr(identity, field, value)
        if checked is not None:
            digest = hashlib.sha256(checked.content).hexdigest()
            identity.logo.save(f"logo-{digest[:16]}{checked.extension}", ContentFile(checked.content), save=False)
            identity.logo_type, identity.logo_hash = checked.content_type, digest
        elif remove_logo:
            identity.logo, identity.logo_type, identity.logo_hash = "", "", ""
        identity.updated_by = actor
        identity.full_clean()
        identity.save()
    return identity
