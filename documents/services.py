"""Issuing documents: every PDF SI-PUTRI hands out is registered here when it is produced."""

import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from agencies.models import Agency
from documents.models import IssuedDocument
from documents.stamp import Stamp
from standards.models import Service
from surveys.periods import Period

# Letters and digits that cannot be misread for each other on paper (no 0/O, 1/I/L, 5/S, 8/B).
CODE_ALPHABET = "2346789ACDEFGHJKMNPQRTUVWXYZ"
CODE_LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalised_code(text: str) -> str:
    """A code as someone may type it from paper (lower case, with the dash or spaces) as stored."""
    return "".join(character for character in text.upper() if character.isalnum())


def document_issue(
    *,
    kind: str,
    subject: str,
    render: Callable[[Stamp], bytes],
    actor: User | None,
    agency: Agency | None = None,
    service: Service | None = None,
    period: Period | None = None,
    figures: dict[str, Any] | None = None,
) -> tuple[IssuedDocument, bytes]:
    """Register one issue of a document and produce it: ``render`` gets the stamp (code, QR
    address) to print on every page and returns the file's bytes, whose SHA-256 is stored.

    Earlier issues of the same ``subject`` are marked superseded by this one, in the same
    transaction, so exactly one issue of a subject is current."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                now = timezone.now()
                document = IssuedDocument.objects.create(
                    code=new_code(),
                    kind=kind,
                    subject=subject,
                    agency=agency,
                    service=service,
                    period_key=period.key if period else "",
                    period_label=period.label if period else "",
                    figures=figures or {},
                    issued_at=now,
                    issued_by=actor,
                )
                content = render(Stamp(document.code))
                document.content_hash = hashlib.sha256(content).hexdigest()
                document.save(update_fields=["content_hash"])
                IssuedDocument.objects.filter(subject=subject, superseded_by__isnull=True).exclude(
                    pk=document.pk
                ).update(superseded_by=document, superseded_at=now)
            return document, content
        except IntegrityError:
            continue  # two equal random codes: draw another
    raise RuntimeError("could not draw an unused document code")
