"""Chapters IV (analysis) and V (conclusion) of the SKM report, in the active language."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.platypus import Spacer

from reports import charts
from reports.charts import count_text, decimal_text
from reports.pdf import (
    ROW_NUMBER,
    bold,
    day_text,
    numbered,
    para,
    performance_text,
    period_label,
    score_text,
    table,
    text,
)
from reports.pdf_skm_body import chapter, element_name, figure
from reports.pdf_skm_front import suggestions_and_recommendations

if TYPE_CHECKING:
    from evaluations.models import RecommendationAction
    from reports.skm_report import SkmReport

TREND_PREVIOUS = 4


def chapter_analysis(report: "SkmReport") -> list:
    story = [*chapter(_("CHAPTER IV\nANALYSIS")), para(_("4.1 Strongest and Weakest Elements"), "section")]
    strongest, weakest = report.extremes()
    if not strongest:
        story.append(para(_("No answers in this period yet, so the elements cannot be compared.")))
    for caption, elements in (
        (_("Elements with the highest scores, to be maintained:"), strongest),
        (_("Elements with the lowest scores, the priorities for improvement:"), weakest),
    ):
        if not elements:
            continue
        rows = [
            [
                str(rank),
                element_name(report, element),
                decimal_text(element.nrr, 3),
                element.grade,
            ]
            for rank, element in enumerate(elements, start=1)
        ]
        story += [
            para(caption),
            table(
                [ROW_NUMBER, _("Element"), "NRR", _("Grade")],
                rows,
                [0.06, 0.72, 0.11, 0.11],
                numbers=(2,),
            ),
            Spacer(1, 8),
        ]
    story += [para(_("4.2 Follow-up Plan"), "section"), *_follow_up_plan(report)]
    story += [para(_("4.3 IKM Score over Time"), "section"), *_trend(report)]
    return story


def _follow_up_plan(report: "SkmReport") -> list:
    if not report.open_actions:
        return [
            para(
                _(
                    "No evaluator recommendation to %(agency)s is still open, so there is no follow-up plan to "
                    "report yet."
                )
                % {"agency": text(report.agency.name)}
            )
        ]
    story = [
        para(
            _(
                "The following follow-up plan comes from the evaluator's recommendations to this agency that have "
                "not yet been verified as done."
            )
        )
    ]
    groups: dict[int, list[RecommendationAction]] = {}
    for action in report.open_actions:
        groups.setdefault(action.recommendation_id, []).append(action)
    for actions in groups.values():
        recommendation = actions[0].recommendation
        story.append(
            para(
                _("%(title)s (period %(period)s, due %(due)s, status %(status)s)")
                % {
                    "title": bold(text(recommendation.title)),
                    "period": text(period_label(recommendation.period_key)),
                    "due": text(day_text(recommendation.due_date)),
                    "status": text(recommendation.get_status_display()),
                },
                "subsection",
            )
        )
        rows = [
            [
                str(number),
                f"{action.text}"
                + (f" [{report.names.get(action.element_code, action.element_code)}]" if action.element_code else ""),
                action.plan_activity or "—",
                action.plan_responsible or "—",
                day_text(action.plan_target_date) if action.plan_target_date else "—",
                action.get_status_display(),
            ]
            for number, action in enumerate(actions, start=1)
        ]
        story.append(
            table(
                [
                    ROW_NUMBER,
                    _("Action"),
                    _("Planned activity"),
                    _("Person responsible"),
                    pgettext("target date", "Target"),
                    _("Status"),
                ],
                rows,
                [0.06, 0.29, 0.24, 0.15, 0.12, 0.14],
            )
        )
    return story


def _trend(report: "SkmReport") -> list:
    rows = [
        [label, count_text(index.respondents), score_text(index.score), index.grade or "—"]
        for label, index in report.trend
    ]
    story = [
        para(
            _(
                "The IKM score of this period compared with the %(count)s previous semesters (“—” means no "
                "respondents yet):"
            )
            % {"count": TREND_PREVIOUS}
        ),
        table(
            [pgettext("period", "Period"), _("Respondents"), _("IKM score"), _("Grade")],
            rows,
            [0.4, 0.2, 0.2, 0.2],
            numbers=(1, 2),
        ),
        Spacer(1, 8),
    ]
    current = report.index.score
    earlier = [(label, index) for label, index in report.trend[:-1] if index.score is not None]
    if current is not None and earlier:
        label, index = earlier[-1]
        change = current - index.score
        values = {"change": decimal_text(abs(change), 2), "period": text(label), "score": score_text(index.score)}
        if change == 0:
            sentence = _("This period's IKM score is the same as in %(period)s (%(score)s).")
        elif change > 0:
            sentence = _("This period's IKM score is %(change)s points higher than in %(period)s (%(score)s).")
        else:
            sentence = _("This period's IKM score is %(change)s points lower than in %(period)s (%(score)s).")
        story.append(para(sentence % values))
    story += figure(
        charts.trend_chart([(label, index.score) for label, index in report.trend]),
        _("Figure 4.3 IKM score per period"),
    )
    return story


def chapter_conclusion(report: "SkmReport") -> list:
    index, sample = report.index, report.results.sample
    names = {"agency": text(report.agency.name), "period": text(report.period.label)}
    story = [*chapter(_("CHAPTER V\nCONCLUSION")), para(_("5.1 Conclusions"), "section")]
    if index.score is None:
        points = [
            _("No respondents in the period %(period)s yet, so the IKM of %(agency)s cannot be calculated.") % names
        ]
    else:
        strongest, weakest = report.extremes()
        points = [
            _(
                "Based on the answers of the respondents (%(count)s in all), the IKM score of %(agency)s in the "
                "period %(period)s is %(score)s (IKM %(index)s), with service grade %(grade)s and performance "
                "%(performance)s."
            )
            % {
                **names,
                "count": count_text(index.respondents),
                "score": bold(score_text(index.score)),
                "index": decimal_text(index.index, 4),
                "grade": bold(index.grade),
                "performance": bold(text(performance_text(index.grade))),
            },
            _("The elements most in need of improvement: %(elements)s.")
            % {
                "elements": "; ".join(
                    f"{text(element_name(report, e))} (NRR {decimal_text(e.nrr, 3)})" for e in weakest
                )
            },
            _("The elements with the highest scores, to be maintained: %(elements)s.")
            % {
                "elements": "; ".join(
                    f"{text(element_name(report, e))} (NRR {decimal_text(e.nrr, 3)})" for e in strongest
                )
            },
        ]
    if sample is None:
        points.append(
            _(
                "The population of service users for this period has not been entered, so whether the sample is "
                "large enough according to Krejcie and Morgan cannot be assessed."
            )
        )
    elif sample.is_enough:
        points.append(
            _(
                "The number of respondents (%(respondents)s) meets the minimum sample size of %(minimum)s according "
                "to Krejcie and Morgan."
            )
            % {"respondents": count_text(sample.respondents), "minimum": count_text(sample.minimum)}
        )
    else:
        points.append(
            _(
                "The number of respondents (%(respondents)s) is below the minimum sample size of %(minimum)s "
                "according to Krejcie and Morgan (%(missing)s short), so the results should be read with care."
            )
            % {
                "respondents": count_text(sample.respondents),
                "minimum": count_text(sample.minimum),
                "missing": count_text(sample.missing),
            }
        )
    if report.open_actions:
        points.append(
            _("Actions from the evaluator's recommendations not yet verified: %(count)s; they need to be completed.")
            % {"count": count_text(len(report.open_actions))}
        )
    if report.period.is_provisional:
        points.append(_("This period has not ended yet, so the results above are provisional."))
    return [*story, *numbered(points), *suggestions_and_recommendations(report)]
