"""The cover and chapters I–III of the SKM report (introduction, data collection, results), in
the active language, and the wording helpers the other parts share."""

from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Spacer

from agencies.selectors import regency_identity, regency_logo_flowable
from reports import charts
from reports.charts import count_text, decimal_text, percent_text
from reports.pdf import (
    ROW_NUMBER,
    bold,
    day_text,
    fitted,
    grade_text,
    numbered,
    para,
    performance_text,
    score_text,
    table,
    text,
)
from reports.pdf_skm_front import aggregation_rule, answer_spread, processing_table, team_and_schedule
from surveys.index import ElementResult
from surveys.labels import PROFILE_DIMENSIONS
from surveys.models import Channel

if TYPE_CHECKING:
    from reports.skm_report import SkmReport

# Proper names and the titles of Indonesian legislation read the same in every language: they
# are cited as enacted, and the sentences around them are translated.


def regency_name() -> str:
    """The regency's name as its identity sets it (neutral until set)."""
    return regency_identity().display_name


def cover_logo() -> list:
    """The regency's logo at the top of a cover, or the same space left empty."""
    logo = regency_logo_flowable(height=30 * mm)
    if logo is None:
        return [Spacer(1, 40)]
    logo.hAlign = "CENTER"
    return [logo, Spacer(1, 14)]


PUBLIC_SERVICE_LAW = "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik"
SKM_REGULATION = "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 14 Tahun 2017"
SKM_REGULATION_TITLE = (
    f"{SKM_REGULATION} tentang Pedoman Penyusunan Survei Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik"
)


def legal_basis(identity) -> list[str]:
    """The report's legal basis: the national law and regulation, then the regency's own
    regulation on the survey when its identity names one."""
    laws = [PUBLIC_SERVICE_LAW, SKM_REGULATION_TITLE]
    if identity.survey_regulation:
        laws.append(text(identity.survey_regulation))
    return [f"{law};" for law in laws[:-1]] + [f"{laws[-1]}."]


def electronic_survey_text(identity) -> str:
    """How the regency runs the survey, citing its regulation when its identity names one."""
    if identity.survey_regulation:
        return _(
            "In %(regency)s, under %(regulation)s, the community satisfaction survey, which used to be run "
            "on paper questionnaires, is carried out electronically through the Integrated Public Service "
            "Information System (Sistem Informasi Pelayanan Publik Terintegrasi, SI-PUTRI). People who have "
            "received a service can fill in the survey at any time on their own device, and their answers "
            "are turned into the IKM straight away."
        ) % {"regency": text(identity.display_name), "regulation": text(identity.survey_regulation)}
    return _(
        "In %(regency)s, the community satisfaction survey, which used to be run on paper questionnaires, is "
        "carried out electronically through the Integrated Public Service Information System (Sistem Informasi "
        "Pelayanan Publik Terintegrasi, SI-PUTRI). People who have received a service can fill in the survey at "
        "any time on their own device, and their answers are turned into the IKM straight away."
    ) % {"regency": text(identity.display_name)}


PROFILE_SHOWN = ("gender", "age_group", "education", "occupation")
GRADE_TABLE = (
    ("1", ("1.00", "2.5996"), ("25.00", "64.99"), "D"),
    ("2", ("2.60", "3.064"), ("65.00", "76.60"), "C"),
    ("3", ("3.0644", "3.532"), ("76.61", "88.30"), "B"),
    ("4", ("3.5324", "4.00"), ("88.31", "100.00"), "A"),
)
"""PermenPANRB 14/2017's table: perception value, index interval, score interval, grade."""


def element_name(report: "SkmReport", element: ElementResult) -> str:
    """The element's name as the regulation words it; its question is in Annex 1."""
    return report.names.get(element.code, element.code)


def period_range(report: "SkmReport") -> str:
    return pgettext("date range in a sentence", "%(start)s to %(end)s") % {
        "start": day_text(report.period.start),
        "end": day_text(report.period.end),
    }


def provisional(report: "SkmReport") -> list:
    if not report.period.is_provisional:
        return []
    label = _("Provisional results:")
    explanation = _("this period has not ended yet, so the figures in this report may still change until it ends.")
    return [para(f"{bold(label)} {explanation}", "note")]


def chapter(heading: str) -> list:
    """A new page opening with ``heading`` (two lines: the chapter number, then its title)."""
    return [PageBreak(), para(text(heading), "chapter")]


def figure(drawing, caption: str) -> list:
    return [KeepTogether([fitted(drawing), para(text(caption), "caption")])]


def _interval(low: str, high: str) -> str:
    """An interval of the grade table in the active language's number format."""
    low, high = (number_format(Decimal(value), decimal_pos=len(value.partition(".")[2])) for value in (low, high))
    return f"{low} – {high}"


# --- Cover and chapters I–III ------------------------------------------------------------------


def cover(report: "SkmReport") -> list:
    agency, period, index = report.agency, report.period, report.index
    year = _("YEAR %(year)s") % {"year": period.end.year}
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
    return [
        Spacer(1, 40),
        *cover_logo(),
        para(text(regency_identity().government.upper()), "cover_line"),
        para(bold(text(agency.name.upper())), "cover_line"),
        Spacer(1, 60),
        para(text(_("COMMUNITY SATISFACTION SURVEY\nRESULTS REPORT")), "cover"),
        para(text(_("Period %(period)s") % {"period": period.label}), "cover_line"),
        para(f"({text(period_range(report))})", "centre"),
        Spacer(1, 30),
        para(summary, "centre"),
        *provisional(report),
        Spacer(1, 170),
        para(bold(text(f"{regency_name().upper()}\n{year}")), "cover_line"),
        Spacer(1, 12),
        para(
            text(
                _("Compiled with SI-PUTRI from the survey data as of %(date)s.")
                % {"date": day_text(timezone.localdate())}
            ),
            "centre",
        ),
    ]


def chapter_introduction(report: "SkmReport") -> list:
    names = {"agency": text(report.agency.name), "period": text(report.period.label)}
    identity = regency_identity()
    return [
        *chapter(_("CHAPTER I\nINTRODUCTION")),
        para(_("1.1 Background"), "section"),
        para(
            _(
                "%(law)s requires every provider of public services to assess the performance of its services "
                "regularly and to involve the community in providing them. One way to do so is the Community "
                "Satisfaction Survey (Survei Kepuasan Masyarakat, SKM), whose guidelines are set by "
                "%(regulation)s. The result of the survey is expressed as the Community Satisfaction Index "
                "(Indeks Kepuasan Masyarakat, IKM)."
            )
            % {"law": PUBLIC_SERVICE_LAW, "regulation": SKM_REGULATION}
        ),
        para(electronic_survey_text(identity)),
        para(
            _(
                "This report presents the SKM results of %(agency)s for the period %(period)s, as a basis for "
                "evaluating and improving the quality of its services."
            )
            % names
        ),
        para(_("1.2 Legal Basis"), "section"),
        *numbered(legal_basis(identity)),
        para(_("1.3 Purpose and Objectives"), "section"),
        para(
            _(
                "This survey measures how satisfied the community, as the users of the services, is with the "
                "services provided by %(agency)s. Its objectives are:"
            )
            % names
        ),
        *numbered(
            [
                _(
                    "to find out the Community Satisfaction Index of the services of %(agency)s in the period "
                    "%(period)s;"
                )
                % names,
                _("to find out which service elements are still weak and need improving;"),
                _("to provide a basis for the follow-up plan to improve the services;"),
                _("to encourage the community to take part in assessing the performance of public services."),
            ],
            letters=True,
        ),
    ]


def chapter_data(report: "SkmReport") -> list:
    index, sample = report.index, report.results.sample
    agency = text(report.agency.name)
    # Every element of the versions answered in the period: pooled by code when there are several.
    asked = len({e.code for q in report.questionnaires for e in q.elements.all()}) or len(report.index.elements)
    answered = sum(1 for element in report.index.elements if element.nrr is not None) or asked
    channels = report.results.profile.get("channel", {})
    by_channel = ", ".join(
        _("%(channel)s (%(count)s)") % {"channel": text(label), "count": count_text(channels[value])}
        for value, label in Channel.choices
        if channels.get(value)
    )
    service_rows = [
        [str(number), service.name, service.unit or "—", count_text(result.respondents)]
        for number, (service, result) in enumerate(report.services, start=1)
    ]
    story = [
        *chapter(_("CHAPTER II\nDATA COLLECTION")),
        para(_("2.1 Data Collection Method"), "section"),
        para(
            _(
                "The data were collected with a questionnaire filled in by the respondents themselves, that is, "
                "people who have received a service. The questionnaire is filled in online through SI-PUTRI (a "
                "link or QR code at the service unit) or on paper; paper questionnaires are entered into SI-PUTRI "
                "by an operator. The questionnaire covers the service elements listed in Annex 1 (%(count)s in "
                "all), each rated on a scale of 1 to 4, and the respondent's profile (gender, age, education and "
                "occupation), without a name or identity number."
            )
            % {"count": asked}
        ),
    ]
    if by_channel:
        story.append(para(_("Respondents by channel: %(channels)s.") % {"channels": by_channel}))
    assisted = report.results.profile.get("assisted", {})
    if respondents := sum(assisted.values()):
        helped = assisted.get("ya", 0)
        story.append(
            para(
                _("Respondents helped by staff to fill in the questionnaire: %(count)s of %(total)s (%(percent)s).")
                % {
                    "count": count_text(helped),
                    "total": count_text(respondents),
                    "percent": percent_text(helped, respondents),
                }
            )
        )
    story += [
        para(_("2.2 Data Collection Locations"), "section"),
        para(_("The survey was carried out at the following service units of %(agency)s.") % {"agency": agency}),
        table(
            [ROW_NUMBER, _("Service"), _("Implementing unit"), _("Respondents")],
            service_rows,
            [0.07, 0.5, 0.28, 0.15],
            numbers=(3,),
        )
        if service_rows
        else para(_("No services are registered for this agency yet.")),
        para(_("2.3 Time of the Survey"), "section"),
        para(
            _("The survey covers the period %(period)s, that is %(range)s.")
            % {"period": text(report.period.label), "range": text(period_range(report))}
        ),
        *provisional(report),
        para(_("2.4 Population and Sample"), "section"),
    ]
    if sample is None:
        story.append(
            para(
                _(
                    "The number of users of the services of %(agency)s in this period has not been entered into "
                    "SI-PUTRI yet, so the minimum sample according to the Krejcie and Morgan table cannot be "
                    "calculated."
                )
                % {"agency": agency}
            )
        )
    else:
        story.append(
            para(
                _(
                    "The population, the number of service users in this period, is %(population)s. The minimum "
                    "sample is set with the Krejcie and Morgan formula that PermenPANRB 14/2017 refers to, "
                    "S = (3.841 × N × 0.25) : (0.0025 × (N - 1) + 3.841 × 0.25), so the minimum sample size is "
                    "%(minimum)s."
                )
                % {"population": count_text(sample.population), "minimum": bold(count_text(sample.minimum))}
            )
        )
    story += [para(_("2.5 Respondents"), "section"), para(_respondents_sentence(report))]
    story += [
        para(_("2.6 Data Processing Method"), "section"),
        para(
            _(
                "The mean score (NRR) of each element is the sum of its answers divided by the number of "
                "respondents who answered it. Every element has the same weight, 1/%(count)s. The IKM is the sum "
                "of the weighted NRRs (NRR × weight), ranging from 1 to 4, and the IKM score is IKM × 25, ranging "
                "from 25 to 100. The IKM score is rounded to two decimals, and the grade and performance of the "
                "service are read from the following table."
            )
            % {"count": answered}
        ),
        *(
            [
                para(
                    _(
                        "The period holds responses to questionnaire versions %(versions)s. Elements are pooled "
                        "by code across the versions: each element's NRR is over the respondents who answered it, "
                        "and each of the %(count)s elements with answers in the period has the weight 1/%(count)s. "
                        "The national score is always over the nine national elements."
                    )
                    % {"versions": ", ".join(str(v) for v in report.results.versions), "count": answered}
                )
            ]
            if report.results.spans_versions
            else []
        ),
        table(
            [
                _("Perception value"),
                _("Interval value (IKM)"),
                _("Converted interval value"),
                _("Service grade"),
                _("Performance"),
            ],
            [
                [value, _interval(*interval), _interval(*converted), grade, performance_text(grade)]
                for value, interval, converted, grade in GRADE_TABLE
            ],
            [0.14, 0.22, 0.24, 0.18, 0.22],
        ),
    ]
    if index.respondents == 0:
        story.append(para(_("No respondents in this period yet."), "note"))
    return [*story, *aggregation_rule(report), *team_and_schedule(report)]


def _respondents_sentence(report: "SkmReport") -> str:
    sample = report.results.sample
    sentence = _("The number of respondents obtained is %(count)s.") % {
        "count": bold(count_text(report.index.respondents))
    }
    if sample is None:
        adequacy = _("Whether the sample is large enough cannot be assessed, as the population has not been entered.")
    elif sample.is_enough:
        adequacy = _("This meets the minimum sample size of %(minimum)s.") % {"minimum": count_text(sample.minimum)}
    else:
        adequacy = _("This is below the minimum sample size of %(minimum)s (%(missing)s short).") % {
            "minimum": count_text(sample.minimum),
            "missing": count_text(sample.missing),
        }
    return f"{sentence} {adequacy}"


def chapter_results(report: "SkmReport") -> list:
    index = report.index
    story = [
        *chapter(_("CHAPTER III\nSURVEY RESULTS")),
        para(_("3.1 Respondent Profile"), "section"),
        *_profile(report),
        para(_("3.2 Mean Score per Service Element"), "section"),
    ]
    if index.score is None:
        story.append(para(_("No respondents in this period yet, so the NRR of each element cannot be calculated.")))
    else:
        rows = [
            [
                str(number),
                element_name(report, element),
                decimal_text(element.nrr, 3) if element.nrr is not None else "—",
                score_text(element.score),
                element.grade or "—",
            ]
            for number, element in enumerate(index.elements, start=1)
        ]
        story += [
            table(
                [ROW_NUMBER, _("Element"), "NRR", "NRR × 25", _("Grade")],
                rows,
                [0.06, 0.56, 0.13, 0.15, 0.1],
                numbers=(2, 3),
            ),
            Spacer(1, 8),
            *figure(charts.element_chart(report.results, report.names), _("Figure 3.2 NRR per service element")),
            *processing_table(report),
            Spacer(1, 8),
            *answer_spread(report),
        ]
    story.append(para(_("3.3 Community Satisfaction Index"), "section"))
    if index.score is None:
        story.append(para(_("No respondents in this period yet, so the IKM cannot be calculated.")))
    else:
        story += [
            table(
                [pgettext("report table", "Item"), pgettext("report table", "Result")],
                [
                    [_("Number of respondents"), count_text(index.respondents)],
                    [_("Community Satisfaction Index (1–4)"), decimal_text(index.index, 4)],
                    [pgettext("report table", "IKM score (25–100)"), score_text(index.score)],
                    [_("Service grade"), index.grade],
                    [_("Performance of the service unit"), performance_text(index.grade)],
                ],
                [0.6, 0.4],
            ),
            Spacer(1, 8),
            para(
                _(
                    "The IKM score of %(agency)s in the period %(period)s is %(score)s, with service grade "
                    "%(grade)s and performance %(performance)s."
                )
                % {
                    "agency": text(report.agency.name),
                    "period": text(report.period.label),
                    "score": bold(score_text(index.score)),
                    "grade": bold(index.grade),
                    "performance": bold(text(performance_text(index.grade))),
                }
            ),
        ]
        if index.national is not None and index.national.score is not None:
            story.append(
                para(
                    _(
                        "The IKM score over the nine national elements of PermenPANRB 14/2017 (without the "
                        "regency's additional element) is %(score)s, grade %(grade)s, so this result can be "
                        "compared with other institutions across Indonesia."
                    )
                    % {
                        "score": bold(score_text(index.national.score)),
                        "grade": text(grade_text(index.national.grade)),
                    }
                )
            )
    if report.services:
        story.append(para(_("3.4 Results per Service"), "section"))
        rows = [
            [str(number), service.name, count_text(result.respondents), score_text(result.score), result.grade or "—"]
            for number, (service, result) in enumerate(report.services, start=1)
        ]
        story.append(
            table(
                [ROW_NUMBER, _("Service"), _("Respondents"), _("IKM score"), _("Grade")],
                rows,
                [0.07, 0.53, 0.15, 0.13, 0.12],
                numbers=(2, 3),
            )
        )
    return story


def _profile(report: "SkmReport") -> list:
    """A table and a chart per profile dimension: gender, age group, education, occupation."""
    if report.index.respondents == 0:
        return [para(_("No respondents in this period yet."))]
    story = []
    dimensions = [(name, str(title), choices) for name, title, choices in PROFILE_DIMENSIONS if name in PROFILE_SHOWN]
    for number, (name, title, choices) in enumerate(dimensions, start=1):
        counts = report.results.profile.get(name, {})
        total = sum(counts.values())
        known = [value for value, _label in choices]
        labelled = [(value, str(label)) for value, label in choices]
        labelled += [(value, value) for value in sorted(counts) if value not in known]
        rows = [
            [label, count_text(counts.get(value, 0)), percent_text(counts.get(value, 0), total)]
            for value, label in labelled
        ]
        by = _("Respondents by %(dimension)s") % {"dimension": title.lower()}
        story += [
            para(text(f"3.1.{number} {title}"), "subsection"),
            table(
                [_("Category"), pgettext("number of respondents", "Number"), _("Percentage")],
                rows,
                [0.56, 0.2, 0.24],
                numbers=(1, 2),
                footer=[_("Total"), count_text(total), "100%" if total else "—"],
            ),
        ]
        if total:
            story += figure(
                charts.profile_chart(counts, labelled, title=by),
                _("Figure 3.1.%(number)s %(title)s") % {"number": number, "title": by},
            )
    return story
