"""The printable paper questionnaire (A4): the regulation's layout with the respondent profile
boxes, each element with its four answers to tick and the suggestion box; the agency and
service, the questionnaire version and a form serial number that the paper import reads back
(``versi``, ``nomor_formulir``), and the survey's QR code for those who would rather answer
online."""

import io

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from accounts.models import User
from agencies.models import Agency
from agencies.selectors import regency_identity
from documents.models import DocumentKind, IssuedDocument
from documents.services import document_issue
from documents.stamp import Stamp
from standards.models import Service
from surveys.models import Education, FormSerialCounter, Gender, Occupation, Questionnaire
from surveys.posters import qr_code, survey_url

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 40
WIDTH = PAGE_WIDTH - 2 * MARGIN
BOTTOM = 70  # room for the verification stamp
BOX = 8
INK = HexColor("#1b1f1d")
MUTED = HexColor("#4a524e")
MAX_COPIES = 50


def form_serials(*, count: int) -> list[str]:
    """``count`` new serials of this year (``2026-000123``), never printed before."""
    year = timezone.localdate().year
    with transaction.atomic():
        FormSerialCounter.objects.get_or_create(year=year)
        FormSerialCounter.objects.filter(year=year).update(last=F("last") + count)
        last = FormSerialCounter.objects.select_for_update().get(year=year).last
    return [f"{year}-{number:06d}" for number in range(last - count + 1, last + 1)]


class _Sheet:
    """Draws one form top-down, starting a new page when the next block does not fit."""

    def __init__(self, canvas: Canvas, stamp: Stamp, serial: str):
        self.canvas, self.stamp, self.serial = canvas, stamp, serial
        self.y = PAGE_HEIGHT - MARGIN

    def finish_page(self) -> None:
        self.canvas.setFont("Helvetica", 8)
        self.canvas.setFillColor(MUTED)
        self.canvas.drawString(MARGIN, BOTTOM - 14, _("Form serial number: %(serial)s") % {"serial": self.serial})
        self.stamp.draw_with_line(self.canvas, left=MARGIN, right=PAGE_WIDTH - MARGIN, bottom=14)
        self.canvas.showPage()
        self.y = PAGE_HEIGHT - MARGIN

    def need(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self.finish_page()

    def text(self, value: str, *, size: float = 9, bold: bool = False, indent: float = 0) -> None:
        font = "Helvetica-Bold" if bold else "Helvetica"
        lines = simpleSplit(value, font, size, WIDTH - indent)
        self.need(len(lines) * size * 1.3)
        self.canvas.setFont(font, size)
        self.canvas.setFillColor(INK)
        for line in lines:
            self.y -= size * 1.3
            self.canvas.drawString(MARGIN + indent, self.y, line)

    def choices(self, label: str, options: list[str], *, columns: int = 4) -> None:
        """A label and tick boxes, ``columns`` to a row."""
        rows = (len(options) + columns - 1) // columns
        self.need(14 + rows * 14)
        self.text(label, bold=True)
        width = (WIDTH - 12) / columns
        for number, option in enumerate(options):
            if number % columns == 0:
                self.y -= 14
            x = MARGIN + 12 + (number % columns) * width
            self.canvas.rect(x, self.y - 1, BOX, BOX)
            self.canvas.setFont("Helvetica", 8.5)
            for line_number, line in enumerate(simpleSplit(option, "Helvetica", 8.5, width - BOX - 8)[:2]):
                self.canvas.drawString(x + BOX + 4, self.y - line_number * 9, line)
        self.y -= 8

    def blank(self, label: str, width: float = 120) -> None:
        self.need(18)
        self.y -= 16
        self.canvas.setFont("Helvetica-Bold", 9)
        self.canvas.drawString(MARGIN, self.y, label)
        start = MARGIN + 6 + self.canvas.stringWidth(label, "Helvetica-Bold", 9)
        self.canvas.line(start, self.y - 2, start + width, self.y - 2)


def _draw_form(
    canvas: Canvas, *, stamp: Stamp, questionnaire: Questionnaire, agency: Agency, service: Service | None, serial: str
) -> None:
    identity = regency_identity()
    sheet = _Sheet(canvas, stamp, serial)
    url = survey_url("service", service.code) if service else survey_url("agency", agency.code)
    matrix = qr_code(url).matrix
    size, left, top = 78, PAGE_WIDTH - MARGIN - 78, PAGE_HEIGHT - MARGIN
    module = size / len(matrix)
    for row_number, row in enumerate(matrix):
        for column, dark in enumerate(row):
            if dark:
                canvas.rect(left + column * module, top - (row_number + 1) * module, module, module, stroke=0, fill=1)
    canvas.setFont("Helvetica", 7)
    canvas.drawCentredString(left + size / 2, top - size - 9, _("Or answer online: scan this code"))
    canvas.setFont("Helvetica", 9)
    canvas.drawString(MARGIN, top - 10, identity.government.upper())
    canvas.setFont("Helvetica-Bold", 13)
    canvas.drawString(MARGIN, top - 28, _("COMMUNITY SATISFACTION SURVEY QUESTIONNAIRE"))
    canvas.setFont("Helvetica", 9)
    lines = [
        _("Agency: %(name)s") % {"name": agency.name},
        _("Service: %(name)s") % {"name": service.name} if service else _("Service: ____________________________"),
        _("Questionnaire version: %(version)s") % {"version": questionnaire.version},
        _("Form serial number: %(serial)s") % {"serial": serial},
    ]
    for number, line in enumerate(lines):
        canvas.drawString(MARGIN, top - 46 - number * 12, line[:95])
    sheet.y = top - size - 22
    sheet.text(
        _(
            "Tick one box per question. No name, no NIK and no phone number are asked. Your answers help us "
            "improve our services."
        ),
        size=8.5,
    )
    sheet.text(_("RESPONDENT PROFILE"), size=10, bold=True)
    sheet.choices(_("Gender"), [str(label) for label in Gender.labels], columns=4)
    sheet.blank(_("Age (years):"), 60)
    sheet.blank(_("Date of the survey:"), 110)
    sheet.y -= 6
    sheet.choices(_("Education"), [str(label) for label in Education.labels], columns=4)
    sheet.choices(_("Occupation"), [str(label) for label in Occupation.labels], columns=4)
    sheet.text(_("YOUR OPINION OF THE SERVICE"), size=10, bold=True)
    for element in questionnaire.elements.all():
        sheet.need(52)
        sheet.y -= 4
        sheet.text(f"{element.position}. {element.name}", bold=True)
        sheet.text(element.question, size=8.5, indent=12)
        sheet.choices("", [f"{value}. {label}" for value, label in element.options], columns=4)
    sheet.text(_("SUGGESTIONS FOR IMPROVING THE SERVICE"), size=10, bold=True)
    sheet.need(90)
    canvas.rect(MARGIN, sheet.y - 84, WIDTH, 80)
    sheet.y -= 90
    sheet.finish_page()


def paper_form_pdf(
    *, stamp: Stamp, questionnaire: Questionnaire, agency: Agency, service: Service | None, serials: list[str]
) -> bytes:
    """One form per serial, each starting on a new page."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(_("Community Satisfaction Survey Questionnaire"))
    canvas.setAuthor("SI-PUTRI")
    for serial in serials:
        _draw_form(canvas, stamp=stamp, questionnaire=questionnaire, agency=agency, service=service, serial=serial)
    canvas.save()
    return buffer.getvalue()


def paper_form_issue(
    *, questionnaire: Questionnaire, agency: Agency, service: Service | None, copies: int, actor: User | None
) -> tuple[IssuedDocument, bytes, list[str]]:
    """Print ``copies`` blank forms of the questionnaire version in use, each with a new serial,
    and register the print; returns the document, the PDF and the serials."""
    serials = form_serials(count=copies)
    target = f"service:{service.code}" if service else f"agency:{agency.code}"
    document, content = document_issue(
        kind=DocumentKind.QUESTIONNAIRE,
        subject=f"questionnaire:{target}:{serials[0]}",
        agency=agency,
        service=service,
        figures={
            "version": questionnaire.version,
            "serials": serials[0] if len(serials) == 1 else f"{serials[0]} – {serials[-1]}",
        },
        actor=actor,
        render=lambda stamp: paper_form_pdf(
            stamp=stamp, questionnaire=questionnaire, agency=agency, service=service, serials=serials
        ),
    )
    return document, content, serials
