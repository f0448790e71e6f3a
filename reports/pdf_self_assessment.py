"""The self-assessment pack as an A4 PDF, for one agency or for the regency: the identity
letterhead, the period and the day the figures were read, the table of figures with their
rules in short words, the agencies (regency) or the recommendations counted (agency), and for an
agency its head's signature block. Every print is registered as an issued document and carries
the verification stamp on every page; a new print of the same pack supersedes the older one.

Written in the reader's language (Indonesian by default), like the SKM report and the recap.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from accounts.models import User
from agencies.models import Agency
from agencies.selectors import regency_identity, regency_letterhead
from documents.models import DocumentKind, IssuedDocument
from documents.services import document_issue
from documents.stamp import Stamp
from reports.charts import count_text
from reports.pdf import INK, MUTED, ROW_NUMBER, STYLES, TEXT_WIDTH, bold, day_text, para, render, table, text
from reports.self_assessment import Figure, Pack, RegencyPack, agency_pack, regency_pack
from siputri.site import public_url
from surveys.periods import Period

LOGO_HEIGHT = 20 * mm
TITLE = ParagraphStyle("self_assessment_title", parent=STYLES["chapter"], spaceAfter=6)
SECTION = ParagraphStyle("self_assessment_section", parent=STYLES["section"], keepWithNext=1)
GREY = MUTED.hexval().replace("0x", "#")


def _letterhead(agency: Agency | None) -> list:
    """Logo, the government, the agency (or the evaluating office) and its address, over a
    double rule, as the regency's letters have it."""
    identity = regency_identity()
    office, address = (agency.name, agency.address) if agency is not None else (identity.office, identity.address)
    lines = [
        para(bold(text(identity.government.upper())), "centre"),
        para(bold(text(office.upper())), "centre"),
    ]
    if address:
        lines.append(para(text(address.replace("\n", ", ")), "caption"))
    return regency_letterhead(
        lines, width=TEXT_WIDTH, logo_height=LOGO_HEIGHT, logo_column=26 * mm, ink=INK, space_after=8
    )


def _title(pack: Pack, name: str) -> list:
    period = pack.period
    span = pgettext("date range in a sentence", "%(start)s to %(end)s") % {
        "start": day_text(period.start),
        "end": day_text(period.end),
    }
    story = [
        Paragraph(bold(text(_("SELF-ASSESSMENT OF PUBLIC SERVICE DELIVERY"))), TITLE),
        para(bold(text(name)), "centre"),
        para(text(_("Period %(period)s (%(span)s)") % {"period": period.label, "span": span}), "centre"),
        para(text(_("Figures as of %(date)s") % {"date": day_text(pack.today)}), "centre"),
        Spacer(1, 6),
        para(
            text(
                _(
                    "What the public-service evaluation of KemenPANRB (PEKPPP) and the Ombudsman's compliance "
                    "opinion look at, computed by SI-PUTRI from its data. Standards and the service pledge are "
                    "read as they stand on the day above; surveys, reports and recommendations are those of the "
                    "period."
                )
            ),
            "note",
        ),
    ]
    if period.is_provisional:
        label = _("Provisional:")
        explanation = _("this period has not ended yet, so the figures may still change until it ends.")
        story.append(para(f"{bold(text(label))} {text(explanation)}"))
    return story


def _figure_cell(figure: Figure) -> Paragraph:
    markup = bold(text(figure.value))
    if figure.detail:
        markup += f'<br/><font size="7.5" color="{GREY}">{text(figure.detail)}</font>'
    return Paragraph(markup, STYLES["cell"])


def _label_cell(figure: Figure) -> Paragraph:
    """The figure's name, linked to its evidence in SI-PUTRI (a click in a PDF reader)."""
    return Paragraph(f'<a href="{text(public_url(figure.evidence_url))}">{text(figure.label)}</a>', STYLES["cell"])


def _figures_table(pack: Pack) -> list:
    rows = [
        [_label_cell(figure), _figure_cell(figure), figure.result or "—", f"{figure.rule} {extra}".strip()]
        for figure, extra in pack.figures_with_rules
    ]
    header = [_("Figure"), _("Value"), _("Result"), _("Rule")]
    return [
        Paragraph(bold(text(_("1. Figures"))), SECTION),
        table(header, rows, (0.24, 0.25, 0.11, 0.40)),
        para(
            text(
                _(
                    "Result: whether the figure meets its rule; a dash where the rule sets no threshold or there is "
                    "nothing to measure. Each figure's name links to its evidence in SI-PUTRI."
                )
            ),
            "note",
        ),
    ]


def _agencies_table(regency: RegencyPack) -> list:
    header = [
        _("Agency"),
        _("Standards"),
        _("Pledge"),
        _("SKM and sample"),
        _("Results published"),
        _("Followed up"),
        _("Median days"),
    ]
    rows = [[row.agency.name, *(figure.short for figure in row.figures)] for row in regency.rows]
    footer = [_("Regency"), *(figure.short for figure in regency.totals.figures)]
    story = [Paragraph(bold(text(_("2. Figures per agency"))), SECTION)]
    if not rows:
        return [*story, para(text(_("No agencies yet.")))]
    return [
        *story,
        table(header, rows, (0.32, 0.12, 0.11, 0.11, 0.11, 0.11, 0.12), numbers=(1, 5, 6), footer=footer),
        para(
            text(
                _(
                    "Standards: services meeting the rule over all services; followed up: verified over all "
                    "recommendations for the period; the last row is the regency."
                )
            ),
            "note",
        ),
    ]


def _recommendations_table(pack: Pack) -> list:
    story = [Paragraph(bold(text(_("2. Recommendations for the period"))), SECTION)]
    if not pack.recommendations:
        return [*story, para(text(_("No recommendations for this period.")))]
    rows = [
        [
            str(number),
            recommendation.title,
            day_text(recommendation.issued_on),
            day_text(recommendation.verified_on) if recommendation.verified_on else _("not yet verified"),
            count_text(recommendation.days) if recommendation.days is not None else "—",
        ]
        for number, recommendation in enumerate(pack.recommendations, start=1)
    ]
    header = [str(ROW_NUMBER), _("Recommendation"), _("Issued"), _("Verified"), _("Days")]
    return [*story, table(header, rows, (0.06, 0.44, 0.18, 0.22, 0.10), numbers=(0, 4))]


def _signature(agency: Agency, pack: Pack) -> list:
    """Place and date, the head of agency's position, room to sign, name and NIP."""
    if not agency.head_name:
        return []
    place = regency_identity().place
    date = day_text(pack.today)
    block = [
        para(text(f"{place}, {date}" if place else date), "centre"),
        para(text(agency.head_title or _("Head of agency")), "centre"),
        Spacer(1, 12 * mm),
        para(f"<b><u>{text(agency.head_name)}</u></b>", "centre"),
    ]
    if agency.head_nip:
        block.append(para(text(_("NIP. %(nip)s") % {"nip": agency.head_nip}), "centre"))
    signature = Table([["", block]], colWidths=[TEXT_WIDTH - 90 * mm, 90 * mm], hAlign="LEFT")
    signature.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [KeepTogether([Spacer(1, 4), signature])]


def _render(story: list, *, name: str, period: Period, stamp: Stamp) -> bytes:
    names = {"name": name, "period": period.label}
    return render(
        story,
        title=_("Self-assessment of %(name)s %(period)s") % names,
        subject=_("Self-assessment of %(name)s") % names,
        header=_("Self-assessment of %(name)s · %(period)s") % names,
        footer=f"SI-PUTRI · {regency_identity().display_name} · {period.label}",
        stamp=stamp,
    )


def render_agency_self_assessment(pack: Pack, stamp: Stamp) -> bytes:
    """The pack of one agency as A4 PDF bytes, in the active language."""
    agency = pack.agency
    story = [
        *_letterhead(agency),
        *_title(pack, agency.name),
        *_figures_table(pack),
        # The signature never stands alone on a page: it goes with the section above it.
        KeepTogether([*_recommendations_table(pack), *_signature(agency, pack)]),
    ]
    return _render(story, name=agency.name, period=pack.period, stamp=stamp)


def render_regency_self_assessment(regency: RegencyPack, stamp: Stamp) -> bytes:
    """The pack of the regency (totals and every active agency) as A4 PDF bytes, in the active
    language."""
    name = regency_identity().display_name
    story = [
        *_letterhead(None),
        *_title(regency.totals, name),
        *_figures_table(regency.totals),
        *_agencies_table(regency),
    ]
    return _render(story, name=name, period=regency.totals.period, stamp=stamp)


def _language(language: str | None) -> str:
    return language or translation.get_language() or settings.LANGUAGE_CODE


def agency_self_assessment_issue(
    *, agency: Agency, period: Period, actor: User | None, language: str | None = None
) -> tuple[IssuedDocument, bytes]:
    """Produce and register the self-assessment pack of ``agency`` for ``period``; an earlier
    issue of the same agency and period is marked superseded. The verification page shows the
    figures as they were at issue."""
    with translation.override(_language(language)):
        pack = agency_pack(agency=agency, period=period)
        return document_issue(
            kind=DocumentKind.SELF_ASSESSMENT,
            subject=f"self_assessment:{agency.code}:{period.key}",
            agency=agency,
            period=period,
            figures=pack.key_figures(title=agency.name),
            actor=actor,
            render=lambda stamp: render_agency_self_assessment(pack, stamp),
        )


def regency_self_assessment_issue(
    *, period: Period, actor: User | None, language: str | None = None
) -> tuple[IssuedDocument, bytes]:
    """Produce and register the regency's self-assessment pack for ``period``; an earlier issue
    for the same period is marked superseded."""
    with translation.override(_language(language)):
        regency = regency_pack(period=period)
        return document_issue(
            kind=DocumentKind.SELF_ASSESSMENT,
            subject=f"self_assessment:regency:{period.key}",
            period=period,
            figures=regency.totals.key_figures(title=regency_identity().display_name),
            actor=actor,
            render=lambda stamp: render_regency_self_assessment(regency, stamp),
        )
