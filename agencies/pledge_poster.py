"""The Maklumat Pelayanan as a printable A4 poster, for the wall of the service room.

Laid out like the survey QR poster (``surveys.posters``): the regency's identity in a band at
the top, the pledge in the middle (shrunk to fit one page however long it is), the place, date
of adoption and signer at the bottom right, and the verification stamp at the foot. Every
print is registered as an issued document (``documents.services.document_issue``)."""

import io
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor, white
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepInFrame, Paragraph

from accounts.models import User
from agencies.models import Agency, ServicePledge
from agencies.selectors import regency_identity, regency_logo_flowable
from documents.models import DocumentKind, IssuedDocument
from documents.services import document_issue
from documents.stamp import Stamp

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 56
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
BAND_HEIGHT = 120
LOGO_HEIGHT = 72
TITLE_TOP = 190
TEXT_TOP = 240
SIGNATURE_TOP = PAGE_HEIGHT - 245
SIGNATURE_WIDTH = 250
STAMP_BOTTOM = 14

GREEN = HexColor("#0b5d3b")
INK = HexColor("#1b1f1d")
MUTED = HexColor("#4a524e")

PLEDGE_STYLE = ParagraphStyle(
    "pledge", fontName="Helvetica-Bold", fontSize=18, leading=25, alignment=TA_CENTER, textColor=INK, spaceAfter=12
)


def _y(from_top: float) -> float:
    return PAGE_HEIGHT - from_top


def _centred_lines(canvas: Canvas, text: str, *, font: str, size: float, top: float, width: float) -> float:
    """Draw ``text`` wrapped to ``width``, centred, from ``top`` down; returns where it ends."""
    canvas.setFont(font, size)
    for line in simpleSplit(text, font, size, width):
        top += size * 1.2
        canvas.drawCentredString(PAGE_WIDTH / 2, _y(top), line)
    return top


def _band(canvas: Canvas, agency: Agency) -> None:
    identity = regency_identity()
    canvas.setFillColor(GREEN)
    canvas.rect(0, _y(BAND_HEIGHT), PAGE_WIDTH, BAND_HEIGHT, stroke=0, fill=1)
    logo = regency_logo_flowable(height=LOGO_HEIGHT)
    text_width = TEXT_WIDTH
    if logo is not None:
        logo_width, _logo_height = logo.wrap(TEXT_WIDTH, LOGO_HEIGHT)
        # A white tile under the logo, so a coloured coat of arms reads on the green band.
        canvas.setFillColor(white)
        canvas.rect(MARGIN - 6, _y(24 + LOGO_HEIGHT + 6), logo_width + 12, LOGO_HEIGHT + 12, stroke=0, fill=1)
        logo.drawOn(canvas, MARGIN, _y(24 + LOGO_HEIGHT))
        text_width = TEXT_WIDTH - 2 * (logo_width + 16)
    canvas.setFillColor(white)
    government = identity.government.upper()
    size = 14.0
    while stringWidth(government, "Helvetica-Bold", size) > text_width and size > 10:
        size -= 0.5
    below = _centred_lines(canvas, government, font="Helvetica-Bold", size=size, top=26, width=text_width)
    _centred_lines(canvas, agency.name.upper(), font="Helvetica-Bold", size=16, top=below + 8, width=text_width)


def _pledge_paragraphs(text: str) -> list[Paragraph]:
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return [Paragraph(escape(block).replace("\n", "<br/>"), PLEDGE_STYLE) for block in blocks if block]


def _signature(canvas: Canvas, pledge: ServicePledge) -> None:
    """Place and date of adoption, the position, room to sign, the name and the NIP: the head
    of agency's when the agency records one, otherwise who the pledge says signed it."""
    agency, identity = pledge.agency, regency_identity()
    date = formats.date_format(pledge.adopted_on, "j F Y") if pledge.adopted_on else ""
    place_date = ", ".join(part for part in (identity.place, date) if part)
    name, nip, title = (
        (agency.head_name, agency.head_nip, agency.head_title) if agency.head_name else (pledge.signed_by, "", "")
    )
    centre = PAGE_WIDTH - MARGIN - SIGNATURE_WIDTH / 2
    top = SIGNATURE_TOP
    canvas.setFillColor(INK)
    canvas.setFont("Helvetica", 12)
    for text in (place_date, title):
        for line in simpleSplit(text, "Helvetica", 12, SIGNATURE_WIDTH) if text else []:
            top += 15
            canvas.drawCentredString(centre, _y(top), line)
    top += 70
    if name:
        canvas.setFont("Helvetica-Bold", 12)
        canvas.drawCentredString(centre, _y(top), name)
    if nip:
        top += 15
        canvas.setFont("Helvetica", 12)
        canvas.drawCentredString(centre, _y(top), _("NIP. %(nip)s") % {"nip": nip})


def pledge_poster_pdf(*, pledge: ServicePledge, stamp: Stamp) -> bytes:
    """An A4 poster of ``pledge`` with the verification ``stamp`` at its foot."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    title = _("Service pledge")
    canvas.setTitle(f"{title} — {pledge.agency.name}")
    canvas.setAuthor("SI-PUTRI")
    _band(canvas, pledge.agency)

    canvas.setFillColor(GREEN)
    canvas.setFont("Helvetica-Bold", 30)
    canvas.drawCentredString(PAGE_WIDTH / 2, _y(TITLE_TOP), title.upper())
    canvas.setStrokeColor(GREEN)
    canvas.setLineWidth(2)
    canvas.line(PAGE_WIDTH / 2 - 120, _y(TITLE_TOP + 14), PAGE_WIDTH / 2 + 120, _y(TITLE_TOP + 14))

    # The pledge, shrunk to fit however long it is, centred in the space above the signature.
    space = SIGNATURE_TOP - TEXT_TOP
    text = KeepInFrame(TEXT_WIDTH, space, _pledge_paragraphs(pledge.text), mode="shrink")
    _width, height = text.wrapOn(canvas, TEXT_WIDTH, space)
    text.drawOn(canvas, MARGIN, _y(SIGNATURE_TOP) + (space - height) / 2)
    _signature(canvas, pledge)

    canvas.setFillColor(MUTED)
    canvas.setFont("Helvetica", 9)
    canvas.drawCentredString(PAGE_WIDTH / 2, _y(PAGE_HEIGHT - 64), f"SI-PUTRI · {regency_identity().display_name}")
    stamp.draw_with_line(canvas, left=MARGIN, right=PAGE_WIDTH - MARGIN, bottom=STAMP_BOTTOM)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def pledge_poster_issue(*, pledge: ServicePledge, actor: User | None) -> tuple[IssuedDocument, bytes]:
    """Print and register the Maklumat Pelayanan poster of ``pledge``'s agency; a new print
    supersedes the earlier ones (the pledge may have changed since)."""
    agency = pledge.agency
    figures = {"title": agency.name}
    if pledge.adopted_on:
        figures["adopted_on"] = pledge.adopted_on.isoformat()
    return document_issue(
        kind=DocumentKind.PLEDGE,
        subject=f"pledge:{agency.code}",
        agency=agency,
        figures=figures,
        actor=actor,
        render=lambda stamp: pledge_poster_pdf(pledge=pledge, stamp=stamp),
    )
