"""The parts of the SKM report the regulation's structure adds around the chapters: the approval
page (Lembar Pengesahan), the foreword (Kata Pengantar), the table of contents with the lists of
tables and figures, the processing table with the spread of answers, the survey team and
schedule, the aggregation rule, and the suggestions (Saran/Rekomendasi) closing chapter V."""

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.tableofcontents import TableOfContents

from agencies.selectors import regency_identity
from reports.charts import count_text, decimal_text
from reports.pdf import ROW_NUMBER, STYLES, TEXT_WIDTH, bold, day_text, numbered, para, table, text

if TYPE_CHECKING:
    from reports.skm_report import SkmReport

DOTS = "……………………………………"
TOC_LEVELS = [
    ParagraphStyle("toc0", parent=STYLES["cell"], fontName="Helvetica-Bold", fontSize=9.5, leading=12, spaceBefore=3),
    ParagraphStyle("toc1", parent=STYLES["cell"], fontSize=9, leading=11, leftIndent=14),
]
LIST_LEVELS = [ParagraphStyle("list0", parent=STYLES["cell"], fontSize=9, leading=11)]
# No padding between entries: the contents and both lists fit one page.
TOC_TABLE = TableStyle(
    [("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1), ("VALIGN", (0, 0), (-1, -1), "TOP")]
)
# Paragraph styles whose text the document lists (see reports.pdf.render's afterFlowable).
TABLE_CAPTION = "table_caption"
FIGURE_CAPTION = "caption"


class ListOf(TableOfContents):
    """A table of contents fed by its own notification (tables, figures) with page numbers."""

    def __init__(self, kind: str, **kwargs):
        super().__init__(**kwargs)
        self.kind = kind

    def notify(self, kind, stuff):
        if kind == self.kind:
            self.addEntry(*stuff)


def table_caption(caption: str) -> Paragraph:
    """A numbered table's caption, above it; listed in the list of tables."""
    return Paragraph(text(caption), STYLES[TABLE_CAPTION])


def _head_of(report: "SkmReport") -> tuple[str, str, str]:
    """The agency head's position, name and NIP, or dotted lines to fill in by hand."""
    agency = report.agency
    position = agency.head_title or _("Head of %(agency)s") % {"agency": agency.name}
    return position, agency.head_name or DOTS, agency.head_nip or DOTS


def _signature(report: "SkmReport") -> Table:
    position, name, nip = _head_of(report)
    place = regency_identity().place
    today = day_text(timezone.localdate())
    block = [
        para(text(f"{place}, {today}" if place else today), "centre"),
        para(text(position), "centre"),
        Spacer(1, 48),
        para(bold(f"<u>{text(name)}</u>"), "centre"),
        para(text(_("NIP. %(nip)s") % {"nip": nip}), "centre"),
    ]
    signature = Table([["", block]], colWidths=[TEXT_WIDTH * 0.45, TEXT_WIDTH * 0.55], hAlign="LEFT")
    signature.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return signature


def approval_page(report: "SkmReport") -> list:
    names = {"agency": text(report.agency.name), "period": text(report.period.label)}
    return [
        PageBreak(),
        para(bold(text(_("APPROVAL PAGE"))), "chapter"),
        para(text(_("COMMUNITY SATISFACTION SURVEY RESULTS REPORT")), "centre"),
        para(text(report.agency.name.upper()), "centre"),
        para(text(_("Period %(period)s") % {"period": report.period.label}), "centre"),
        Spacer(1, 30),
        para(
            _(
                "This report of the Community Satisfaction Survey of %(agency)s for the period %(period)s has been "
                "examined and is approved as the agency's official SKM report."
            )
            % names
        ),
        Spacer(1, 20),
        para(text(_("Approved by")), "centre"),
        _signature(report),
    ]


def foreword(report: "SkmReport") -> list:
    names = {"agency": text(report.agency.name), "period": text(report.period.label)}
    return [
        PageBreak(),
        para(bold(text(_("FOREWORD"))), "chapter"),
        para(
            _(
                "Praise be to God Almighty that the Community Satisfaction Survey (SKM) report of %(agency)s for "
                "the period %(period)s has been completed. The survey measures how satisfied the people who "
                "received our services are, element by element, as PermenPANRB 14/2017 prescribes."
            )
            % names
        ),
        para(
            _(
                "The results show which elements of our services the community values and which need improving. "
                "They are the basis of our follow-up plan and are published so that the community can see what "
                "we do with their answers."
            )
        ),
        para(
            _(
                "We thank every respondent who took the time to answer, and every member of staff who took part "
                "in the survey. Suggestions for improving this report are welcome."
            )
        ),
        Spacer(1, 16),
        _signature(report),
    ]


def contents() -> list:
    """The table of contents and the lists of tables and figures, with page numbers (filled in
    by the second pass of the layout)."""
    return [
        PageBreak(),
        para(bold(text(_("TABLE OF CONTENTS"))), "chapter"),
        ListOf("TOCEntry", levelStyles=TOC_LEVELS, dotsMinLevel=0, tableStyle=TOC_TABLE),
        Spacer(1, 8),
        para(bold(text(_("LIST OF TABLES"))), "subsection"),
        ListOf("TableEntry", levelStyles=LIST_LEVELS, dotsMinLevel=0, tableStyle=TOC_TABLE),
        Spacer(1, 6),
        para(bold(text(_("LIST OF FIGURES"))), "subsection"),
        ListOf("FigureEntry", levelStyles=LIST_LEVELS, dotsMinLevel=0, tableStyle=TOC_TABLE),
    ]


def processing_table(report: "SkmReport") -> list:
    """The regulation's processing table: per element the total of its answers, the answers
    counted, NRR and weighted NRR; then the sum of weighted NRRs (the index) and the score."""
    index = report.index
    if index.score is None:
        return []
    weight = index.weight
    rows = [
        [
            str(number),
            report.names.get(element.code, element.code),
            count_text(element.total),
            count_text(element.responses),
            decimal_text(element.nrr, 3) if element.nrr is not None else "—",
            decimal_text(element.nrr * weight, 3) if element.nrr is not None and weight is not None else "—",
        ]
        for number, element in enumerate(index.elements, start=1)
    ]
    footer = ["", _("Sum of weighted NRR (IKM)"), "", "", "", decimal_text(index.index, 4)]
    return [
        table_caption(_("Table 3.1 Processing of the survey data per element")),
        table(
            [ROW_NUMBER, _("Element"), _("Total score"), _("Answers"), "NRR", _("Weighted NRR")],
            rows,
            [0.06, 0.42, 0.13, 0.11, 0.13, 0.15],
            numbers=(2, 3, 4, 5),
            footer=footer,
        ),
        para(
            _("Weight of each element = 1/%(count)s. IKM score = %(index)s × 25 = %(score)s (grade %(grade)s).")
            % {
                "count": len([e for e in index.elements if e.nrr is not None]),
                "index": decimal_text(index.index, 4),
                "score": bold(decimal_text(index.score, 2)),
                "grade": bold(index.grade),
            },
            "note",
        ),
    ]


def answer_spread(report: "SkmReport") -> list:
    """How many respondents gave each answer 1–4 to each element."""
    if report.index.score is None:
        return []
    rows = []
    for number, element in enumerate(report.index.elements, start=1):
        counts = report.spread.get(element.code, {})
        rows.append(
            [
                str(number),
                report.names.get(element.code, element.code),
                *(count_text(counts.get(value, 0)) for value in (1, 2, 3, 4)),
                count_text(element.responses),
            ]
        )
    return [
        table_caption(_("Table 3.2 Spread of the answers 1–4 per element")),
        table(
            [ROW_NUMBER, _("Element"), "1", "2", "3", "4", _("Answers")],
            rows,
            [0.06, 0.44, 0.1, 0.1, 0.1, 0.1, 0.1],
            numbers=(2, 3, 4, 5, 6),
        ),
    ]


def aggregation_rule(report: "SkmReport") -> list:
    """How the agency's figures are made: pooled responses; periods spanning versions."""
    points = [
        _(
            "The figures of %(agency)s pool the responses to all its services: each NRR is over every answer the "
            "agency received for that element, not a mean of the scores of its services."
        )
        % {"agency": text(report.agency.name)}
    ]
    if len(report.questionnaires) > 1:
        points.append(
            _(
                "The period spans %(count)s questionnaire versions. Elements are pooled by their code: each NRR is "
                "over those who answered that element, and each element answered in the period weighs 1 divided "
                "by the number of such elements; the national score is always over the nine national elements."
            )
            % {"count": len(report.questionnaires)}
        )
    return [para(_("2.7 How the Figures Are Aggregated"), "section"), *numbered(points)]


def team_and_schedule(report: "SkmReport") -> list:
    """Who ran the survey and when: the agency's head in charge, the staff accounts of the
    agency, and the collection, processing and reporting dates."""
    position, name, _nip = _head_of(report)
    operators = [
        f"{user.get_full_name() or user.username}" + (f" ({user.position})" if user.position else "")
        for user in report.agency.operators.filter(is_active=True).order_by("last_name", "first_name", "username")
    ]
    team = [_("Person in charge: %(name)s, %(position)s") % {"name": name, "position": position}]
    team += [_("Survey operator: %(name)s") % {"name": operator} for operator in operators]
    first, last = report.days
    schedule = [
        [_("Data collection"), f"{day_text(report.period.start)} – {day_text(report.period.end)}"],
        [
            _("Responses received"),
            f"{day_text(first)} – {day_text(last)}" if first else _("No responses in the period"),
        ],
        [_("Processing and reporting"), day_text(timezone.localdate())],
    ]
    return [
        para(_("2.8 Survey Team and Schedule"), "section"),
        *numbered([text(line) for line in team]),
        table_caption(_("Table 2.1 Survey schedule")),
        table([_("Activity"), _("Time")], schedule, [0.4, 0.6]),
    ]


def suggestions_and_recommendations(report: "SkmReport") -> list:
    """Saran/Rekomendasi: what to do next, from the weakest elements and the open follow-up."""
    if report.index.score is None:
        points = [_("Collect survey responses in the next period so that the IKM can be calculated.")]
    else:
        _strongest, weakest = report.extremes()
        points = [
            _("Improve the element %(element)s (NRR %(nrr)s) first, with a concrete action and a date.")
            % {"element": bold(text(report.names.get(e.code, e.code))), "nrr": decimal_text(e.nrr, 3)}
            for e in weakest
        ]
        points.append(_("Publish these results and the follow-up plan to the community."))
    sample = report.results.sample
    if sample is None or not sample.is_enough:
        points.append(_("Widen the survey in the next period until the minimum sample is reached."))
    return [para(_("5.2 Suggestions and Recommendations"), "section"), *numbered(points)]
