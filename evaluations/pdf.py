"""The printed recommendation: an A4 letter from the Bagian Organisasi to an agency with the
results it was based on, the recommended actions, the agency's follow-up plan (RTL) and its
history so far.

It is always written in Indonesian, whatever the reader's language: it is the regency's
official letter, signed, filed and passed on on paper, and every print is registered with the
hash of its bytes (documents/, /verifikasi/). Official documents of the Indonesian state are
written in Indonesian (UU 24/2009, article 27), and one registered letter must read the same to
whoever prints it. The staff pages show the same recommendation in the reader's language.

The results come from the recommendation's frozen snapshot, so a reprint a year later shows the
numbers the evaluator saw; the snapshot holds codes and figures only, and the letter words
them (element names, questions, period) in Indonesian here, whichever language the evaluator
used when issuing it.
"""

import io
from decimal import Decimal, InvalidOperation

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from accounts.models import User
from agencies.models import RegencyIdentity
from agencies.selectors import regency_identity, regency_letterhead
from documents.models import DocumentKind, IssuedDocument
from documents.services import document_issue
from documents.stamp import QR_SIZE, Stamp
from evaluations.models import ActionStatus, Recommendation
from evaluations.selectors import snapshot_elements
from surveys.index import GRADE_LABELS
from surveys.periods import Period, PeriodError, parse
from surveys.selectors import element_names

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 18 * mm
MARGIN_BOTTOM = 26 * mm
STAMP_BOTTOM = 14  # the verification QR in the bottom margin, above what printers cut off
FRAME_PADDING = 6  # reportlab's default padding inside the page's frame, on each side
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X - 2 * FRAME_PADDING
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM - 2 * FRAME_PADDING
LETTER_LANGUAGE = "id"  # the official letter's language, never the reader's: see the module docstring

INK = colors.black
RULE = colors.HexColor("#555555")
HEADER_FILL = colors.HexColor("#e6e6e6")
GRID = colors.HexColor("#777777")

_BASE = ParagraphStyle("base", fontName="Helvetica", fontSize=10, leading=13, textColor=INK)
STYLES = {
    "letterhead": ParagraphStyle(
        "letterhead", _BASE, fontName="Helvetica-Bold", fontSize=14, leading=17, alignment=TA_CENTER
    ),
    "letterhead2": ParagraphStyle(
        "letterhead2", _BASE, fontName="Helvetica-Bold", fontSize=12, leading=15, alignment=TA_CENTER
    ),
    "letterhead3": ParagraphStyle("letterhead3", _BASE, fontSize=8.5, leading=11, alignment=TA_CENTER),
    "title": ParagraphStyle("title", _BASE, fontName="Helvetica-Bold", fontSize=12, leading=15, alignment=TA_CENTER),
    "heading": ParagraphStyle(
        "heading", _BASE, fontName="Helvetica-Bold", fontSize=11, leading=14, spaceBefore=10, spaceAfter=4
    ),
    "body": _BASE,
    "cell": ParagraphStyle("cell", _BASE, fontSize=8.5, leading=10.5),
    "cell_bold": ParagraphStyle("cell_bold", _BASE, fontName="Helvetica-Bold", fontSize=8.5, leading=10.5),
    "cell_num": ParagraphStyle("cell_num", _BASE, fontSize=8.5, leading=10.5, alignment=TA_RIGHT),
    "small": ParagraphStyle("small", _BASE, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#333333")),
    "signature": ParagraphStyle("signature", _BASE, alignment=TA_CENTER),
}
TABLE_STYLE = [
    ("FONT", (0, 0), (-1, -1), "Helvetica", 8.5),
    ("GRID", (0, 0), (-1, -1), 0.5, GRID),
    ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
]


def _escaped(text: str) -> str:
    """Plain text made safe for a reportlab Paragraph, line breaks kept."""
    text = (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r\n", "\n").replace("\n", "<br/>")


def _p(text: str, style: str = "cell") -> Paragraph:
    return Paragraph(_escaped(text), STYLES[style])


def _bold(text: str, style: str = "cell") -> Paragraph:
    return Paragraph(f"<b>{_escaped(text)}</b>", STYLES[style])


def number(value, places: int) -> str:
    """A number in the active language's format (Indonesian: 1.234,56); a dash when there is
    none."""
    if value is None or value == "":
        return "—"
    try:
        value = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return formats.number_format(value, places, use_l10n=True, force_grouping=True)


def long_date(day) -> str:
    return formats.date_format(day, "j F Y")


def short_date(day) -> str:
    return "—" if day is None else formats.date_format(day, "j M Y")


def _element_name(code: str, names: dict[str, str]) -> str:
    """An element's name as the regulation words it (``waktu`` → "Waktu Penyelesaian")."""
    return names.get(code, code) if code else "—"


def _grade(grade: str | None) -> str:
    if not grade:
        return "—"
    label = GRADE_LABELS.get(grade)
    return f"{grade} ({label})" if label else grade


class _Table(Table):
    """A table that breaks between rows, and splits a row only when it is taller than a page.

    reportlab's own ``splitInRow`` splits whichever row meets the bottom of a page, leaving a
    repeated header and a sliver of a row there; a letter reads better with whole rows, and only
    a plan or note of several thousand characters needs cutting.
    """

    def split(self, availWidth, availHeight):
        self._calc(availWidth, availHeight)
        header = sum(self._rowHeights[: self.repeatRows])
        used = 0.0
        for number_, height in enumerate(self._rowHeights):
            used += height
            if used > availHeight:
                if number_ >= self.repeatRows and header + height > TEXT_HEIGHT:
                    return self._splitRows(availHeight, doInRowSplit=1)
                break
        return self._splitRows(availHeight, doInRowSplit=0)


def _table(rows: list[list], widths: list[float], extra: list | None = None) -> Table:
    table = _Table(rows, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
    table.setStyle(TableStyle(TABLE_STYLE + (extra or [])))
    return table


def _period(recommendation: Recommendation) -> Period:
    try:
        return parse(recommendation.period_key)
    except PeriodError:
        return Period(recommendation.period_key, recommendation.period_start, recommendation.period_end, "range")


def _period_label(recommendation: Recommendation) -> str:
    try:
        return parse(recommendation.period_key).label
    except PeriodError:
        return recommendation.period_key


def _letterhead(identity: RegencyIdentity) -> list:
    """Logo, regency, evaluating office and address, over a double rule."""
    contact = ", ".join(part for part in (identity.address.replace("\n", ", "), identity.phone, identity.email) if part)
    lines = [
        Paragraph(_escaped(identity.government.upper()), STYLES["letterhead"]),
        Paragraph(_escaped(identity.office.upper()), STYLES["letterhead2"]),
    ]
    if contact:
        lines.append(Paragraph(_escaped(contact), STYLES["letterhead3"]))
    return [
        *regency_letterhead(lines, width=TEXT_WIDTH, logo_height=20 * mm, logo_column=24 * mm, ink=INK, space_after=10),
        Paragraph(_escaped(_("RECOMMENDATION ON THE COMMUNITY SATISFACTION SURVEY RESULTS")), STYLES["title"]),
        Spacer(1, 10),
    ]


def _particulars(recommendation: Recommendation, today, nature: str) -> Table:
    due = long_date(recommendation.due_date)
    if recommendation.is_overdue(today=today):
        overdue = _("OVERDUE")
        due = f"<b>{_escaped(due)} — {_escaped(overdue)}</b>"
    else:
        due = _escaped(due)
    rows = [
        (pgettext("letter", "Number"), _escaped(recommendation.letter_number or "—")),
        (pgettext("letter", "Nature"), _escaped(nature)),
        (pgettext("letter", "Attachment"), "—"),
        (pgettext("letter", "To"), _escaped(recommendation.agency.name)),
        (pgettext("period", "Period"), _escaped(_period_label(recommendation))),
        (pgettext("letter", "Subject"), _escaped(recommendation.title)),
        (_("Date of issue"), _escaped(long_date(timezone.localtime(recommendation.issued_at).date()))),
        (_("Due date"), due),
        (_("Status"), _escaped(recommendation.get_status_display())),
    ]
    table = Table(
        [[Paragraph(_escaped(label), STYLES["body"]), ":", Paragraph(value, STYLES["body"])] for label, value in rows],
        colWidths=[32 * mm, 4 * mm, TEXT_WIDTH - 36 * mm],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "Helvetica", 10),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def _results(snapshot: dict) -> list:
    summary = [
        [_bold(_("Respondents")), _bold(_("Index (1–4)")), _bold(_("IKM score")), _bold(_("Grade"))],
        [
            _p(number(snapshot.get("respondents", 0), 0)),
            _p(number(snapshot.get("index"), 4)),
            _bold(number(snapshot.get("score"), 2)),
            _p(_grade(snapshot.get("grade"))),
        ],
    ]
    flowables = [
        Paragraph(_escaped(_("1. Survey results at the time of issue")), STYLES["heading"]),
        _table(summary, [TEXT_WIDTH / 4] * 4),
    ]
    national = snapshot.get("national")
    if national and national.get("grade"):
        flowables += [
            Spacer(1, 3),
            _p(
                _("National 9-element score (PermenPANRB 14/2017): %(score)s, grade %(grade)s (%(performance)s).")
                % {
                    "score": number(national.get("score"), 2),
                    "grade": national["grade"],
                    "performance": GRADE_LABELS.get(national["grade"], ""),
                },
                "small",
            ),
        ]
    if not snapshot.get("respondents"):
        flowables += [Spacer(1, 3), _p(_("No answers in this period yet."), "small")]
    elements = [element for element in snapshot_elements(snapshot) if element.get("nrr") is not None]
    if elements:
        rows = [
            [
                _bold(_("No.")),
                _bold(_("Element")),
                _bold(_("NRR (1–4)")),
                _bold(_("Score (NRR × 25)")),
                _bold(_("Grade")),
            ]
        ]
        for position, element in enumerate(elements, start=1):
            name = _escaped(element["name"])
            question = _escaped(element["question"])
            rows.append(
                [
                    _p(str(position)),
                    Paragraph(f"<b>{name}</b><br/><font size=7.5>{question}</font>", STYLES["cell"]),
                    _p(number(element.get("nrr"), 3), "cell_num"),
                    _p(number(element.get("score"), 2), "cell_num"),
                    _p(_grade(element.get("grade"))),
                ]
            )
        widths = [8 * mm, 0, 18 * mm, 27 * mm, 30 * mm]
        widths[1] = TEXT_WIDTH - sum(widths)
        flowables += [Spacer(1, 6), _table(rows, widths)]
    return flowables


def _findings(recommendation: Recommendation) -> list:
    return [
        CondPageBreak(30 * mm),
        Paragraph(_escaped(_("2. Findings")), STYLES["heading"]),
        Paragraph(_escaped(recommendation.findings), STYLES["body"]),
    ]


def _action_status(action, today) -> str:
    status = action.get_status_display()
    if action.is_overdue(today=today):
        overdue = _("OVERDUE")
        status = f"{status}; {overdue}"
    if action.status == ActionStatus.RETURNED and action.return_reason:
        reason_label = _("Reason for return")
        status = f"{status}\n{reason_label}: {action.return_reason}"
    return status


def _actions(actions: list, today, names: dict[str, str]) -> list:
    rows = [
        [
            _bold(_("No.")),
            _bold(_("Element")),
            _bold(_("Recommended action")),
            _bold(_("Programme or activity")),
            _bold(_("Person responsible")),
            _bold(_("Target date")),
            _bold(_("Status")),
        ]
    ]
    for action in actions:
        rows.append(
            [
                _p(str(action.position)),
                _p(_element_name(action.element_code, names)),
                _p(action.text),
                _p(action.plan_activity or "—"),
                _p(action.plan_responsible or "—"),
                _p(short_date(action.plan_target_date)),
                _p(_action_status(action, today)),
            ]
        )
    widths = [7 * mm, 18 * mm, 0, 36 * mm, 25 * mm, 18 * mm, 24 * mm]
    widths[2] = TEXT_WIDTH - sum(widths)
    return [
        CondPageBreak(40 * mm),
        Paragraph(_escaped(_("3. Recommended actions and follow-up plan (RTL)")), STYLES["heading"]),
        _table(rows, widths),
    ]


def _history(events: list, positions: dict[int, int]) -> list:
    rows = [[_bold(_("Date")), _bold(_("By")), _bold(_("Step")), _bold(_("Note"))]]
    for event in events:
        moment = timezone.localtime(event.at)
        step = event.get_kind_display()
        if event.action_id in positions:
            action_label = _("Action %(number)d") % {"number": positions[event.action_id]}
            step = f"{step}\n{action_label}"
        note = event.note
        if event.evidence_name or event.evidence:
            name = event.evidence_name or event.evidence.name.rsplit("/", 1)[-1]
            evidence_label = _("Evidence")
            note = f"{note}\n{evidence_label}: {name}".strip()
        rows.append(
            [
                _p(f"{short_date(moment.date())}\n{moment:%H.%M}"),
                _p(str(event.actor)),
                _p(step),
                _p(note or "—"),
            ]
        )
    widths = [24 * mm, 32 * mm, 34 * mm, 0]
    widths[3] = TEXT_WIDTH - sum(widths)
    return [
        CondPageBreak(30 * mm),
        Paragraph(_escaped(_("4. Follow-up history")), STYLES["heading"]),
        _table(rows, widths),
    ]


def _signature(recommendation: Recommendation, identity: RegencyIdentity) -> KeepTogether:
    """Place and date, the signer's position, room to sign, name, NIP."""
    issued = long_date(timezone.localtime(recommendation.issued_at).date())
    signer = recommendation.issued_by
    block = [
        Paragraph(_escaped(f"{identity.place}, {issued}" if identity.place else issued), STYLES["signature"]),
        Paragraph(_escaped(signer.position or identity.office), STYLES["signature"]),
        Spacer(1, 18 * mm),
        Paragraph(f"<b><u>{_escaped(str(signer))}</u></b>", STYLES["signature"]),
    ]
    if signer.nip:
        block.append(Paragraph(_escaped(_("NIP. %(nip)s") % {"nip": signer.nip}), STYLES["signature"]))
    table = Table([["", block]], colWidths=[TEXT_WIDTH - 75 * mm, 75 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return KeepTogether([Spacer(1, 14), table])


def _numbered_canvas(reference: str, stamp: Stamp):
    """A canvas that writes "page X of Y" and the verification stamp on every page once the
    number of pages is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number_, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFont("Helvetica", 8)
                self.setFillColor(RULE)
                self.drawString(MARGIN_X, MARGIN_BOTTOM / 2 + 20, reference)
                self.drawRightString(
                    PAGE_WIDTH - MARGIN_X - QR_SIZE - 6,
                    MARGIN_BOTTOM / 2 + 20,
                    _("Page %(page)d of %(pages)d") % {"page": number_, "pages": total},
                )
                stamp.draw_with_line(self, left=MARGIN_X, right=PAGE_WIDTH - MARGIN_X, bottom=STAMP_BOTTOM)
                super().showPage()
            super().save()

    return NumberedCanvas


def render_recommendation_pdf(recommendation: Recommendation, stamp: Stamp) -> bytes:
    """The recommendation as an A4 letter in Indonesian, with its results snapshot, actions,
    plans, history, status, the evaluator's signature block and the verification ``stamp`` on
    every page."""
    actions = list(recommendation.actions.order_by("position", "pk").select_related("recommendation"))
    events = list(recommendation.events.select_related("actor").order_by("at", "pk"))
    positions = {action.pk: action.position for action in actions}
    with translation.override(LETTER_LANGUAGE):
        today = timezone.localdate()
        names = element_names()
        identity = regency_identity()
        buffer = io.BytesIO()
        word = _("Recommendation")
        reference = f"SI-PUTRI · {word} #{recommendation.pk} · {recommendation.agency.code}"
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=_("Recommendation") + f": {recommendation.title}",
            author="SI-PUTRI",
            subject=recommendation.agency.name,
            invariant=True,
        )
        story = [
            *_letterhead(identity),
            _particulars(recommendation, today, identity.letter_nature),
            *_results(recommendation.snapshot or {}),
            *_findings(recommendation),
            *_actions(actions, today, names),
            *_history(events, positions),
            _signature(recommendation, identity),
        ]
        document.build(story, canvasmaker=_numbered_canvas(reference, stamp))
    return buffer.getvalue()


def letter_issue(*, recommendation: Recommendation, actor: User | None) -> tuple[IssuedDocument, bytes]:
    """Print and register the recommendation letter; an earlier print of it is superseded."""
    snapshot = recommendation.snapshot or {}
    issued = timezone.localtime(recommendation.issued_at).date()
    figures = {
        "title": recommendation.title,
        "letter_number": recommendation.letter_number,
        "letter_date": issued.isoformat(),
        "respondents": snapshot.get("respondents", 0),
        "score": snapshot.get("score"),
        "grade": snapshot.get("grade") or "",
    }
    return document_issue(
        kind=DocumentKind.LETTER,
        subject=f"letter:{recommendation.pk}",
        agency=recommendation.agency,
        period=_period(recommendation),
        figures=figures,
        actor=actor,
        render=lambda stamp: render_recommendation_pdf(recommendation, stamp),
    )
