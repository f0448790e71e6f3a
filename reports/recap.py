"""The regency recap (Rekapitulasi IKM Kabupaten Ogan Komering Ilir) for one period, as an A4
PDF: the regency's index, every active agency ranked with its sample, the agencies that need
attention and the status of the recommendations issued for the period.

Every number comes from ``surveys.selectors`` (the tallies) and from grouped counts of the
recommendations: the number of queries does not grow with the number of agencies.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle

from agencies.models import Agency
from agencies.selectors import regency_identity
from documents.stamp import Stamp
from evaluations.models import Recommendation, RecommendationStatus
from reports.charts import count_text
from reports.pdf import (
    ROW_NUMBER,
    STYLES,
    TEXT_WIDTH,
    bold,
    day_text,
    grade_text,
    para,
    performance_text,
    render,
    score_text,
    table,
    text,
)
from reports.pdf_skm_body import cover_logo, regency_name
from surveys import selectors
from surveys.index import GRADE_LABELS, IndexResult, minimum_sample
from surveys.models import SamplePopulation
from surveys.periods import Period
from surveys.selectors import SampleAdequacy

ATTENTION_GRADES = ("C", "D")

# The wide tables (eight columns) keep portrait A4 readable with smaller column headings and
# narrower cell padding, and give every column but the agency's just the room its longest word
# needs in the active language, so no heading breaks inside a word.
HEAD = ParagraphStyle("recap_head", parent=STYLES["cell_head"], fontSize=7.5, leading=9)
PADDING = 3
SECTION = ParagraphStyle("recap_section", parent=STYLES["section"], keepWithNext=1)
SUBSECTION = ParagraphStyle("recap_subsection", parent=STYLES["subsection"], keepWithNext=1)


@dataclass(frozen=True)
class RecapRow:
    """One agency in the ranking: its rank (None without responses; equal scores share a rank),
    its index and, when its population for exactly this period is on record, its sample."""

    rank: int | None
    agency: Agency
    index: IndexResult
    sample: SampleAdequacy | None

    def attention(self) -> list[str]:
        """Why the agency needs attention, in the active language; empty when it does not."""
        if not self.index.respondents:
            return [_("no responses in this period")]
        reasons = []
        if self.index.grade in ATTENTION_GRADES:
            reasons.append(
                _("grade %(grade)s (%(performance)s)")
                % {"grade": self.index.grade, "performance": performance_text(self.index.grade)}
            )
        if self.sample is not None and not self.sample.is_enough:
            reasons.append(
                _("sample too small: %(respondents)s of a minimum of %(minimum)s respondents")
                % {"respondents": count_text(self.sample.respondents), "minimum": count_text(self.sample.minimum)}
            )
        return reasons


@dataclass(frozen=True)
class RecommendationCounts:
    """The recommendations of one agency for the period: how many in each status, how many
    overdue."""

    by_status: dict[str, int] = field(default_factory=dict)
    overdue: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


@dataclass
class RegencyRecap:
    period: Period
    regency: selectors.Results
    rows: list[RecapRow]
    recommendations: list[tuple[Agency, RecommendationCounts]]

    @property
    def surveyed(self) -> int:
        return sum(1 for row in self.rows if row.index.respondents)

    def needing_attention(self) -> list[tuple[RecapRow, list[str]]]:
        found = ((row, row.attention()) for row in self.rows)
        return [(row, reasons) for row, reasons in found if reasons]

    def grade_counts(self) -> Counter:
        return Counter(row.index.grade for row in self.rows if row.index.respondents)


def agency_samples(*, period: Period, respondents: dict[int, int]) -> dict[int, SampleAdequacy]:
    """Agency id → its sample adequacy, for the agencies that entered the number of service users
    of exactly ``period`` for the whole agency: ``selectors.sample_adequacy`` for every agency at
    once, in one query."""
    records = SamplePopulation.objects.filter(start=period.start, end=period.end, service__isnull=True)
    return {
        agency_id: SampleAdequacy(population, minimum_sample(population), respondents.get(agency_id, 0))
        for agency_id, population in records.values_list("agency", "population")
    }


def recommendation_status(
    recommendations: QuerySet[Recommendation], *, today: datetime.date
) -> dict[int, RecommendationCounts]:
    """Agency id → the counts of ``recommendations`` by status and overdue on ``today``, in two
    grouped queries."""
    statuses: dict[int, dict[str, int]] = defaultdict(dict)
    for row in recommendations.order_by().values("agency", "status").annotate(n=Count("pk")):
        statuses[row["agency"]][row["status"]] = row["n"]
    late = recommendations.overdue(today).order_by().values("agency").annotate(n=Count("pk"))
    overdue = {row["agency"]: row["n"] for row in late}
    return {
        agency_id: RecommendationCounts(by_status=counts, overdue=overdue.get(agency_id, 0))
        for agency_id, counts in statuses.items()
    }


def _ranked(ranking: list[selectors.RankedAgency], samples: dict[int, SampleAdequacy]) -> list[RecapRow]:
    scores = [entry.index.score for entry in ranking if entry.index.score is not None]
    rows = []
    for entry in ranking:
        score = entry.index.score
        rank = None if score is None else 1 + sum(1 for other in scores if other > score)
        rows.append(RecapRow(rank, entry.agency, entry.index, samples.get(entry.agency.pk)))
    return rows


def gather_recap(*, period: Period, today: datetime.date | None = None) -> RegencyRecap:
    """What the recap says for ``period``, with recommendations counted as overdue on ``today``
    (default: today)."""
    today = today or timezone.localdate()
    ranking = selectors.agency_ranking_cached(start=period.start, end=period.end)
    respondents = {entry.agency.pk: entry.index.respondents for entry in ranking}
    rows = _ranked(ranking, agency_samples(period=period, respondents=respondents))
    recommendations = Recommendation.objects.filter(period_start=period.start, period_end=period.end)
    counts = recommendation_status(recommendations, today=today)
    agencies = {row.agency.pk: row.agency for row in rows}
    missing = [agency_id for agency_id in counts if agency_id not in agencies]
    agencies.update(Agency.objects.in_bulk(missing))
    listed = sorted(counts.items(), key=lambda item: (agencies[item[0]].name, item[0]))
    return RegencyRecap(
        period=period,
        regency=selectors.results(scope=selectors.Scope(), start=period.start, end=period.end),
        rows=rows,
        recommendations=[(agencies[agency_id], agency_counts) for agency_id, agency_counts in listed],
    )


# --- Layout ------------------------------------------------------------------------------------


def _width(label: str, values: list[str]) -> float:
    """The fraction of the text width a column needs for the longest word of its heading and its
    longest value."""
    words = [stringWidth(word, HEAD.fontName, HEAD.fontSize) for word in label.split()]
    cells = [stringWidth(value, "Helvetica", STYLES["cell"].fontSize) for value in values]
    return (max(words + cells + [0]) + 2 * PADDING + 2) / TEXT_WIDTH


def _wide_table(
    header: list[str],
    rows: list[list[str]],
    *,
    name_column: int,
    numbers: tuple[int, ...],
    footer: list[str] | None = None,
) -> Table:
    """A table whose ``name_column`` takes the room the other columns (numbers and short words)
    leave; the columns in ``numbers`` align right."""
    lines = [*rows, *([footer] if footer else [])]
    widths = [_width(label, [line[column] for line in lines]) for column, label in enumerate(header)]
    widths[name_column] = 1 - sum(width for column, width in enumerate(widths) if column != name_column)
    heads = [Paragraph(text(label), HEAD) for label in header]
    result = table(heads, rows, widths, numbers=numbers, footer=footer)
    result.setStyle(
        TableStyle([("LEFTPADDING", (0, 0), (-1, -1), PADDING), ("RIGHTPADDING", (0, 0), (-1, -1), PADDING)])
    )
    return result


def _heading(title: str) -> Paragraph:
    """A section heading that stays on the page of what follows it."""
    return Paragraph(text(title), SECTION)


def _cover(recap: RegencyRecap) -> list:
    """The first page (no running header or page number, as in the SKM report): the title, the
    period and the regency's headline numbers."""
    period, index = recap.period, recap.regency.index
    span = pgettext("date range in a sentence", "%(start)s to %(end)s") % {
        "start": day_text(period.start),
        "end": day_text(period.end),
    }
    summary = (
        _("IKM score %(score)s · Grade %(grade)s · Respondents: %(respondents)s")
        % {
            "score": bold(score_text(index.score)),
            "grade": bold(text(grade_text(index.grade))),
            "respondents": count_text(index.respondents),
        }
        if index.score is not None
        else _("No respondents in this period yet.")
    )
    surveyed = _("Agencies with responses: %(surveyed)s of %(total)s") % {
        "surveyed": count_text(recap.surveyed),
        "total": count_text(len(recap.rows)),
    }
    story = [
        Spacer(1, 40),
        *cover_logo(),
        para(text(regency_identity().government.upper()), "cover_line"),
        Spacer(1, 60),
        para(text(_("IKM recap of %(regency)s") % {"regency": regency_name()}), "cover"),
        para(text(_("Period %(period)s") % {"period": period.label}), "cover_line"),
        para(f"({text(span)})", "centre"),
        Spacer(1, 30),
        para(summary, "centre"),
        para(text(surveyed), "centre"),
    ]
    if period.is_provisional:
        label = _("Provisional results:")
        explanation = _("this period has not ended yet, so the figures in this report may still change until it ends.")
        story += [Spacer(1, 12), para(f"{bold(label)} {explanation}", "centre")]
    story += [
        Spacer(1, 150),
        para(
            text(
                _("Compiled with SI-PUTRI from the survey data as of %(date)s.")
                % {"date": day_text(timezone.localdate())}
            ),
            "centre",
        ),
        PageBreak(),
    ]
    return story


def _regency_section(recap: RegencyRecap) -> list:
    index = recap.regency.index
    rows = [
        [_("Respondents"), count_text(index.respondents)],
        [
            _("Agencies with responses"),
            _("%(surveyed)s of %(total)s")
            % {"surveyed": count_text(recap.surveyed), "total": count_text(len(recap.rows))},
        ],
        [_("IKM score (25–100)"), score_text(index.score)],
        [_("Grade"), index.grade or "—"],
        [_("Performance"), performance_text(index.grade) if index.grade else "—"],
    ]
    grades = recap.grade_counts()
    grade_rows = [[grade, performance_text(grade), count_text(grades.get(grade, 0))] for grade in GRADE_LABELS]
    grade_rows.append(["—", _("No responses"), count_text(len(recap.rows) - recap.surveyed)])
    story = [
        _heading(_("1. The IKM of %(regency)s") % {"regency": regency_name()}),
        table([_("Indicator"), _("Value")], rows, (0.5, 0.5)),
        Paragraph(text(_("Agencies by grade")), SUBSECTION),
        table([_("Grade"), _("Performance"), _("Agencies")], grade_rows, (0.2, 0.5, 0.3), numbers=(2,)),
    ]
    if index.score is None:
        story.append(para(text(_("No respondents in this period yet.")), "note"))
    return story


def _ranking_section(recap: RegencyRecap) -> list:
    enough, too_few = pgettext("sample size", "enough"), pgettext("sample size", "too few")
    rows = [
        [
            str(row.rank) if row.rank is not None else "—",
            row.agency.name,
            count_text(row.index.respondents),
            count_text(row.sample.minimum) if row.sample else "—",
            (enough if row.sample.is_enough else too_few) if row.sample else "—",
            score_text(row.index.score),
            row.index.grade or "—",
            performance_text(row.index.grade) if row.index.grade else "—",
        ]
        for row in recap.rows
    ]
    index = recap.regency.index
    footer = [
        "",
        regency_name(),
        count_text(index.respondents),
        "",
        "",
        score_text(index.score),
        index.grade or "—",
        performance_text(index.grade) if index.grade else "—",
    ]
    header = [
        _("Rank"),
        _("Agency"),
        _("Respondents"),
        _("Minimum sample"),
        _("Sample"),
        _("Score"),
        _("Grade"),
        _("Performance"),
    ]
    return [
        _heading(_("2. Ranking of the agencies")),
        _wide_table(header, rows, name_column=1, numbers=(0, 2, 3, 5), footer=footer)
        if rows
        else para(text(_("No agencies yet."))),
        para(
            text(
                _(
                    "Agencies with equal scores share a rank; agencies without responses are listed last. The "
                    "minimum sample (Krejcie & Morgan) is shown where the agency entered its number of service "
                    "users for exactly this period."
                )
            ),
            "note",
        ),
    ]


def _attention_section(recap: RegencyRecap) -> list:
    found = recap.needing_attention()
    story = [
        _heading(_("3. Agencies needing attention")),
        para(
            text(
                _(
                    "Agencies graded C or D, with fewer respondents than their minimum sample, or without "
                    "responses in this period."
                )
            )
        ),
    ]
    if not found:
        story.append(para(text(_("No agency needs attention in this period."))))
        return story
    rows = [
        [str(number), row.agency.name, score_text(row.index.score), row.index.grade or "—", "; ".join(reasons)]
        for number, (row, reasons) in enumerate(found, start=1)
    ]
    header = [str(ROW_NUMBER), _("Agency"), _("Score"), _("Grade"), _("Why")]
    story.append(table(header, rows, (0.06, 0.36, 0.1, 0.08, 0.4), numbers=(0, 2)))
    return story


def _recommendation_section(recap: RegencyRecap) -> list:
    story = [_heading(_("4. Status of the recommendations"))]
    if not recap.recommendations:
        story.append(para(text(_("No recommendations were issued for this period."))))
        return story
    statuses = list(RecommendationStatus)
    rows = [
        [
            agency.name,
            *(count_text(counts.by_status.get(status.value, 0)) for status in statuses),
            count_text(counts.overdue),
            count_text(counts.total),
        ]
        for agency, counts in recap.recommendations
    ]
    totals = [
        _("Total"),
        *(
            count_text(sum(counts.by_status.get(status.value, 0) for _agency, counts in recap.recommendations))
            for status in statuses
        ),
        count_text(sum(counts.overdue for _agency, counts in recap.recommendations)),
        count_text(sum(counts.total for _agency, counts in recap.recommendations)),
    ]
    header = [_("Agency"), *(str(status.label) for status in statuses), _("Overdue"), _("Total")]
    story += [
        _wide_table(header, rows, name_column=0, numbers=tuple(range(1, len(header))), footer=totals),
        para(
            text(
                _(
                    "Recommendations issued for this period, by status. Overdue: past the due date while the "
                    "agency still owes follow-up."
                )
            ),
            "note",
        ),
    ]
    return story


def render_regency_recap(*, period: Period, stamp: Stamp, language: str | None = None) -> bytes:
    """The regency recap for ``period`` as A4 PDF bytes with the verification ``stamp`` on every
    page, in ``language`` if given, else in the active language (Indonesian unless the reader
    chose English)."""
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        recap = gather_recap(period=period)
        story = [
            *_cover(recap),
            *_regency_section(recap),
            *_ranking_section(recap),
            *_attention_section(recap),
            *_recommendation_section(recap),
        ]
        names = {"regency": regency_name(), "period": period.label}
        return render(
            story,
            title=_("IKM recap of %(regency)s %(period)s") % names,
            subject=_("IKM recap of %(regency)s") % names,
            header=_("IKM recap of %(regency)s · %(period)s") % names,
            footer=f"SI-PUTRI · {regency_name()} · {period.label}",
            stamp=stamp,
        )
