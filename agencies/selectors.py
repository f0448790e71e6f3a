"""Reads of the regency's identity, for pages (through the context processor) and for PDFs."""

from agencies.models import RegencyIdentity

IDENTITY_PK = 1


def regency_identity() -> RegencyIdentity:
    """The saved identity, or an unsaved one with neutral defaults while none is set."""
    return RegencyIdentity.objects.filter(pk=IDENTITY_PK).first() or RegencyIdentity(pk=IDENTITY_PK)


def regency_logo() -> tuple[bytes, str] | None:
    """The logo's content and type, or None when there is none (or its file has gone)."""
    identity = regency_identity()
    if not identity.logo:
        return None
    try:
        with identity.logo.storage.open(identity.logo.name, "rb") as handle:
            return handle.read(), identity.logo_type
    except FileNotFoundError:
        return None


def regency_logo_flowable(*, height: float):
    """The logo ready to place in a PDF, or None when there is none."""
    from agencies.logo import logo_flowable

    logo = regency_logo()
    return None if logo is None else logo_flowable(*logo, height=height)
