"""The verification stamp printed on every page of an issued document: a small QR code of the
document's ``/verifikasi/CODE/`` address, with the code and the address in plain text."""

from dataclasses import dataclass
from functools import lru_cache

import segno
from django.urls import reverse
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from documents.models import printed_code
from siputri.site import public_url

INK = HexColor("#1b1f1d")
MUTED = HexColor("#4a524e")
# Large enough that a phone (and the tests' decoder on a 150 dpi render) reads it, small
# enough to sit in a page's bottom margin.
QR_SIZE = 40


def verification_url(code: str) -> str:
    return public_url(reverse("documents:verify", args=[code]))


@lru_cache(maxsize=16)
def _qr_matrix(url: str) -> tuple[tuple[int, ...], ...]:
    """The modules of the QR code of ``url``: encoded once per document, not once per page
    (encoding takes about 20 ms, a long report has 20 to 30 pages)."""
    return tuple(tuple(row) for row in segno.make_qr(url, error="m").matrix)


@dataclass(frozen=True)
class Stamp:
    code: str

    @property
    def url(self) -> str:
        return verification_url(self.code)

    @property
    def printed_code(self) -> str:
        return printed_code(self.code)

    def lines(self) -> tuple[str, str]:
        """The stamp in words, for the foot of the page: the code, then the address."""
        return _("Verify this document: %(code)s") % {"code": self.printed_code}, self.url

    def draw(self, canvas: Canvas, *, right: float, bottom: float, size: float = QR_SIZE) -> None:
        """The QR code as a square of ``size`` points whose bottom-right corner is at
        (``right``, ``bottom``), dark modules as filled rectangles (sharp at any print size)."""
        matrix = _qr_matrix(self.url)
        module = size / len(matrix)
        left, top = right - size, bottom + size
        canvas.saveState()
        canvas.setFillColor(INK)
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
                path.rect(left + start * module, top - (row_number + 1) * module, (column - start) * module, module)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()

    def draw_with_line(self, canvas: Canvas, *, left: float, right: float, bottom: float) -> None:
        """The QR code at the bottom right and the stamp's words in two lines at the left."""
        self.draw(canvas, right=right, bottom=bottom)
        canvas.saveState()
        canvas.setFillColor(MUTED)
        first, address = self.lines()
        canvas.setFont("Helvetica-Bold", 7)
        canvas.drawString(left, bottom + 11, first)
        canvas.setFont("Helvetica", 7)
        width = right - QR_SIZE - 8 - left
        size = 7.0
        while stringWidth(address, "Helvetica", size) > width and size > 4:
            size -= 0.5
        canvas.setFont("Helvetica", size)
        canvas.drawString(left, bottom + 2, address)
        canvas.restoreState()
