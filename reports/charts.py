"""Charts drawn once and shown twice: the same reportlab Drawing goes into the PDF reports and,
through ``to_svg``, into the web pages as an image. A chart is never the only carrier of its
numbers: pages show the same numbers in a table next to it, and the PDF has the table above it.

Drawings are deterministic (same data, same bytes), use only the built-in Helvetica, and write
their labels in the active language with its number format (91,48 in Indonesian).
"""

import datetime
import io
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from xml.dom.minidom import Element

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.lib.colors import HexColor, white
from reportlab.lib.validators import isString
from reportlab.pdfbase.pdfmetrics import stringWidth

from surveys import periods, selectors
from surveys.index import IndexResult, classify, round_half_up
from surveys.periods import Period
from surveys.selectors import Results

WIDTH = 480
FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
SIZE = 9
ROW = 20
BAR = 12

INK = HexColor("#1b1f1d")
MUTED = HexColor("#4a524e")
GRID = HexColor("#c8cfcb")
BAND_LINE = HexColor("#8a9490")
NEUTRAL_BAR = HexColor("#0b5d3b")
# Every bar colour has at least 4.5:1 contrast with the white background (WCAG 1.4.11 asks
# 3:1 of graphics); the grade letter is also written next to each bar, so colour is never the
# only signal.
GRADE_COLOURS = {
    "A": HexColor("#0b5d3b"),
    "B": HexColor("#1f5f99"),
    "C": HexColor("#8a5200"),
    "D": HexColor("#a4262c"),
}

NRR_MIN, NRR_MAX = 1, 4
NRR_BANDS = (Decimal("2.60"), Decimal("3.0644"), Decimal("3.5324"))
"""Lowest index (NRR) of grades C, B and A: PermenPANRB 14/2017's interval table."""
SCORE_MIN, SCORE_MAX = 25, 100
SCORE_BANDS = (Decimal("65.00"), Decimal("76.61"), Decimal("88.31"))
"""Lowest score of grades C, B and A."""
GRADES_LOW_TO_HIGH = ("D", "C", "B", "A")


class Chart(Drawing):
    """A Drawing that also carries the title and the text description its SVG shows to screen
    readers."""

    _attrMap = AttrMap(
        BASE=Drawing,
        title=AttrMapValue(isString, desc="what the chart shows"),
        description=AttrMapValue(isString, desc="the chart's numbers as one sentence"),
    )

    def __init__(self, width: float, height: float, *, title: str, description: str) -> None:
        super().__init__(width, height)
        self.title = title
        self.description = description


def decimal_text(value: Fraction | Decimal | int, places: int) -> str:
    """``value`` rounded half-up to ``places`` decimals, in the active language's format."""
    return number_format(round_half_up(value, places), decimal_pos=places)


def count_text(value: int) -> str:
    return number_format(value, force_grouping=True)


def percent_text(part: int, whole: int) -> str:
    return decimal_text(Fraction(100 * part, whole), 1) + "%" if whole else "—"


def _fit(text: str, width: float, size: float = SIZE, font: str = FONT) -> str:
    """``text`` shortened with an ellipsis so it fits ``width`` points."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: float = SIZE, **kwargs) -> String:
    return String(
        x,
        y,
        text,
        textAnchor=anchor,
        fontName=kwargs.pop("font", FONT),
        fontSize=size,
        fillColor=kwargs.pop("colour", INK),
        **kwargs,
    )


def _label_on_white(x: float, y: float, text: str) -> list:
    """A label that stays legible where it crosses a band line."""
    width = stringWidth(text, FONT, SIZE)
    return [Rect(x - 1, y - 2, width + 2, SIZE + 2, fillColor=white, strokeColor=None), _text(x, y, text)]


def _dashed(x1: float, y1: float, x2: float, y2: float) -> Line:
    return Line(x1, y1, x2, y2, strokeColor=BAND_LINE, strokeWidth=0.6, strokeDashArray=[3, 3])


def element_chart(results: Results, names: Mapping[str, str]) -> Chart:
    """Horizontal bars of each element's NRR on the 1–4 scale, in questionnaire order, with the
    grade bands faintly marked; each bar labelled with its code, its NRR (3 decimals) and grade.
    Elements nobody answered get a dash and no bar. ``questions`` (code → question) word the
    description screen readers get."""
    elements = results.index.elements
    label = {e.code: names.get(e.code, e.code) for e in elements}
    label_width = min(170, max([stringWidth(text, FONT, SIZE) for text in label.values()] + [40]) + 10)
    value_width = 70
    top, bottom = 22, 28
    height = top + bottom + ROW * max(1, len(elements))
    x0, x1 = label_width, WIDTH - value_width

    def x(value: Fraction | Decimal | int) -> float:
        return x0 + float(Fraction(value) - NRR_MIN) / (NRR_MAX - NRR_MIN) * (x1 - x0)

    parts = []
    for value in range(NRR_MIN, NRR_MAX + 1):
        parts.append(Line(x(value), bottom, x(value), height - top, strokeColor=GRID, strokeWidth=0.5))
        parts.append(_text(x(value), bottom - 12, str(value), anchor="middle", colour=MUTED))
    parts.append(_text((x0 + x1) / 2, 2, _("NRR (1–4)"), anchor="middle", colour=MUTED))
    edges = [Decimal(NRR_MIN), *NRR_BANDS, Decimal(NRR_MAX)]
    for grade, low, high in zip(GRADES_LOW_TO_HIGH, edges, edges[1:], strict=False):
        if low != NRR_MIN:
            parts.append(_dashed(x(low), bottom, x(low), height - top + 4))
        parts.append(_text((x(low) + x(high)) / 2, height - top + 8, grade, anchor="middle", colour=MUTED))

    described = []
    for row, element in enumerate(elements):
        middle = height - top - ROW * row - ROW / 2
        parts.append(_text(label_width - 8, middle - 3, _fit(label[element.code], label_width - 10), anchor="end"))
        if element.nrr is None:
            parts.append(_text(x0 + 4, middle - 3, "—", colour=MUTED))
            described.append(f"{label[element.code]}: —")
            continue
        nrr = decimal_text(element.nrr, 3)
        end = x(element.nrr)
        parts.append(
            Rect(
                x0, middle - BAR / 2, max(end - x0, 0.5), BAR, fillColor=GRADE_COLOURS[element.grade], strokeColor=None
            )
        )
        parts += _label_on_white(end + 4, middle - 3, f"{nrr} ({element.grade})")
        described.append(f"{label[element.code]}: {nrr} ({element.grade})")

    chart = Chart(WIDTH, height, title=_("NRR per element"), description="; ".join(described))
    for part in parts:
        chart.add(part)
    return chart


def semesters_until(day: datetime.date, count: int) -> list[Period]:
    """``count`` consecutive semesters, oldest first; the last one holds ``day``."""
    year, number = day.year, 1 if day.month <= 6 else 2
    found = []
    for _step in range(count):
        found.append(periods.semester(year, number))
        year, number = (year, 1) if number == 2 else (year - 1, 2)
    return found[::-1]


def trend(*, scope: selectors.Scope, semesters: Sequence[Period]) -> list[tuple[Period, IndexResult]]:
    """The index of ``scope`` in each of ``semesters`` (read from the tallies; the index only,
    with the element order read once)."""
    codes = selectors.element_order()
    return [
        (semester, selectors.scope_index(scope=scope, start=semester.start, end=semester.end, codes=codes))
        for semester in semesters
    ]


def _label_lines(label: str, width: float) -> list[str]:
    """A period label on one line, or split before its last word (e.g. the year) onto two."""
    if stringWidth(label, FONT, SIZE - 1) <= width or " " not in label:
        return [_fit(label, width, SIZE - 1)]
    head, tail = label.rsplit(" ", 1)
    return [_fit(head, width, SIZE - 1), _fit(tail, width, SIZE - 1)]


def trend_chart(points: Sequence[tuple[str, Decimal | None]]) -> Chart:
    """One bar per period, oldest first, for its score on the 25–100 scale, with the grade bands
    faintly marked; a period without responses shows a dash instead of a bar."""
    height = 220
    x0, x1 = 34, WIDTH - 18
    bottom, top = 40, 18
    y_top = height - top

    def y(score: Decimal | int) -> float:
        return bottom + float(Decimal(score) - SCORE_MIN) / (SCORE_MAX - SCORE_MIN) * (y_top - bottom)

    parts = []
    for value in (25, 50, 75, 100):
        parts.append(Line(x0, y(value), x1, y(value), strokeColor=GRID, strokeWidth=0.5))
        parts.append(_text(x0 - 4, y(value) - 3, str(value), anchor="end", colour=MUTED))
    edges = [Decimal(SCORE_MIN), *SCORE_BANDS, Decimal(SCORE_MAX)]
    for grade, low, high in zip(GRADES_LOW_TO_HIGH, edges, edges[1:], strict=False):
        if low != SCORE_MIN:
            parts.append(_dashed(x0, y(low), x1, y(low)))
        parts.append(_text(x1 + 4, (y(low) + y(high)) / 2 - 3, grade, colour=MUTED))

    slot = (x1 - x0) / max(1, len(points))
    described = []
    for position, (label, score) in enumerate(points):
        centre = x0 + slot * (position + 0.5)
        for line, text in enumerate(_label_lines(label, slot - 4)):
            parts.append(_text(centre, bottom - 12 - 10 * line, text, anchor="middle", size=SIZE - 1))
        if score is None:
            parts.append(_text(centre, y(SCORE_MIN) + 4, "—", anchor="middle", colour=MUTED))
            described.append(f"{label} —")
            continue
        grade = classify(score)[0]
        shown = decimal_text(score, 2)
        bar = min(slot * 0.55, 48)
        parts.append(
            Rect(
                centre - bar / 2,
                y(SCORE_MIN),
                bar,
                max(y(score) - y(SCORE_MIN), 0.5),
                fillColor=GRADE_COLOURS[grade],
                strokeColor=None,
            )
        )
        parts.append(_text(centre, y(score) + 3, f"{shown} ({grade})", anchor="middle", size=SIZE - 1))
        described.append(f"{label} {shown} ({grade})")

    chart = Chart(WIDTH, height, title=_("IKM score by period"), description="; ".join(described))
    for part in parts:
        chart.add(part)
    return chart


def profile_chart(counts: Mapping[str, int], labels: Iterable[tuple[str, str]], *, title: str = "") -> Chart:
    """Horizontal bars of respondents per category, in the order of ``labels`` ((value, label)
    pairs), then any value ``counts`` holds that ``labels`` does not know; each bar labelled
    with its count and share."""
    labels = [(value, str(label)) for value, label in labels]
    known = {value for value, _label in labels}
    labels += [(value, value) for value in sorted(counts) if value not in known]
    total = sum(counts.values())
    most = max([counts.get(value, 0) for value, _label in labels] + [1])
    label_width = min(190, max([stringWidth(label, FONT, SIZE) for _value, label in labels] + [40]) + 10)
    value_width = 80
    height = 8 + ROW * max(1, len(labels))
    x0, x1 = label_width, WIDTH - value_width

    parts = [Line(x0, 4, x0, height - 4, strokeColor=GRID, strokeWidth=0.5)]
    described = []
    for row, (value, label) in enumerate(labels):
        count = counts.get(value, 0)
        middle = height - 4 - ROW * row - ROW / 2
        parts.append(_text(label_width - 8, middle - 3, _fit(label, label_width - 10), anchor="end"))
        length = (x1 - x0) * count / most
        if count:
            parts.append(Rect(x0, middle - BAR / 2, length, BAR, fillColor=NEUTRAL_BAR, strokeColor=None))
        shown = f"{count_text(count)} ({percent_text(count, total)})"
        parts.append(_text(x0 + length + 4, middle - 3, shown))
        described.append(f"{label} {shown}")

    chart = Chart(WIDTH, height, title=title or _("Respondents per category"), description="; ".join(described))
    for part in parts:
        chart.add(part)
    return chart


# Presentation attributes instead of style="": the strict Content-Security-Policy forbids
# inline styles, also inside an SVG opened on its own.
def _styles_to_attributes(element: Element) -> None:
    if element.hasAttribute("style"):
        for declaration in element.getAttribute("style").split(";"):
            name, sep, value = declaration.partition(":")
            if sep and name.strip():
                element.setAttribute(name.strip(), value.strip())
        element.removeAttribute("style")
    for child in element.childNodes:
        if child.nodeType == child.ELEMENT_NODE:
            _styles_to_attributes(child)


def to_svg(drawing: Drawing) -> str:
    """The drawing as a standalone SVG document, its title and description filled in for
    screen readers and no inline style."""
    canvas = renderSVG.SVGCanvas((drawing.width, drawing.height), svgAttrs={"role": "img"})
    renderSVG.draw(drawing, canvas, 0, 0, showBoundary=False)
    svg = canvas.svg
    for tag, text in (("title", getattr(drawing, "title", "")), ("desc", getattr(drawing, "description", ""))):
        node = svg.getElementsByTagName(tag)[0]
        node.firstChild.data = text or ""
    _styles_to_attributes(svg)
    output = io.StringIO()
    canvas.save(output)
    return output.getvalue()
