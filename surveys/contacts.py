"""Contact details for a reply, given only with explicit consent (UU 27/2022): stored apart
from the answers, shown only to the operators of the response's agency, never exported, and
purged after the retention period."""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from surveys.models import ReplyContact, Response

_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$")
_PHONE = re.compile(r"^\+?[\d\s().-]{8,20}$")


def contact_validate(value: str) -> str:
    """A telephone number or an email address, tidied; ValidationError otherwise."""
    value = " ".join(value.split())
    if _EMAIL.match(value) or (_PHONE.match(value) and 8 <= sum(char.isdigit() for char in value) <= 15):
        return value
    raise ValidationError(_("Write a telephone number or an email address."))


def reply_contact_store(*, response: Response, contact: str) -> ReplyContact:
    """Keep ``contact`` for a reply to ``response`` (the respondent agreed); one per response."""
    with transaction.atomic():
        stored, _created = ReplyContact.objects.get_or_create(
            response=response,
            defaults={"agency": response.service.agency, "contact": contact, "consented_at": timezone.now()},
        )
    return stored


def retention_cutoff() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=settings.REPLY_CONTACT_RETENTION_DAYS)


def reply_contacts(*, agency: Agency) -> QuerySet[ReplyContact]:
    """The contacts of ``agency``'s respondents still within the retention period, newest first."""
    return (
        ReplyContact.objects.filter(agency=agency, consented_at__gte=retention_cutoff())
        .select_related("response__service")
        .order_by("-consented_at")
    )


def reply_contacts_purge() -> tuple[int, datetime.datetime]:
    """Delete every contact older than the retention period; the number deleted and the cutoff."""
    cutoff = retention_cutoff()
    with transaction.atomic():
        deleted, _by_model = ReplyContact.objects.filter(consented_at__lt=cutoff).delete()
    return deleted, cutoff
