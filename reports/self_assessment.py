"""The self-assessment pack: what KemenPANRB's public-service evaluation (PEKPPP) and the
Ombudsman's compliance opinion look at, computed from live data for one agency or for the
regency, for one period.

The rules, figure by figure. "Today" is the day the pack is made (Asia/Jakarta); "the period"
is the period chosen. Standards and pledges are read as they stand today (SI-PUTRI keeps no
earlier state of them to read instead); surveys, reports and recommendations are those of the
period.

``standards`` — **services whose standard is complete, reviewed and published.** Numerator:
the services of the agency whose standard has all 14 components of PermenPANRB 15/2014 filled
(``standards.completeness``: empty or placeholder text such as ``-`` or ``belum ada`` counts as
missing), whose last review (``Service.reviewed_on``) is within the year up to today (on or
after the same date a year earlier, 28 February for 29 February; a date after today does not
count) and which are published. Denominator: every service of the agency, drafts included.
Passes when every service does; an agency without services has nothing to measure (share and
result empty, not a failure). Evidence: the agency's completeness page.

``pledge`` — **maklumat present and published.** Passes when the agency has a service pledge
whose text is real (the completeness rule: not empty, not a placeholder), whose adoption date
is recorded and not after today, and the agency is active, so its public page shows the
pledge. Evidence: that public page.

``survey`` — **SKM done in the period with an adequate sample.** Passes when the agency has at
least one accepted response in the period and at least the Krejcie & Morgan minimum sample of
the service-user population it entered for the whole agency for exactly this period
(``surveys.selectors.sample_adequacy``). Without that population the sample cannot be judged
and the figure fails, saying so. Evidence: the agency's results page for the period.

``published`` — **results published.** Passes when the agency is active and has accepted
responses in the period (its public results page then shows them) and its SKM report for
exactly this period has been issued (registered in ``documents``; the current issue is named).
Evidence: the report's verification page, or the public results page while there is no report.

``follow_up`` — **recommendations followed up to verification.** Numerator: recommendations to
the agency for the period (whose evaluated period lies within the chosen one: a year takes its
semesters' and quarters' recommendations) that the evaluator verified (every action verified).
Denominator: all of them. No recommendations → no share and no result. No threshold: the
figure has no pass or fail. Evidence: the agency's recommendations.

``follow_up_days`` — **median days from recommendation to verified follow-up.** For each
verified recommendation of ``follow_up``: the calendar days (Asia/Jakarta) from the day it was
issued to the day its last action was verified (the step that made it verified). The median of
those: the middle value, or for an even count the mean of the two middle values (which may end
in .5). None verified → "no data", never 0. No pass or fail.

**Regency.** The active agencies, each with the figures above, and totals: services pooled for
``standards`` (services meeting the rule over all services of active agencies); for
``pledge``, ``survey`` and ``published`` the agencies that pass over all active agencies;
``follow_up`` pools the agencies' recommendations and ``follow_up_days`` is the median over
all of them (not a median of medians). A regency total passes when every active agency (every
service) passes.

Every read is grouped: the regency pack makes the same handful of queries whatever the number of
agencies, services or recommendations.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from urllib.parse import urlencode

from django.db.models import Max, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from agencies.models import Agency, ServicePledge
from documents.models import DocumentKind, IssuedDocument, printed_code
from evaluations.models import EventKind, Recommendation, RecommendationStatus
from reports.charts import count_text, decimal_text, percent_text
from standards.completeness import COMPONENTS, FILLED, component_status
from standards.models import Service
from surveys.index import minimum_sample, round_half_up
from surveys.models import AgencyRespondentTally, SamplePopulation
from surveys.periods import Period
from surveys.selectors import SampleAdequacy, tally_period

STANDARDS, PLEDGE, SURVEY, PUBLISHED, FOLLOW_UP, FOLLOW_UP_DAYS = (
    "standards",
    "pledge",
    "survey",
    "published",
    "follow_up",
    "follow_up_days",
)
FIGURES = (STANDARDS, PLEDGE, SURVEY, PUBLISHED, FOLLOW_UP, FOLLOW_UP_DAYS)
# Figures an agency passes or fails as a whole: the regency counts its agencies that pass.
AGENCY_CHECKS = (PLEDGE, SURVEY, PUBLISHED)

LABELS = {
    STANDARDS: gettext_lazy("Service standards complete, reviewed and published"),
    PLEDGE: gettext_lazy("Service pledge (maklumat) present and published"),
    SURVEY: gettext_lazy("SKM done in the period with an adequate sample"),
    PUBLISHED: gettext_lazy("SKM results published"),
    FOLLOW_UP: gettext_lazy("Recommendations followed up to verification"),
    FOLLOW_UP_DAYS: gettext_lazy("Median days from recommendation to verified follow-up"),
}
RULES = {
    STANDARDS: gettext_lazy(
        "All 14 components filled, reviewed within the last year and published; over all services, drafts too."
    ),
    PLEDGE: gettext_lazy("Real text and an adoption date, shown on the public page of an active agency."),
    SURVEY: gettext_lazy(
        "Responses in the period reach the Krejcie & Morgan minimum for the population entered for exactly this period."
    ),
    PUBLISHED: gettext_lazy("Results on the public page and the SKM report of this period issued."),
    FOLLOW_UP: gettext_lazy(
        "Recommendations for the period (or a period within it) with every action verified, over all of them."
    ),
    FOLLOW_UP_DAYS: gettext_lazy(
        "Days from issue to the last verification of each verified recommendation; the middle value (for an "
        "even count, the mean of the two middle values)."
    ),
}
REGENCY_RULES = {
    STANDARDS: gettext_lazy("Services of all active agencies pooled."),
    PLEDGE: gettext_lazy("Active agencies that pass, over all active agencies."),
    SURVEY: gettext_lazy("Active agencies that pass, over all active agencies."),
    PUBLISHED: gettext_lazy("Active agencies that pass, over all active agencies."),
    FOLLOW_UP: gettext_lazy("Recommendations of all active agencies pooled."),
    FOLLOW_UP_DAYS: gettext_lazy("Over the verified recommendations of all active agencies."),
}

# How a figure counts: services, agencies, recommendations, one agency's yes/no, or days.
SERVICES, AGENCIES, RECOMMENDATIONS, CHECK, DAYS = "services", "agencies", "recommendations", "check", "days"


def year_before(day: datetime.date) -> datetime.date:
    """The same date a year earlier; 28 February for 29 February."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def median_days(values: Iterable[int]) -> Decimal | None:
    """The middle of ``values`` (the mean of the two middle ones for an even count, exact, so
    10 and 21 give 15.5); None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    count = len(ordered)
    return (Decimal(ordered[(count - 1) // 2]) + Decimal(ordered[count // 2])) / 2


@dataclass(frozen=True)
class Figure:
    """One figure of the pack: ``numerator`` of ``denominator`` (for ``follow_up_days``: the
    number of recommendations measured, both), whether it passes (None where the rule sets no
    threshold or there is nothing to measure), where its evidence is, and a line saying what it
    is made of (in the language active when it was gathered)."""

    key: str
    unit: str
    numerator: int
    denominator: int
    passed: bool | None
    evidence_url: str
    detail: str = ""
    days: Decimal | None = None

    @property
    def label(self) -> str:
        return str(LABELS[self.key])

    @property
    def rule(self) -> str:
        return str(RULES[self.key])

    @property
    def share(self) -> Decimal | None:
        """Numerator over denominator in per cent, rounded half up to one decimal; None where
        there is no share (nothing to count, or a median)."""
        if self.unit in (DAYS, CHECK) or not self.denominator:
            return None
        return round_half_up(Fraction(100 * self.numerator, self.denominator), 1)

    @property
    def value(self) -> str:
        """The figure in words of the active language: "3 of 4 (75.0%)", "yes", "20 days"."""
        if self.unit == DAYS:
            if self.days is None:
                return _("no data")
            shown = decimal_text(self.days, 0 if self.days == self.days.to_integral() else 1)
            return ngettext("%(days)s day", "%(days)s days", 1 if self.days == 1 else 2) % {"days": shown}
        if self.unit == CHECK:
            return _("yes") if self.passed else _("no")
        if not self.denominator:
            return "—"
        return _("%(part)s of %(whole)s (%(share)s)") % {
            "part": count_text(self.numerator),
            "whole": count_text(self.denominator),
            "share": percent_text(self.numerator, self.denominator),
        }

    @property
    def short(self) -> str:
        """The figure in the few characters a column of a table of agencies has: "3/4", "yes",
        "20 days", or a dash when there is nothing to count."""
        if self.unit in (DAYS, CHECK):
            return self.value if self.unit == CHECK or self.days is not None else "—"
        if not self.denominator:
            return "—"
        return f"{count_text(self.numerator)}/{count_text(self.denominator)}"

    @property
    def result(self) -> str:
        """Pass or fail in words; empty where the figure has neither."""
        if self.passed is None:
            return ""
        return pgettext("self-assessment rule", "met") if self.passed else pgettext("self-assessment rule", "not met")

    def key_figures(self) -> dict:
        """What the verification page shows of this figure (numbers only, worded there)."""
        figures = {"key": self.key, "unit": self.unit, "numerator": self.numerator, "denominator": self.denominator}
        figures["passed"] = self.passed
        figures["days"] = None if self.days is None else str(self.days)
        return figures


@dataclass(frozen=True)
class FollowedRecommendation:
    """One recommendation counted in ``follow_up``: when it was issued and, once verified, the
    day of its last verification and the days between."""

    pk: int
    title: str
    period_key: str
    status: str
    issued_on: datetime.date
    verified_on: datetime.date | None

    @property
    def days(self) -> int | None:
        return None if self.verified_on is None else (self.verified_on - self.issued_on).days

    @property
    def is_verified(self) -> bool:
        return self.status == RecommendationStatus.VERIFIED

    @property
    def status_label(self) -> str:
        return str(RecommendationStatus(self.status).label)


@dataclass(frozen=True)
class Pack:
    """The figures of one agency (``agency``) or of the regency (``agency`` None) for
    ``period``, made on ``today``, with the recommendations ``follow_up`` counted."""

    period: Period
    today: datetime.date
    agency: Agency | None
    figures: tuple[Figure, ...]
    recommendations: tuple[FollowedRecommendation, ...] = ()

    def figure(self, key: str) -> Figure:
        return next(figure for figure in self.figures if figure.key == key)

    @property
    def figures_with_rules(self) -> list[tuple[Figure, str]]:
        """Each figure with what its rule adds for the regency (empty for an agency)."""
        return [(figure, "" if self.agency else str(REGENCY_RULES[figure.key])) for figure in self.figures]

    def key_figures(self, *, title: str) -> dict:
        """What the verification page of the issued pack shows."""
        return {
            "title": title,
            "as_of": self.today.isoformat(),
            "self_assessment": [figure.key_figures() for figure in self.figures],
        }


@dataclass(frozen=True)
class RegencyPack:
    """The regency's totals and one pack per active agency, by name."""

    totals: Pack
    rows: tuple[Pack, ...]


@dataclass
class _Facts:
    """What the figures of one agency are made of, gathered in grouped reads."""

    agency: Agency
    services: int = 0
    complete: int = 0
    reviewed: int = 0
    published: int = 0
    meeting: int = 0
    respondents: int = 0
    sample: SampleAdequacy | None = None
    report_code: str = ""
    recommendations: list[FollowedRecommendation] = field(default_factory=list)


def _read_services(facts: dict[int, _Facts], services: Q, today: datetime.date) -> None:
    """Count each agency's services by the ``standards`` rule, in one query."""
    since = year_before(today)
    rows = Service.objects.filter(services).values_list("agency_id", "is_published", "reviewed_on", *COMPONENTS)
    for agency_id, is_published, reviewed_on, *texts in rows.order_by().iterator(chunk_size=500):
        found = facts[agency_id]
        complete = all(
            component_status(text, component=name) == FILLED for name, text in zip(COMPONENTS, texts, strict=True)
        )
        reviewed = reviewed_on is not None and since <= reviewed_on <= today
        found.services += 1
        found.complete += complete
        found.reviewed += reviewed
        found.published += is_published
        found.meeting += complete and reviewed and is_published


def _read_surveys(facts: dict[int, _Facts], agencies: Q, period: Period) -> None:
    """Respondents of the period per agency (from the roll-ups) and the population each entered
    for the whole agency for exactly the period, in two queries."""
    respondents = (
        AgencyRespondentTally.objects.filter(agencies, tally_period(period.start, period.end))
        .values_list("agency")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for agency_id, count in respondents:
        facts[agency_id].respondents = count or 0
    populations = SamplePopulation.objects.filter(agencies, start=period.start, end=period.end, service__isnull=True)
    for agency_id, population in populations.values_list("agency", "population"):
        found = facts[agency_id]
        found.sample = SampleAdequacy(population, minimum_sample(population), found.respondents)


def _read_reports(facts: dict[int, _Facts], agencies: Q, period: Period) -> None:
    """The current issue of each agency's SKM report for exactly the period, in one query."""
    issued = IssuedDocument.objects.filter(
        agencies, kind=DocumentKind.SKM_REPORT, period_key=period.key, superseded_by__isnull=True
    )
    for agency_id, code in issued.order_by("issued_at", "pk").values_list("agency", "code"):
        facts[agency_id].report_code = code


def _read_recommendations(facts: dict[int, _Facts], agencies: Q, period: Period) -> None:
    """The recommendations for the period with the instant of their last verification, in one
    query."""
    found = (
        Recommendation.objects.filter(agencies, period_start__gte=period.start, period_end__lte=period.end)
        .annotate(verified_at=Max("events__at", filter=Q(events__kind=EventKind.VERIFIED)))
        .values_list("pk", "agency", "title", "period_key", "status", "issued_at", "verified_at")
        .order_by("issued_at", "pk")
    )
    for pk, agency_id, title, period_key, status, issued_at, verified_at in found:
        verified_on = (
            timezone.localtime(verified_at).date()
            if verified_at is not None and status == RecommendationStatus.VERIFIED
            else None
        )
        facts[agency_id].recommendations.append(
            FollowedRecommendation(pk, title, period_key, status, timezone.localtime(issued_at).date(), verified_on)
        )


def _gather(agencies: Sequence[Agency], period: Period, today: datetime.date, *, regency: bool) -> dict[int, _Facts]:
    facts = {agency.pk: _Facts(agency) for agency in agencies}
    by_agency = Q(agency__is_active=True) if regency else Q(agency__in=[agency.pk for agency in agencies])
    _read_services(facts, by_agency, today)
    _read_surveys(facts, by_agency, period)
    _read_reports(facts, by_agency, period)
    _read_recommendations(facts, by_agency, period)
    return facts


# --- Figures of one agency -----------------------------------------------------------------


def _day(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def _with_period(url: str, name: str, period: Period) -> str:
    return f"{url}?{urlencode({name: period.key})}"


def _check(key: str, passed: bool, evidence_url: str, detail: str) -> Figure:
    """A figure one agency meets or not as a whole (counted 1 of 1 or 0 of 1)."""
    return Figure(
        key=key,
        unit=CHECK,
        numerator=int(passed),
        denominator=1,
        passed=passed,
        evidence_url=evidence_url,
        detail=detail,
    )


def _standards(facts: _Facts, today: datetime.date) -> Figure:
    detail = _(
        "%(services)s services: %(complete)s complete, %(reviewed)s reviewed since %(since)s, %(published)s published"
    ) % {
        "services": count_text(facts.services),
        "complete": count_text(facts.complete),
        "reviewed": count_text(facts.reviewed),
        "since": _day(year_before(today)),
        "published": count_text(facts.published),
    }
    return Figure(
        key=STANDARDS,
        unit=SERVICES,
        numerator=facts.meeting,
        denominator=facts.services,
        passed=facts.meeting == facts.services if facts.services else None,
        evidence_url=reverse("standards:agency_completeness", args=[facts.agency.code]),
        detail=detail if facts.services else _("no services registered"),
    )


def _pledge(agency: Agency, pledge: ServicePledge | None, today: datetime.date) -> Figure:
    real = pledge is not None and component_status(pledge.text) == FILLED
    adopted = pledge is not None and pledge.adopted_on is not None and pledge.adopted_on <= today
    if pledge is None:
        detail = _("no service pledge")
    elif not real:
        detail = _("the pledge has no real text")
    elif not adopted:
        detail = _("no adoption date recorded")
    else:
        detail = _("adopted on %(date)s") % {"date": _day(pledge.adopted_on)}
    if pledge is not None and not agency.is_active:
        detail = _("%(detail)s; the agency is inactive, so its public page is not shown") % {"detail": detail}
    passed = real and adopted and agency.is_active
    return _check(PLEDGE, passed, reverse("standards:agency_detail", args=[agency.code]) + "#pledge-title", detail)


def _survey(facts: _Facts, period: Period) -> Figure:
    sample = facts.sample
    respondents = ngettext("%(count)s respondent", "%(count)s respondents", facts.respondents) % {
        "count": count_text(facts.respondents)
    }
    if sample is None:
        detail = _("%(respondents)s; no population entered for the whole agency for this period") % {
            "respondents": respondents
        }
    else:
        detail = _("%(respondents)s of a minimum sample of %(minimum)s (population %(population)s)") % {
            "respondents": respondents,
            "minimum": count_text(sample.minimum),
            "population": count_text(sample.population),
        }
    passed = facts.respondents > 0 and sample is not None and sample.is_enough
    return _check(
        SURVEY, passed, _with_period(reverse("results:agency", args=[facts.agency.code]), "period", period), detail
    )


def _published(facts: _Facts, period: Period) -> Figure:
    agency = facts.agency
    shown = agency.is_active and facts.respondents > 0
    parts = [
        _("results shown on the public page") if shown else _("no results on the public page for this period"),
        _("SKM report %(code)s issued") % {"code": printed_code(facts.report_code)}
        if facts.report_code
        else _("no SKM report issued for this period"),
    ]
    passed = shown and bool(facts.report_code)
    evidence = (
        reverse("documents:verify", args=[facts.report_code])
        if facts.report_code
        else _with_period(reverse("public_results:agency", args=[agency.code]), "periode", period)
    )
    return _check(PUBLISHED, passed, evidence, "; ".join(parts))


def _recommendation_list(agency: Agency | None, **query: str) -> str:
    if agency is not None:
        query = {"agency": agency.code, **query}
    url = reverse("evaluations:recommendation_list")
    return f"{url}?{urlencode(query)}" if query else url


def _follow_up(recommendations: Sequence[FollowedRecommendation], agency: Agency | None) -> Figure:
    verified = sum(1 for recommendation in recommendations if recommendation.is_verified)
    return Figure(
        key=FOLLOW_UP,
        unit=RECOMMENDATIONS,
        numerator=verified,
        denominator=len(recommendations),
        passed=None,
        evidence_url=_recommendation_list(agency),
        detail="" if recommendations else _("no recommendations for this period"),
    )


def _follow_up_days(recommendations: Sequence[FollowedRecommendation], agency: Agency | None) -> Figure:
    days = [recommendation.days for recommendation in recommendations if recommendation.days is not None]
    detail = (
        ngettext(
            "over %(count)s verified recommendation",
            "over %(count)s verified recommendations",
            len(days),
        )
        % {"count": count_text(len(days))}
        if days
        else _("no verified recommendation for this period")
    )
    return Figure(
        key=FOLLOW_UP_DAYS,
        unit=DAYS,
        numerator=len(days),
        denominator=len(days),
        passed=None,
        evidence_url=_recommendation_list(agency, status=RecommendationStatus.VERIFIED),
        detail=detail,
        days=median_days(days),
    )


def _agency_pack(facts: _Facts, period: Period, today: datetime.date) -> Pack:
    agency = facts.agency
    pledge = getattr(agency, "pledge", None)
    return Pack(
        period=period,
        today=today,
        agency=agency,
        figures=(
            _standards(facts, today),
            _pledge(agency, pledge, today),
            _survey(facts, period),
            _published(facts, period),
            _follow_up(facts.recommendations, agency),
            _follow_up_days(facts.recommendations, agency),
        ),
        recommendations=tuple(facts.recommendations),
    )


def _with_pledge(agencies):
    """Agencies with their pledge read in the same query (``agency.pledge`` raises when there
    is none: the figures read it with ``getattr(..., None)``)."""
    return agencies.select_related("pledge")


def agency_pack(*, agency: Agency, period: Period, today: datetime.date | None = None) -> Pack:
    """The self-assessment figures of ``agency`` for ``period``, as of ``today`` (default:
    today in Asia/Jakarta). The rules are in the module's docstring."""
    today = today or timezone.localdate()
    agency = _with_pledge(Agency.objects.filter(pk=agency.pk)).get()
    facts = _gather([agency], period, today, regency=False)
    return _agency_pack(facts[agency.pk], period, today)


# --- The regency -------------------------------------------------------------------------------


def _agencies_passing(key: str, rows: Sequence[Pack], evidence_url: str) -> Figure:
    passing = sum(1 for row in rows if row.figure(key).passed)
    return Figure(
        key=key,
        unit=AGENCIES,
        numerator=passing,
        denominator=len(rows),
        passed=passing == len(rows) if rows else None,
        evidence_url=evidence_url,
        detail="" if rows else _("no active agencies"),
    )


def _regency_standards(rows: Sequence[Pack]) -> Figure:
    meeting = sum(row.figure(STANDARDS).numerator for row in rows)
    services = sum(row.figure(STANDARDS).denominator for row in rows)
    return Figure(
        key=STANDARDS,
        unit=SERVICES,
        numerator=meeting,
        denominator=services,
        passed=meeting == services if services else None,
        evidence_url=reverse("standards:staff_service_list"),
        detail="" if services else _("no services registered"),
    )


def regency_pack(*, period: Period, today: datetime.date | None = None) -> RegencyPack:
    """The self-assessment figures of every active agency for ``period`` and the regency's
    totals (rules in the module's docstring), as of ``today`` (default: today), in a fixed
    number of queries."""
    today = today or timezone.localdate()
    agencies = list(_with_pledge(Agency.objects.filter(is_active=True)).order_by("name", "pk"))
    facts = _gather(agencies, period, today, regency=True)
    rows = tuple(_agency_pack(facts[agency.pk], period, today) for agency in agencies)
    pooled = [recommendation for row in rows for recommendation in row.recommendations]
    totals = Pack(
        period=period,
        today=today,
        agency=None,
        figures=(
            _regency_standards(rows),
            _agencies_passing(PLEDGE, rows, reverse("agencies:staff_agency_list")),
            _agencies_passing(SURVEY, rows, _with_period(reverse("results:regency"), "period", period)),
            _agencies_passing(PUBLISHED, rows, _with_period(reverse("public_results:regency"), "periode", period)),
            _follow_up(pooled, None),
            _follow_up_days(pooled, None),
        ),
        recommendations=tuple(pooled),
    )
    return RegencyPack(totals=totals, rows=rows)


def figure_rows(figures: Iterable[dict]) -> list[dict]:
    """The figures stored with an issued pack (``Pack.key_figures``) worded in the active
    language, for its verification page: label, value and result."""
    rows = []
    for stored in figures:
        if stored.get("key") not in LABELS:
            continue
        days = stored.get("days")
        figure = Figure(
            key=stored["key"],
            unit=stored.get("unit", SERVICES),
            numerator=int(stored.get("numerator") or 0),
            denominator=int(stored.get("denominator") or 0),
            passed=stored.get("passed"),
            evidence_url="",
            days=None if days is None else Decimal(days),
        )
        rows.append({"label": figure.label, "value": figure.value, "result": figure.result})
    return rows
