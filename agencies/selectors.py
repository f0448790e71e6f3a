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


def regency_letterhead(lines: list, *, width: float, logo_height: float, logo_column: float, ink, space_after: float):
    """A letterhead as the regency's letters have it: the logo (when there is one) left of
    ``lines`` (paragraphs of the government, the office and its address), centred across
    ``width``, over a thick and a thin rule in ``ink``; reportlab flowables."""
    from reportlab.platypus import HRFlowable, Spacer, Table, TableStyle

    logo = regency_logo_flowable(height=logo_height)
    if logo is None:
        head = list(lines)
    else:
        table = Table([[logo, lines, ""]], colWidths=[logo_column, width - 2 * logo_column, logo_column], hAlign="LEFT")
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        head = [table]
    return [
        *head,
        Spacer(1, 4),
        HRFlowable(width="100%", thickness=2, color=ink, spaceBefore=0, spaceAfter=1.5),
        HRFlowable(width="100%", thickness=0.6, color=ink, spaceBefore=0, spaceAfter=space_after),
    ]
