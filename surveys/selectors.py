"""Reads of survey results. Everything here reads per-day and per-month tallies, never the
responses, so the cost of a results page does not grow with the number of responses; agency
and regency figures read their roll-ups, so it does not grow with the number of services
either."""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, Max, Min, OuterRef, Q, QuerySet, Sum

from agencies.models import Agency
from standards.models import Service
from surveys.index import IndexResult, compute_index, minimum_sample
from surveys.labels import HOLD_RULES
from surveys.models import (
    AgencyElementTally,
    AgencyProfileTally,
    AgencyRespondentTally,
    Element,
    ElementTally,
    ProfileTally,
    Questionnaire,
    RegencyElementTally,
    RegencyProfileTally,
    RegencyRespondentTally,
    RespondentTally,
    Response,
    SamplePopulation,
    Span,
    Status,
    SuggestionAnswer,
)
from surveys.stamps import CATALOG, closed_period_cached, memo, stamp

# Per kind of tally: the model counted per service, its agency roll-up and its regency roll-up.
TALLY_MODELS = {
    "respondents": (RespondentTally, AgencyRespondentTally, RegencyRespondentTally),
    "elements": (ElementTally, AgencyElementTally, RegencyElementTally),
    "profiles": (ProfileTally, AgencyProfileTally, RegencyProfileTally),
}


@dataclass(frozen=True)
class Scope:
    """What a result covers: one service, one agency, or (both None) the whole regency."""

    agency: Agency | None = None
    service: Service | None = None

    def tally_filter(self) -> Q:
        """The rows of this scope in any model with a ``service`` field (tallies, responses)."""
        if self.service is not None:
            return Q(service=self.service)
        if self.agency is not None:
            return Q(service__agency=self.agency)
        return Q()

    def tallies(self, kind: str) -> QuerySet:
        """The tally rows of this scope: the service's own, else its agency's or the regency's
        roll-up (whose shards the reads sum). ``kind``: respondents, elements or profiles."""
        per_service, per_agency, per_regency = TALLY_MODELS[kind]
        if self.service is not None:
            return per_service.objects.filter(service=self.service)
        if self.agency is not None:
            return per_agency.objects.filter(agency=self.agency)
        return per_regency.objects.all()


@dataclass(frozen=True)
class SampleAdequacy:
    population: int
    minimum: int
    respondents: int

    @property
    def is_enough(self) -> bool:
        return self.respondents >= self.minimum

    @property
    def missing(self) -> int:
        return max(0, self.minimum - self.respondents)


@dataclass
class Results:
    index: IndexResult
    element_labels: dict[str, str] = field(default_factory=dict)
    profile: dict[str, dict[str, int]] = field(default_factory=dict)
    sample: SampleAdequacy | None = None
    held: int = 0
    versions: tuple[int, ...] = ()

    @property
    def spans_versions(self) -> bool:
        """True when the period holds responses to more than one questionnaire version, so the
        elements are pooled by code across them."""
        return len(self.versions) > 1

    @property
    def answered_elements(self) -> int:
        """N of the weight 1/N: the elements with answers in the period."""
        return sum(1 for element in self.index.elements if element.nrr is not None)

    @property
    def respondents(self) -> int:
        return self.index.respondents

    def weakest_first(self):
        """Answered elements, lowest NRR first."""
        return sorted((e for e in self.index.elements if e.nrr is not None), key=lambda e: (e.nrr, e.code))


def _elements_newest_first() -> list[Element]:
    """Every element of every version, the current questionnaire first, then newer versions:
    read once per process and again after a questionnaire changes (``surveys.stamps``), so a
    page asking for element codes, questions and names reads the questionnaires at most once."""

    def read() -> list[Element]:
        versions = Questionnaire.objects.order_by("-is_current", "-version").prefetch_related("elements")
        return [element for questionnaire in versions for element in questionnaire.elements.all()]

    return memo("elements_newest_first", stamp(CATALOG), read)


def element_order() -> list[str]:
    """Element codes in the order of the current questionnaire, then older codes."""
    return list(dict.fromkeys(element.code for element in _elements_newest_first()))


def element_questions() -> dict[str, str]:
    """Element code → its question in the current language, newest wording first. The keys are
    in ``element_order()`` order, so a page needing both reads ``list(element_questions())``
    instead of querying twice."""
    questions: dict[str, str] = {}
    for element in _elements_newest_first():
        questions.setdefault(element.code, element.question)
    return questions


def element_names() -> dict[str, str]:
    """Element code → its name (the regulation's wording, e.g. "Waktu Penyelesaian") in the
    current language, newest naming first, in ``element_order()`` order."""
    names: dict[str, str] = {}
    for element in _elements_newest_first():
        names.setdefault(element.code, element.name)
    return names


def _day_filter(start: datetime.date | None, end: datetime.date | None) -> Q:
    condition = Q()
    if start is not None:
        condition &= Q(day__gte=start)
    if end is not None:
        condition &= Q(day__lte=end)
    return condition


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def tally_period(start: datetime.date | None, end: datetime.date | None) -> Q:
    """The tally rows that make up ``start``..``end``: month rows for every whole month inside
    it, day rows for the days at either edge. A year or a semester reads month rows only."""
    first_full = start if start is None or start.day == 1 else _next_month(start)
    last_full = end if end is None or _next_month(end) - datetime.timedelta(days=1) == end else None
    if end is not None and last_full is None:
        last_full = end.replace(day=1) - datetime.timedelta(days=1)
    if first_full is not None and last_full is not None and first_full > last_full:
        return Q(span=Span.DAY) & _day_filter(start, end)
    months = Q(span=Span.MONTH) & _day_filter(first_full, last_full)
    if start is not None and first_full is not None and start < first_full:
        months |= Q(span=Span.DAY, day__gte=start, day__lt=first_full)
    if end is not None and last_full is not None and last_full < end:
        months |= Q(span=Span.DAY, day__gt=last_full, day__lte=end)
    return months


def _tallies(scope: Scope, period: Q) -> dict[str, dict[int, int]]:
    tallies: dict[str, dict[int, int]] = defaultdict(dict)
    rows = scope.tallies("elements").filter(period).values_list("element_code", "value").annotate(n=Sum("count"))
    for code, value, count in rows:
        tallies[code][value] = count
    return tallies


def _respondents(scope: Scope, period: Q) -> int:
    return scope.tallies("respondents").filter(period).aggregate(n=Sum("count"))["n"] or 0


def answer_spread(*, scope: Scope, start: datetime.date | None, end: datetime.date | None) -> dict[str, dict[int, int]]:
    """Element code → {answer 1–4: how many respondents gave it} in ``scope`` and the period."""
    return dict(_tallies(scope, tally_period(start, end)))


def response_days(
    *, scope: Scope, start: datetime.date, end: datetime.date
) -> tuple[datetime.date | None, datetime.date | None]:
    """The first and last day in ``start``..``end`` on which ``scope`` received a counted response."""
    rows = scope.tallies("respondents").filter(span=Span.DAY, day__gte=start, day__lte=end, count__gt=0)
    bounds = rows.aggregate(first=Min("day"), last=Max("day"))
    return bounds["first"], bounds["last"]


def tallied_days(scope: Scope | None = None) -> tuple[datetime.date | None, datetime.date | None]:
    """The first and last day with a counted response in ``scope`` (the regency by default)."""
    bounds = (
        (scope or Scope()).tallies("respondents").filter(span=Span.DAY).aggregate(first=Min("day"), last=Max("day"))
    )
    return bounds["first"], bounds["last"]


def _index(codes: list[str], tallies: dict, respondents: int) -> IndexResult:
    """``compute_index``, or an empty result when there are no elements at all (no questionnaire
    was ever made, as on an emptied database): pages then say "no responses" instead of failing."""
    if not codes:
        return IndexResult(
            respondents=respondents,
            elements=(),
            weight=None,
            index=None,
            score=None,
            grade=None,
            performance=None,
            national=None,
        )
    return compute_index(codes, tallies, respondents)


def scope_index(
    *,
    scope: Scope,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    codes: list[str] | None = None,
) -> IndexResult:
    """The index of ``scope`` between ``start`` and ``end`` alone (no profile, no sample): what
    a trend shows. ``codes``: the element order when the caller already has it."""
    period = tally_period(start, end)
    tallies = _tallies(scope, period)
    order = codes if codes is not None else element_order()
    order = order + sorted(code for code in tallies if code not in order)
    answered = [code for code in order if code in tallies] or order
    return _index(answered, tallies, _respondents(scope, period))


def scope_index_cached(
    *, scope: Scope, start: datetime.date, end: datetime.date, codes: list[str] | None = None
) -> IndexResult:
    """``scope_index`` of a period that has ended from the shared cache, of a running one read
    afresh (as ``agency_ranking_cached``). ``codes``: the element order when the caller already
    has it (it follows the catalog, whose stamp is part of the key)."""
    key = ("scope_index", scope.agency.pk if scope.agency else "", scope.service.pk if scope.service else "")
    return closed_period_cached(
        (*key, start, end), end, lambda: scope_index(scope=scope, start=start, end=end, codes=codes)
    )


def results(
    *,
    scope: Scope,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    codes: list[str] | None = None,
) -> Results:
    """The index, per-element results, respondent profile and sample adequacy of ``scope``
    between ``start`` and ``end`` (inclusive; None = unbounded), over accepted responses, with
    the number held for review and the questionnaire versions answered.

    A period spanning versions pools elements by code: each NRR over those who answered it,
    weighted 1/(number of elements with answers in the period); the national score is over the
    nine national codes."""
    period = tally_period(start, end)
    tallies = _tallies(scope, period)
    order = codes if codes is not None else element_order()
    order = order + sorted(code for code in tallies if code not in order)
    answered = [code for code in order if code in tallies] or order
    # Respondents per questionnaire version, in one read: their sum and which versions answered.
    per_version = dict(
        scope.tallies("respondents")
        .filter(period)
        .values_list("questionnaire__version")
        .annotate(n=Sum("count"))
        .order_by()
    )
    index = _index(answered, tallies, sum(per_version.values()))
    profile: dict[str, dict[str, int]] = defaultdict(dict)
    rows = scope.tallies("profiles").filter(period).values_list("dimension", "value").annotate(n=Sum("count"))
    for dimension, value, count in rows:
        profile[dimension][value] = count
    return Results(
        index=index,
        profile=dict(profile),
        sample=sample_adequacy(scope=scope, start=start, end=end, respondents=index.respondents),
        held=held_count(scope, start, end),
        versions=tuple(sorted(version for version, count in per_version.items() if count)),
    )


def sample_adequacy(
    *, scope: Scope, start: datetime.date | None, end: datetime.date | None, respondents: int
) -> SampleAdequacy | None:
    """Responses against the Krejcie & Morgan minimum, when the agency entered the population
    of exactly this period (for the service, or for the whole agency)."""
    if start is None or end is None or (scope.agency is None and scope.service is None):
        return None
    records = SamplePopulation.objects.filter(start=start, end=end)
    if scope.service is not None:
        record = records.filter(service=scope.service).first()
    else:
        record = records.filter(agency=scope.agency, service__isnull=True).first()
    if record is None:
        return None
    return SampleAdequacy(record.population, minimum_sample(record.population), respondents)


@dataclass(frozen=True)
class RankedAgency:
    agency: Agency
    index: IndexResult


def _grouped_indexes(
    elements: QuerySet, respondent_rows: QuerySet, group: str, order: list[str]
) -> Callable[[int], IndexResult]:
    """Element and respondent tallies grouped by ``group`` (a field giving a primary key), read
    in two queries; returns the index of one group by its key (no data → an empty index)."""
    tallies: dict[int, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    rows = elements.values_list(group, "element_code", "value").annotate(n=Sum("count"))
    for key, code, value, count in rows:
        tallies[key][code][value] = count
    respondents = dict(respondent_rows.values_list(group).annotate(n=Sum("count")))

    def index_of(key: int) -> IndexResult:
        group_tallies = tallies.get(key, {})
        codes = [c for c in order if c in group_tallies] + sorted(c for c in group_tallies if c not in order)
        return _index(codes or order, group_tallies, respondents.get(key, 0))

    return index_of


def agency_ranking(
    *, start: datetime.date | None, end: datetime.date | None, codes: list[str] | None = None
) -> list[RankedAgency]:
    """Every active agency with its index for the period, best score first; agencies without
    responses last. ``codes``: the element order when the caller already has it."""
    period = tally_period(start, end)
    index_of = _grouped_indexes(
        AgencyElementTally.objects.filter(period),
        AgencyRespondentTally.objects.filter(period),
        "agency",
        codes if codes is not None else element_order(),
    )
    ranked = [
        RankedAgency(agency, index_of(agency.pk)) for agency in Agency.objects.filter(is_active=True).order_by("name")
    ]
    return sorted(ranked, key=lambda r: (r.index.score is None, -(r.index.score or 0), r.agency.name))


def agency_ranking_cached(*, start: datetime.date, end: datetime.date) -> list[RankedAgency]:
    """``agency_ranking`` of a period that has ended from the shared cache (exact: its figures
    change only through a stamp bump, ``surveys.stamps.closed_period_cached``), of a running one
    read afresh. The ranking reads every agency's roll-up rows of the period; staff pages and the
    recap that show a closed period read it once until a count of it changes."""
    return closed_period_cached(("agency_ranking", start, end), end, lambda: agency_ranking(start=start, end=end))


def service_ranking(
    *,
    agency: Agency,
    start: datetime.date | None,
    end: datetime.date | None,
    codes: list[str] | None = None,
) -> list[tuple[Service, IndexResult]]:
    """Each service of ``agency`` with its index for the period. ``codes``: the element order
    when the caller already has it."""
    condition = tally_period(start, end) & Q(service__agency=agency)
    index_of = _grouped_indexes(
        ElementTally.objects.filter(condition),
        RespondentTally.objects.filter(condition),
        "service",
        codes if codes is not None else element_order(),
    )
    return [(service, index_of(service.pk)) for service in agency.services.order_by("name")]


def suggestions(
    *,
    scope: Scope,
    start: datetime.date | None,
    end: datetime.date | None,
    query: str = "",
    include_hidden: bool = True,
) -> QuerySet[Response]:
    """Accepted responses with a suggestion, newest first (paginate: this reads responses);
    ``answered`` says whether the agency's answer to it is published."""
    published = SuggestionAnswer.objects.filter(response=OuterRef("pk"), unpublished_at__isnull=True)
    responses = (
        Response.objects.filter(status=Status.ACCEPTED)
        .exclude(suggestion="")
        .select_related("service", "service__agency")
        .filter(scope.tally_filter(), _day_filter(start, end))
        .annotate(answered=Exists(published))
    )
    if query:
        responses = responses.filter(suggestion__icontains=query)
    if not include_hidden:
        responses = responses.filter(suggestion_hidden=False)
    return responses.order_by("-submitted_at", "-pk")


def suggestions_shown(
    *, scope: Scope, start: datetime.date | None, end: datetime.date | None, limit: int
) -> tuple[list[Response], int]:
    """The newest ``limit`` suggestions of ``scope`` in the period that a document may show
    (accepted, not hidden), newest first as ``suggestions`` orders them, and how many there are
    in all. The choice and the count read the partial index ``response_suggestion_shown`` alone
    (an index-only scan over the period's suggestions, never the responses without one or their
    answers); only the ``limit`` responses shown are then read."""
    shown = (
        Response.objects.filter(status=Status.ACCEPTED, suggestion_hidden=False)
        .exclude(suggestion="")
        .filter(scope.tally_filter(), _day_filter(start, end))
    )
    newest = list(shown.order_by("-submitted_at", "-pk").values_list("pk", flat=True)[:limit])
    rows = (
        Response.objects.filter(pk__in=newest)
        .select_related("service", "service__agency")
        .order_by("-submitted_at", "-pk")
    )
    return list(rows), shown.count() if len(newest) == limit else len(newest)


def held_count(scope: Scope, start: datetime.date | None = None, end: datetime.date | None = None) -> int:
    """How many responses of ``scope`` between ``start`` and ``end`` are held for review (an
    indexed count; they are not in any figure until accepted)."""
    return Response.objects.filter(scope.tally_filter(), _day_filter(start, end), status=Status.HELD).count()


HELD_SHOWN = 1000


@dataclass
class HeldGroup:
    """Held responses of one service, held by one rule, each within the burst window of the
    one before: a burst, reviewed as one."""

    service: Service
    rule: str
    responses: list[Response]

    @property
    def first(self) -> datetime.datetime:
        return self.responses[0].submitted_at

    @property
    def last(self) -> datetime.datetime:
        return self.responses[-1].submitted_at

    @property
    def rule_label(self) -> str:
        return str(HOLD_RULES.get(self.rule, self.rule))

    @property
    def channels(self) -> list[str]:
        return sorted({str(response.get_channel_display()) for response in self.responses})


def held_groups(*, agency: Agency) -> list[HeldGroup]:
    """The held responses of ``agency`` (at most HELD_SHOWN, oldest first within a group)
    grouped by burst, the latest burst first. Each response gets ``answer_values``: its
    answers in ``element_order()``, "–" where it gave none."""
    codes = element_order()
    held = (
        Response.objects.filter(service__agency=agency, status=Status.HELD)
        .select_related("service")
        .order_by("service__name", "service_id", "held_rule", "submitted_at", "pk")[:HELD_SHOWN]
    )
    window = datetime.timedelta(seconds=settings.SURVEY_BURST_WINDOW)
    groups: list[HeldGroup] = []
    for response in held:
        response.answer_values = [response.answers.get(code, "–") for code in codes]
        group = groups[-1] if groups else None
        if (
            group is not None
            and group.service.pk == response.service_id
            and group.rule == response.held_rule
            and response.submitted_at - group.last <= window
        ):
            group.responses.append(response)
        else:
            groups.append(HeldGroup(service=response.service, rule=response.held_rule, responses=[response]))
    return sorted(groups, key=lambda group: group.last, reverse=True)


def suggestion_answers(*, agency: Agency) -> QuerySet[SuggestionAnswer]:
    """Every answer ``agency`` published to a suggestion, taken down or not, newest first, for
    staff (the public reads ``published_answers``)."""
    return SuggestionAnswer.objects.filter(agency=agency).select_related(
        "response__service", "published_by", "unpublished_by"
    )


def published_answers(*, agency: Agency, limit: int) -> list[dict]:
    """The newest ``limit`` answers ``agency`` has on its public page, as plain rows of what may
    be published: the suggestion as the operator edited it, the answer and the date. Never the
    stored suggestion, the response or who wrote it. An answer whose response has since left the
    count (held or void) or whose suggestion staff have hidden is not shown while that lasts."""
    rows = (
        SuggestionAnswer.objects.filter(
            agency=agency,
            unpublished_at__isnull=True,
            response__status=Status.ACCEPTED,
            response__suggestion_hidden=False,
        )
        .order_by("-published_at", "-pk")
        .values("suggestion_text", "answer", "published_at")[:limit]
    )
    return [
        {"suggestion": row["suggestion_text"], "answer": row["answer"], "published_at": row["published_at"]}
        for row in rows
    ]
