"""Charts drawn once and shown twice: the same reportlab Drawing goes into the PDF reports and,
through ``to_svg``, into the web pages as an image. A chart is never the only carrier of its
numbers: pages show the same numbers in a table next to it, and the PDF has the table above it.

Drawings are deterministic (same data, same bytes), use only the built-in Helvetica, and write
their labels in the active language with its number format (91,48 in Indonesian).
"""

import datetime
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
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


# Browsers draw "Helvetica" with whatever sans-serif they have, often wider than Helvetica's
# metrics: leave that much room wherever text must fit.
SLACK = 1.15


def _dashed(x1: float, y1: float, x2: float, y2: float) -> Line:
    return Line(x1, y1, x2, y2, strokeColor=BAND_LINE, strokeWidth=0.6, strokeDashArray=[3, 3])


@dataclass(frozen=True)
class Size:
    """How big a chart is drawn: its width and its text size, in points for a PDF and in CSS
    pixels for the web, where it is shown at exactly that width so its text keeps its size."""

    width: float = WIDTH
    font: float = SIZE

    @property
    def line(self) -> float:
        return self.font * 1.3

    @property
    def bar(self) -> float:
        return self.font * 1.1


PDF = Size()
WEB_WIDTHS = (320, 640)
"""Widths the web pages ask for: a phone (the page is 328 px wide at 360 px) and wider screens."""
WEB_FONT = 12


def web_size(width: int) -> Size:
    return Size(width=width, font=WEB_FONT)


@dataclass(frozen=True)
class Bar:
    label: str
    value: Fraction | Decimal | int | None
    shown: str
    colour: object = NEUTRAL_BAR


def _legend(entries: Sequence[tuple[object, str]], size: Size) -> tuple[list, float]:
    """Colour swatches with their meaning, flowing over as many lines as the width needs;
    the parts with their top at 0 (moved into place by the caller) and the height used."""
    parts: list = []
    x, line = 0.0, 0
    for colour, text in entries:
        width = size.font + 4 + stringWidth(text, FONT, size.font) + size.font
        if x and x + width > size.width:
            x, line = 0.0, line + 1
        y = -size.line * (line + 1)
        parts.append(Rect(x, y + 1, size.font * 0.9, size.font * 0.9, fillColor=colour, strokeColor=None))
        parts.append(_text(x + size.font + 4, y + 2, text, size=size.font))
        x += width
    return parts, size.line * (line + 1) + (size.font * 0.5 if entries else 0)


def _grade_legend(size: Size) -> tuple[list, float]:
    from surveys.labels import PERFORMANCE

    return _legend([(GRADE_COLOURS[g], f"{g} {PERFORMANCE[g]}") for g in reversed(GRADES_LOW_TO_HIGH)], size)


def _bar_chart(
    bars: Sequence[Bar],
    *,
    low: int,
    high: int,
    ticks: Sequence[int],
    bands: Sequence[Decimal] | None,
    axis: str | None,
    legend: tuple[list, float],
    size: Size,
    title: str,
    description: str,
) -> "Chart":
    """Horizontal bars, one row each: the label on its own line, the bar under it with its
    value at its end. Grade bands (lowest value of C, B and A) are dashed and lettered on top;
    the scale and its name are under the rows, the legend under those."""
    value_width = max([stringWidth(bar.shown, FONT, size.font) for bar in bars] + [size.font]) * SLACK + 6
    x0, x1 = size.font * 0.5 + 2, size.width - value_width
    row = size.line + size.bar + size.font * 0.5
    legend_parts, legend_height = legend
    band_row = size.line if bands else 0
    rows_height = row * max(1, len(bars))
    bottom = legend_height + (2 * size.line + 2 if axis else size.font * 0.5)
    height = bottom + rows_height + band_row + 4
    top = height - band_row - 2

    def x(value: Fraction | Decimal | int) -> float:
        return x0 + float((Fraction(value) - low) / (high - low)) * (x1 - x0)

    parts: list = []
    for tick in ticks:
        parts.append(Line(x(tick), bottom, x(tick), top, strokeColor=GRID, strokeWidth=0.5))
        parts.append(
            _text(x(tick), bottom - size.line + 2, number_format(tick), anchor="middle", colour=MUTED, size=size.font)
        )
    if axis:
        parts.append(_text((x0 + x1) / 2, legend_height + 2, axis, anchor="middle", colour=MUTED, size=size.font))
    if bands:
        edges = [Decimal(low), *bands, Decimal(high)]
        for grade, band_low, band_high in zip(GRADES_LOW_TO_HIGH, edges, edges[1:], strict=False):
            if band_low != low:
                parts.append(_dashed(x(band_low), bottom, x(band_low), top + 2))
            centre = (x(band_low) + x(band_high)) / 2
            parts.append(_text(centre, top + 3, grade, anchor="middle", colour=MUTED, size=size.font))
    for position, bar in enumerate(bars):
        label_y = top - row * position - size.line + 3
        label = _fit(bar.label, (size.width - x0) / SLACK, size.font)
        # On white, so the grid and band lines do not run through the words.
        label_width = stringWidth(label, FONT, size.font) * SLACK
        parts.append(Rect(x0 - 1, label_y - 3, label_width + 2, size.font + 3, fillColor=white, strokeColor=None))
        parts.append(_text(x0, label_y, label, size=size.font))
        bar_y = label_y - size.bar - 3
        if bar.value is None:
            parts.append(_text(x0 + 2, bar_y + 2, "—", colour=MUTED, size=size.font))
            continue
        end = x(bar.value)
        parts.append(Rect(x0, bar_y, max(end - x0, 0.5), size.bar, fillColor=bar.colour, strokeColor=None))
        parts.append(_text(end + 4, bar_y + size.bar * 0.15, bar.shown, size=size.font))
    for part in legend_parts:
        part.y = getattr(part, "y", 0) + legend_height
        parts.append(part)
    chart = Chart(size.width, height, title=title, description=description)
    for part in parts:
        chart.add(part)
    return chart


def element_chart(results: Results, names: Mapping[str, str], *, size: Size = PDF) -> "Chart":
    """A bar for each element's NRR on the 1–4 scale, in questionnaire order, coloured by its
    grade (the legend says which), with the grade bands marked; each labelled with its name
    (``names``, code → name; the code without one), NRR (3 decimals) and grade, which is also
    the description screen readers get. Elements nobody answered get a dash and no bar."""
    bars, described = [], []
    for element in results.index.elements:
        label = names.get(element.code) or element.code
        if element.nrr is None:
            bars.append(Bar(label, None, "—"))
            described.append(f"{label}: —")
            continue
        shown = f"{decimal_text(element.nrr, 3)} ({element.grade})"
        bars.append(Bar(label, element.nrr, shown, GRADE_COLOURS[element.grade]))
        described.append(f"{label}: {shown}")
    return _bar_chart(
        bars,
        low=NRR_MIN,
        high=NRR_MAX,
        ticks=range(NRR_MIN, NRR_MAX + 1),
        bands=NRR_BANDS,
        axis=_("NRR (1–4)"),
        legend=_grade_legend(size),
        size=size,
        title=_("NRR per element"),
        description="; ".join(described),
    )


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


def trend_chart(points: Sequence[tuple[str, Decimal | None]], *, size: Size = PDF) -> "Chart":
    """A bar per period, oldest first, for its score on the 25–100 scale, coloured by its grade
    (the legend says which), with the grade bands marked; a period without responses shows a
    dash instead of a bar."""
    bars, described = [], []
    for label, score in points:
        if score is None:
            bars.append(Bar(label, None, "—"))
            described.append(f"{label} —")
            continue
        grade = classify(score)[0]
        shown = f"{decimal_text(score, 2)} ({grade})"
        bars.append(Bar(label, score, shown, GRADE_COLOURS[grade]))
        described.append(f"{label} {shown}")
    return _bar_chart(
        bars,
        low=SCORE_MIN,
        high=SCORE_MAX,
        ticks=(25, 50, 75, 100),
        bands=SCORE_BANDS,
        axis=_("IKM score (25–100)"),
        legend=_grade_legend(size),
        size=size,
        title=_("IKM score by period"),
        description="; ".join(described),
    )


def profile_chart(
    counts: Mapping[str, int], labels: Iterable[tuple[str, str]], *, title: str = "", size: Size = PDF
) -> "Chart":
    """A bar of respondents per category, in the order of ``labels`` ((value, label) pairs),
    then any value ``counts`` holds that ``labels`` does not know; each labelled with its count
    and share. One colour: the number of respondents."""
    labels = [(value, str(label)) for value, label in labels]
    known = {value for value, _label in labels}
    labels += [(value, value) for value in sorted(counts) if value not in known]
    total = sum(counts.values())
    most = max([counts.get(value, 0) for value, _label in labels] + [1])
    bars, described = [], []
    for value, label in labels:
        count = counts.get(value, 0)
        shown = f"{count_text(count)} ({percent_text(count, total)})"
        bars.append(Bar(label, Fraction(count * 100, most), shown))
        described.append(f"{label} {shown}")
    return _bar_chart(
        bars,
        low=0,
        high=100,
        ticks=(),
        bands=None,
        axis=None,
        legend=_legend([(NEUTRAL_BAR, _("Respondents"))], size),
        size=size,
        title=title or _("Respondents per category"),
        description="; ".join(described),
    )


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
