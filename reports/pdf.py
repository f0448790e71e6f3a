"""Building blocks of the A4 PDF reports: paragraph styles, tables, the running header and the
"page X of Y" footer. Built-in Helvetica only, so nothing is fetched or embedded."""

import datetime
import io
import re
from collections.abc import Sequence
from decimal import Decimal
from functools import partial
from xml.sax.saxutils import escape, unescape

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from documents.stamp import QR_SIZE, Stamp
from reports.charts import decimal_text
from surveys import periods
from surveys.labels import PERFORMANCE
from surveys.periods import PeriodError

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
STAMP_BOTTOM = 14  # the verification QR sits in the bottom margin, above what printers cut off

GREEN = colors.HexColor("#0b5d3b")
INK = colors.HexColor("#1b1f1d")
MUTED = colors.HexColor("#4a524e")
LINE = colors.HexColor("#b9c2be")
HEADER_FILL = colors.HexColor("#e3efe8")

ROW_NUMBER = pgettext_lazy("table column: row number", "No.")

_BASE = ParagraphStyle("base", fontName="Helvetica", fontSize=10, leading=14, textColor=INK)
STYLES = {
    "body": ParagraphStyle("body", parent=_BASE, alignment=TA_JUSTIFY, spaceAfter=6),
    "list": ParagraphStyle("list", parent=_BASE, leftIndent=16, bulletIndent=2, spaceAfter=3),
    "chapter": ParagraphStyle(
        "chapter", parent=_BASE, fontName="Helvetica-Bold", fontSize=14, leading=18, alignment=TA_CENTER, spaceAfter=14
    ),
    "section": ParagraphStyle(
        "section", parent=_BASE, fontName="Helvetica-Bold", fontSize=11, leading=15, spaceBefore=10, spaceAfter=5
    ),
    "subsection": ParagraphStyle(
        "subsection", parent=_BASE, fontName="Helvetica-Bold", fontSize=10, spaceBefore=6, spaceAfter=3
    ),
    "cover": ParagraphStyle(
        "cover", parent=_BASE, fontName="Helvetica-Bold", fontSize=20, leading=26, alignment=TA_CENTER, spaceAfter=8
    ),
    "cover_line": ParagraphStyle("cover_line", parent=_BASE, fontSize=13, leading=18, alignment=TA_CENTER),
    "centre": ParagraphStyle("centre", parent=_BASE, alignment=TA_CENTER),
    "caption": ParagraphStyle(
        "caption",
        parent=_BASE,
        fontName="Helvetica-Oblique",
        fontSize=8.5,
        leading=11,
        alignment=TA_CENTER,
        spaceBefore=2,
        spaceAfter=10,
        textColor=MUTED,
    ),
    "table_caption": ParagraphStyle(
        "table_caption",
        parent=_BASE,
        fontName="Helvetica-Bold",
        fontSize=8.5,
        leading=11,
        spaceBefore=4,
        spaceAfter=3,
    ),
    "note": ParagraphStyle("note", parent=_BASE, fontSize=8.5, leading=11, textColor=MUTED, spaceAfter=6),
    "cell": ParagraphStyle("cell", parent=_BASE, fontSize=8.5, leading=10.5),
    "cell_number": ParagraphStyle("cell_number", parent=_BASE, fontSize=8.5, leading=10.5, alignment=TA_RIGHT),
    "cell_head": ParagraphStyle("cell_head", parent=_BASE, fontName="Helvetica-Bold", fontSize=8.5, leading=10.5),
}


def day_text(day: datetime.date) -> str:
    """A date as Indonesian reports write it: 1 Maret 2026 (in the active language)."""
    return date_format(day, "j F Y")


def score_text(score: Decimal | None) -> str:
    return decimal_text(score, 2) if score is not None else "—"


def performance_text(grade: str) -> str:
    """The performance (kinerja) of a grade in the active language: Sangat Baik, Very good."""
    return str(PERFORMANCE[grade])


def grade_text(grade: str | None) -> str:
    """The grade with its performance: A (Sangat Baik)."""
    return f"{grade} ({performance_text(grade)})" if grade else "—"


def period_label(key: str) -> str:
    try:
        return periods.parse(key).label
    except PeriodError:
        return key


def text(value: object) -> str:
    """Plain text made safe for a Paragraph (which reads a little markup): escaped, and line
    breaks kept."""
    return escape(str(value)).replace("\r\n", "\n").replace("\n", "<br/>")


def bold(markup: str) -> str:
    """``markup`` in bold: translated sentences take it through their placeholders, so that
    their msgids carry no markup."""
    return f"<b>{markup}</b>"


def para(markup: str, style: str = "body") -> Paragraph:
    """A paragraph of ``markup``: escape anything that did not come from the code with ``text``."""
    return Paragraph(markup, STYLES[style])


def numbered(items: Sequence[str], *, letters: bool = False) -> list[Paragraph]:
    """A list of paragraphs (markup) numbered 1. 2. … or a. b. …"""
    marks = [f"{chr(ord('a') + i)}." if letters else f"{i + 1}." for i in range(len(items))]
    return [Paragraph(item, STYLES["list"], bulletText=mark) for mark, item in zip(marks, items, strict=True)]


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    *,
    numbers: Sequence[int] = (),
    footer: Sequence[object] | None = None,
) -> Table:
    """A table with a repeated header row; cells are plain text (escaped here) or flowables.
    ``widths`` are fractions of the text width; columns in ``numbers`` align right."""

    def cell(value: object, column: int, bold: bool = False) -> object:
        if isinstance(value, Flowable):
            return value
        style = "cell_head" if bold else "cell_number" if column in numbers else "cell"
        return Paragraph(text("" if value is None else value), STYLES[style])

    data = [[cell(value, column, bold=True) for column, value in enumerate(header)]]
    data += [[cell(value, column) for column, value in enumerate(row)] for row in rows]
    if footer is not None:
        data.append([cell(value, column) for column, value in enumerate(footer)])
    # splitInRow: a cell taller than a page (a long suggestion) continues on the next page.
    result = Table(data, colWidths=[TEXT_WIDTH * w for w in widths], repeatRows=1, hAlign="LEFT", splitInRow=1)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if footer is not None:
        commands.append(("LINEABOVE", (0, -1), (-1, -1), 1.2, INK))
    result.setStyle(TableStyle(commands))
    return result


def fitted(drawing: Drawing, max_height: float = PAGE_HEIGHT - 2 * MARGIN - 80) -> Drawing:
    """``drawing`` scaled down, if need be, to fit one page with its caption (a questionnaire
    with very many elements makes a tall chart)."""
    if drawing.height > max_height:
        factor = max_height / drawing.height
        drawing.scale(factor, factor)
        drawing.width, drawing.height = drawing.width * factor, max_height
    return drawing


class _Canvas(Canvas):
    """Draws the running header and "page X of Y" once the page count is known; the first page
    (the cover) has neither. Every page, the cover too, carries the verification stamp."""

    def __init__(self, *args, header: str, footer: str, page_of: str, stamp: Stamp, **kwargs):
        super().__init__(*args, **kwargs)
        self._header, self._footer, self._page_of, self._stamp = header, footer, page_of, stamp
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            if self._pageNumber > 1:
                self._furniture(total)
            self._stamp.draw_with_line(self, left=MARGIN, right=PAGE_WIDTH - MARGIN, bottom=STAMP_BOTTOM)
            super().showPage()
        super().save()

    def _furniture(self, total: int) -> None:
        self.saveState()
        self.setFillColor(MUTED)
        self.setStrokeColor(LINE)
        self.setFont("Helvetica", 8)
        top = PAGE_HEIGHT - MARGIN + 14
        self.drawString(MARGIN, top, self._header[:110])
        self.line(MARGIN, top - 4, PAGE_WIDTH - MARGIN, top - 4)
        bottom = MARGIN - 18
        self.line(MARGIN, bottom + 10, PAGE_WIDTH - MARGIN - QR_SIZE - 6, bottom + 10)
        self.drawString(MARGIN, bottom, self._footer[:90])
        page_of = self._page_of % {"page": self._pageNumber, "total": total}
        self.drawRightString(PAGE_WIDTH - MARGIN - QR_SIZE - 6, bottom, page_of)
        self.restoreState()


# Paragraph styles the table of contents and the lists of tables and figures are made of.
LISTED_STYLES = {
    "chapter": ("TOCEntry", 0),
    "section": ("TOCEntry", 1),
    "table_caption": ("TableEntry", 0),
    "caption": ("FigureEntry", 0),
}


class _Document(SimpleDocTemplate):
    """Tells the table of contents (and the lists of tables and figures) where each heading and
    caption landed, so their page numbers are right after the second pass."""

    def afterFlowable(self, flowable):
        if isinstance(flowable, Paragraph) and flowable.style.name in LISTED_STYLES:
            kind, level = LISTED_STYLES[flowable.style.name]
            words = unescape(re.sub(r"<[^>]+>", " ", flowable.text)).split()
            self.notify(kind, (level, " ".join(words), self.page))


def render(
    story: list,
    *,
    title: str,
    subject: str,
    header: str,
    footer: str,
    stamp: Stamp,
) -> bytes:
    """The story laid out on A4 pages with the running header and footer (in the active
    language) and the verification ``stamp`` on every page, as PDF bytes."""
    buffer = io.BytesIO()
    document = _Document(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        subject=subject,
        author="SI-PUTRI",
        creator="SI-PUTRI",
    )
    page_of = _("Page %(page)s of %(total)s")
    canvas = partial(_Canvas, header=header, footer=footer, page_of=page_of, stamp=stamp)
    document.multiBuild(story, canvasmaker=canvas)
    return buffer.getvalue()
