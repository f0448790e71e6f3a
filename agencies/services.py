"""Writes on agencies and their service pledges."""

from typing import Any

from django.db import transaction

from accounts.models import User
from agencies.models import Agency, ServicePledge


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
