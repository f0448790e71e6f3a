"""The annexes of the SKM report: the questionnaire, the suggestions received in the period,
and the follow-up of the previous period's recommendations, in the active language."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.platypus import PageBreak

from reports.charts import count_text
from reports.pdf import ROW_NUMBER, bold, day_text, para, period_label, table, text

if TYPE_CHECKING:
    from reports.skm_report import SkmReport


def annexes(report: "SkmReport") -> list:
    return [*_questionnaire(report), *_suggestions(report), *_previous_follow_up(report)]


def _heading(heading: str) -> list:
    """A new page opening with ``heading`` (two lines: the annex number, then its title)."""
    return [PageBreak(), para(text(heading), "chapter")]


def _questionnaire(report: "SkmReport") -> list:
    story = [
        *_heading(_("ANNEX 1\nCOMMUNITY SATISFACTION SURVEY QUESTIONNAIRE")),
        para(
            _(
                "Respondents answer each question by choosing one of four answers; the number at the head of each "
                "column is the value of the answer. Respondents also give the service they received, their "
                "gender, age, highest education and occupation, and a suggestion (optional), without a name or "
                "identity number."
            )
        ),
    ]
    for questionnaire in report.questionnaires:
        if len(report.questionnaires) > 1:
            story.append(
                para(
                    text(
                        _("%(name)s (version %(version)s)")
                        % {"name": questionnaire.name, "version": questionnaire.version}
                    ),
                    "subsection",
                )
            )
        rows = [
            [str(element.position), f"{element.name}: {element.question}", *element.labels]
            for element in questionnaire.elements.all()
        ]
        story.append(
            table(
                [ROW_NUMBER, _("Element / question"), "1", "2", "3", "4"],
                rows,
                [0.06, 0.34, 0.15, 0.15, 0.15, 0.15],
            )
        )
    return story


def _suggestions(report: "SkmReport") -> list:
    story = [
        *_heading(_("ANNEX 2\nSUGGESTIONS AND FEEDBACK FROM RESPONDENTS")),
        para(
            _(
                "The suggestions respondents gave in the period %(period)s, newest first. Suggestions an operator "
                "has hidden are left out."
            )
            % {"period": text(report.period.label)}
        ),
    ]
    if not report.suggestions:
        return [*story, para(_("No suggestions were given in this period."))]
    if report.suggestion_total > len(report.suggestions):
        shown = {"shown": count_text(len(report.suggestions)), "total": count_text(report.suggestion_total)}
        story.append(
            para(
                _("Showing the %(shown)s newest of %(total)s suggestions.") % shown
                + " "
                + _(
                    "The annex stops at the newest %(shown)s so that the report stays readable; every suggestion "
                    "of the period is on the agency's suggestions page in SI-PUTRI and in the export of the "
                    "responses."
                )
                % shown,
                "note",
            )
        )
    rows = [
        [str(number), day_text(response.day), response.service.name, response.suggestion]
        for number, response in enumerate(report.suggestions, start=1)
    ]
    return [
        *story,
        table([ROW_NUMBER, _("Date"), _("Service"), _("Suggestion")], rows, [0.06, 0.16, 0.24, 0.54]),
    ]


def _previous_follow_up(report: "SkmReport") -> list:
    story = _heading(_("ANNEX 3\nFOLLOW-UP OF THE PREVIOUS PERIOD'S RECOMMENDATIONS"))
    if not report.previous:
        return [
            *story,
            para(
                _("No evaluator recommendations for a period before %(period)s.")
                % {"period": text(report.period.label)}
            ),
        ]
    first = report.previous[0]
    story.append(
        para(
            _(
                "The evaluator's recommendations for the period %(period)s and the state of their follow-up when "
                "this report was compiled."
            )
            % {"period": text(period_label(first.period_key))}
        )
    )
    for recommendation in report.previous:
        story.append(
            para(
                _("%(title)s (due %(due)s, status %(status)s)")
                % {
                    "title": bold(text(recommendation.title)),
                    "due": text(day_text(recommendation.due_date)),
                    "status": text(recommendation.get_status_display()),
                },
                "subsection",
            )
        )
        actions = list(recommendation.actions.all())
        if not actions:
            story.append(para(_("This recommendation has no actions."), "note"))
            continue
        rows = [
            [
                str(number),
                action.text
                + (f" [{report.names.get(action.element_code, action.element_code)}]" if action.element_code else ""),
                action.plan_activity or "—",
                day_text(action.plan_target_date) if action.plan_target_date else "—",
                action.get_status_display(),
            ]
            for number, action in enumerate(actions, start=1)
        ]
        story.append(
            table(
                [ROW_NUMBER, _("Action"), _("Planned activity"), pgettext("target date", "Target"), _("Status")],
                rows,
                [0.06, 0.38, 0.28, 0.13, 0.15],
            )
        )
    return story
