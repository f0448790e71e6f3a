"""Printable A4 posters with a QR code that opens the survey of an agency or of one service.

The QR code is drawn as vector shapes straight from segno's module matrix, so it stays sharp
at any print size and nothing is fetched from the network.
"""

import io
from functools import partial
from typing import Literal

import segno
from django.urls import reverse
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from accounts.models import User
from agencies.models import Agency
from agencies.selectors import regency_identity
from documents.models import DocumentKind, IssuedDocument
from documents.services import document_issue
from documents.stamp import Stamp
from siputri.site import public_url
from standards.models import Service

Kind = Literal["agency", "service"]

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 50
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
# The QR symbol (without its quiet zone): a fixed square, centred, its top edge QR_TOP points
# below the top of the page.
QR_SIZE = 300
QR_TOP = 340
QR_LEFT = (PAGE_WIDTH - QR_SIZE) / 2
QUIET_MODULES = 4
BAND_HEIGHT = 110
STAMP_BOTTOM = 14

GREEN = HexColor("#0b5d3b")
INK = HexColor("#1b1f1d")
MUTED = HexColor("#4a524e")

_SURVEY_ROUTES = {"agency": "survey:agency_survey", "service": "survey:service_survey"}
# Dark modules reach this far (points) into the row below, so no hairline shows between rows
# when a viewer or printer anti-aliases the edges.
_ROW_OVERLAP = 0.3


def survey_url(kind: Kind, code: str) -> str:
    """The absolute public survey address (on SITE_URL) of an agency or a service: what a
    poster's QR code holds, whatever host the staff member printing it used."""
    return public_url(reverse(_SURVEY_ROUTES[kind], args=[code]))


def qr_code(url: str) -> segno.QRCode:
    """The QR code for ``url``; error correction Q survives a scuffed or creased print."""
    return segno.make_qr(url, error="q")


def _y(from_top: float) -> float:
    return PAGE_HEIGHT - from_top


def _fit(text: str, *, font: str, size: float, max_lines: int, min_size: float) -> tuple[list[str], float]:
    """Wrap ``text`` to the text width, shrinking the font until it takes at most ``max_lines``."""
    lines = simpleSplit(text, font, size, TEXT_WIDTH)
    while len(lines) > max_lines and size > min_size:
        size -= 1
        lines = simpleSplit(text, font, size, TEXT_WIDTH)
    return lines, size


def _height(lines: list[str], size: float) -> float:
    return len(lines) * size * 1.2


def _draw_centred(canvas: Canvas, lines: list[str], *, font: str, size: float, top: float) -> float:
    """Draw ``lines`` centred from ``top`` down; returns where the block ends (from the top)."""
    leading = size * 1.2
    canvas.setFont(font, size)
    for number, line in enumerate(lines):
        canvas.drawCentredString(PAGE_WIDTH / 2, _y(top + number * leading + size), line)
    return top + _height(lines, size)


def _url_lines(url: str, font: str, size: float) -> list[str]:
    """Split an address that does not fit one line between characters, never dropping any."""
    lines, current = [], ""
    for character in url:
        if current and stringWidth(current + character, font, size) > TEXT_WIDTH:
            lines.append(current)
            current = ""
        current += character
    return [*lines, current]


def _draw_qr(canvas: Canvas, qr: segno.QRCode) -> float:
    """Draw the dark modules as one filled path, a rectangle per run. Returns the module size."""
    matrix = qr.matrix
    module = QR_SIZE / len(matrix)
    top = _y(QR_TOP)
    path = canvas.beginPath()
    for row_number, row in enumerate(matrix):
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            overlap = _ROW_OVERLAP if row_number + 1 < len(matrix) else 0
            path.rect(
                QR_LEFT + start * module,
                top - (row_number + 1) * module - overlap,
                (column - start) * module,
                module + overlap,
            )
    canvas.setFillColor(INK)
    canvas.drawPath(path, stroke=0, fill=1)
    return module


def poster_pdf(*, name: str, url: str, stamp: Stamp, subtitle: str = "") -> bytes:
    """An A4 poster: the survey title, whose survey it is, a big QR code for ``url``, the
    address in plain text for those who type it, and the small verification ``stamp``."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    title = _("Community Satisfaction Survey")
    regency = regency_identity().display_name
    canvas.setTitle(f"{title} — {name}")
    canvas.setAuthor("SI-PUTRI")

    canvas.setFillColor(GREEN)
    canvas.rect(0, _y(BAND_HEIGHT), PAGE_WIDTH, BAND_HEIGHT, stroke=0, fill=1)
    canvas.setFillColor(white)
    canvas.setFont("Helvetica", 14)
    canvas.drawCentredString(PAGE_WIDTH / 2, _y(42), regency.upper())
    lines, size = _fit(title, font="Helvetica-Bold", size=30, max_lines=1, min_size=18)
    _draw_centred(canvas, lines, font="Helvetica-Bold", size=size, top=55)

    module = _draw_qr(canvas, qr_code(url))
    quiet = QUIET_MODULES * module
    scan = _("Scan this QR code to fill in the survey (± 1 minute)")
    lines, size = _fit(scan, font="Helvetica-Bold", size=17, max_lines=2, min_size=11)
    scan_top = QR_TOP - quiet - _height(lines, size)
    canvas.setFillColor(GREEN)
    _draw_centred(canvas, lines, font="Helvetica-Bold", size=size, top=scan_top)

    # Whose survey it is, centred in the space between the band and the instruction.
    name_lines, name_size = _fit(name, font="Helvetica-Bold", size=24, max_lines=3, min_size=12)
    sub_lines, sub_size = _fit(subtitle, font="Helvetica", size=14, max_lines=2, min_size=10) if subtitle else ([], 0)
    block = _height(name_lines, name_size) + (6 + _height(sub_lines, sub_size) if sub_lines else 0)
    space_top, space_bottom = BAND_HEIGHT + 25, scan_top - 15
    top = space_top + max(0, (space_bottom - space_top - block) / 2)
    canvas.setFillColor(INK)
    below = _draw_centred(canvas, name_lines, font="Helvetica-Bold", size=name_size, top=top)
    if sub_lines:
        canvas.setFillColor(MUTED)
        _draw_centred(canvas, sub_lines, font="Helvetica", size=sub_size, top=below + 6)

    canvas.setFillColor(INK)
    size = 13.0
    while stringWidth(url, "Helvetica", size) > TEXT_WIDTH and size > 8:
        size -= 0.5
    canvas.setFont("Helvetica", size)
    line_top = QR_TOP + QR_SIZE + quiet
    for line in _url_lines(url, "Helvetica", size):
        line_top += size * 1.25
        canvas.drawCentredString(PAGE_WIDTH / 2, _y(line_top), line)

    canvas.setFont("Helvetica-Bold", 16)
    canvas.drawCentredString(PAGE_WIDTH / 2, _y(line_top + 40), _("No name, no NIK"))

    canvas.setFillColor(MUTED)
    canvas.setFont("Helvetica", 10)
    canvas.drawCentredString(PAGE_WIDTH / 2, _y(PAGE_HEIGHT - 36), f"SI-PUTRI · {regency}")
    stamp.draw_with_line(canvas, left=MARGIN, right=PAGE_WIDTH - MARGIN, bottom=STAMP_BOTTOM)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def poster_issue(*, agency: Agency, service: Service | None, actor: User | None) -> tuple[IssuedDocument, bytes]:
    """Print and register the survey poster of ``agency`` (or of one of its services)."""
    if service is None:
        url, target = survey_url("agency", agency.code), f"agency:{agency.code}"
        render = partial(poster_pdf, name=agency.name, url=url)
    else:
        url, target = survey_url("service", service.code), f"service:{service.code}"
        render = partial(poster_pdf, name=service.name, subtitle=agency.name, url=url)
    return document_issue(
        kind=DocumentKind.POSTER,
        subject=f"poster:{target}",
        agency=agency,
        service=service,
        figures={"title": service.name if service else agency.name},
        actor=actor,
        render=lambda stamp: render(stamp=stamp),
    )
