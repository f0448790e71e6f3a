"""Staff pages of survey results: the regency with its agency ranking, one agency, one service,
the service-user population behind the sample check, and the suggestions.

Every number comes from the selectors, which read per-day tallies; only the suggestions list
reads responses, one page at a time.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import CATALOG_EDITORS, back_to, can, get_scoped_or_404, staff_required
from agencies.models import Agency
from standards.models import Service
from surveys import periods, selectors
from surveys.forms_results import PeriodForm, PopulationForm, data_years
from surveys.index import IndexResult, minimum_sample, round_half_up
from surveys.labels import PERFORMANCE, profile_tables
from surveys.models import Response
from surveys.periods import Period
from surveys.selectors import tallied_days
from surveys.services import population_set, suggestion_set_hidden

SUGGESTIONS_PER_PAGE = 30


@staff_required()
def regency(request):
    if request.user.is_operator:
        url = reverse("results:agency", args=[request.user.agency.code])
        return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
    period, period_form = _chosen_period(request)
    questions = selectors.element_questions()
    codes = list(questions)
    results = selectors.results(scope=selectors.Scope(), start=period.start, end=period.end, codes=codes)
    ranking = selectors.agency_ranking(start=period.start, end=period.end, codes=codes)
    context = {
        **_results_context(request, results, period, period_form, questions),
        "ranking": _ranked_rows((r.agency, r.index) for r in ranking),
    }
    return render(request, "surveys/results_regency.html", context)


@staff_required()
def agency(request, code: str):
    agency = get_scoped_or_404(request.user, Agency, code=code)
    period, period_form = _chosen_period(request)
    questions = selectors.element_questions()
    codes = list(questions)
    results = selectors.results(scope=selectors.Scope(agency=agency), start=period.start, end=period.end, codes=codes)
    services = selectors.service_ranking(agency=agency, start=period.start, end=period.end, codes=codes)
    services.sort(key=lambda item: (item[1].score is None, -(item[1].score or 0), item[0].name))
    context = {
        **_results_context(request, results, period, period_form, questions),
        "agency": agency,
        "services": _ranked_rows(services),
        "can_enter_population": can(request.user, CATALOG_EDITORS),
        "population_query": urlencode({"period": period.key}),
    }
    return render(request, "surveys/results_agency.html", context)


@staff_required()
def service(request, code: str):
    service = get_scoped_or_404(request.user, Service.objects.select_related("agency"), code=code)
    period, period_form = _chosen_period(request)
    questions = selectors.element_questions()
    results = selectors.results(
        scope=selectors.Scope(agency=service.agency, service=service),
        start=period.start,
        end=period.end,
        codes=list(questions),
    )
    context = {
        **_results_context(request, results, period, period_form, questions),
        "agency": service.agency,
        "service": service,
        "can_enter_population": can(request.user, CATALOG_EDITORS),
        "population_query": urlencode({"period": period.key, "service": service.code}),
    }
    return render(request, "surveys/results_service.html", context)


@staff_required(*CATALOG_EDITORS)
@require_http_methods(["GET", "POST"])
def population(request, code: str):
    agency = get_scoped_or_404(request.user, Agency, code=code)
    years = _years()
    if request.method == "POST":
        form = PopulationForm(request.POST, agency=agency, years=years)
        if form.is_valid():
            period = form.cleaned_data["chosen"]
            chosen_service = form.cleaned_data["service"]
            try:
                record = population_set(
                    agency=agency,
                    service=chosen_service,
                    start=period.start,
                    end=period.end,
                    population=form.cleaned_data["population"],
                    actor=request.user,
                )
            except ValidationError as exc:
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _("Population of %(what)s for %(period)s saved: %(population)d service users.")
                    % {
                        "what": chosen_service.name if chosen_service else agency.name,
                        "period": period.label,
                        "population": record.population,
                    },
                )
                target = (
                    reverse("results:service", args=[chosen_service.code])
                    if chosen_service
                    else reverse("results:agency", args=[agency.code])
                )
                return redirect(f"{target}?{urlencode({'period': period.key})}")
    else:
        period, _form = _chosen_period(request, years)
        initial = PeriodForm.initial_for(period)
        if (chosen := request.GET.get("service")) and agency.services.filter(code=chosen).exists():
            initial["service"] = chosen
        form = PopulationForm(initial=initial, agency=agency, years=years)
    records = agency.populations.select_related("service").order_by("-start", "-end", "service__name")[:20]
    entered = [(record, minimum_sample(record.population)) for record in records]
    return render(request, "surveys/results_population.html", {"agency": agency, "form": form, "entered": entered})


@staff_required()
def suggestions(request, code: str):
    agency = get_scoped_or_404(request.user, Agency, code=code)
    period, period_form = _chosen_period(request)
    query = request.GET.get("q", "").strip()[:100]
    chosen_service = None
    if service_code := request.GET.get("service", "").strip():
        chosen_service = agency.services.filter(code=service_code).first()
    found = selectors.suggestions(
        scope=selectors.Scope(agency=agency, service=chosen_service),
        start=period.start,
        end=period.end,
        query=query,
    )
    page = Paginator(found, SUGGESTIONS_PER_PAGE).get_page(request.GET.get("page"))
    kept = {"period": period.key, "q": query, "service": chosen_service.code if chosen_service else ""}
    kept = {key: value for key, value in kept.items() if value}
    context = {
        "agency": agency,
        "period": period,
        "period_form": period_form,
        "period_keep": [(key, value) for key, value in kept.items() if key != "period"],
        "query": query,
        "services": agency.services.order_by("name"),
        "chosen_service": chosen_service,
        "page": page,
        "page_query": urlencode(kept),
        "period_query": urlencode({"period": period.key}),
        "can_hide": can(request.user, CATALOG_EDITORS),
    }
    return render(request, "surveys/results_suggestions.html", context)


@staff_required(*CATALOG_EDITORS)
@require_POST
def suggestion_hide(request, pk: int):
    response = get_scoped_or_404(
        request.user, Response.objects.select_related("service__agency").exclude(suggestion=""), pk=pk
    )
    back = back_to(request, reverse("results:suggestions", args=[response.service.agency.code]))
    hidden = request.POST.get("hidden")
    if hidden not in ("0", "1"):
        messages.error(request, _("Nothing changed: say whether to hide or show the suggestion."))
        return back
    suggestion_set_hidden(response=response, hidden=hidden == "1", actor=request.user)
    if hidden == "1":
        messages.success(request, _("The suggestion is hidden. It is kept and can be shown again."))
    else:
        messages.success(request, _("The suggestion is shown again."))
    return back


def _years() -> range:
    return data_years(*tallied_days(), timezone.localdate())


def _chosen_period(request, years: range | None = None) -> tuple[Period, PeriodForm]:
    """The period asked for in the query string, else the current semester; a period that cannot
    be read is explained in a message and the default is shown instead. ``years``: the chooser's
    years when the caller already read them."""
    years = years if years is not None else _years()
    period = periods.current_semester()
    if any(request.GET.get(key) is not None for key in ("period", "start", "end")):
        form = PeriodForm(request.GET, years=years)
        if form.is_valid():
            period = form.cleaned_data["chosen"]
        else:
            problems = " ".join(str(error) for errors in form.errors.values() for error in errors)
            messages.error(
                request,
                _("%(problem)s Showing %(period)s instead.") % {"problem": problems, "period": period.label},
            )
    return period, PeriodForm(initial=PeriodForm.initial_for(period), years=years)


def _summary(index: IndexResult) -> dict:
    national = None
    if index.national is not None and index.national.score is not None:
        national = {
            "score": index.national.score,
            "grade": index.national.grade,
            "performance": PERFORMANCE.get(index.national.grade),
        }
    return {
        "respondents": index.respondents,
        "index": round_half_up(index.index, 4) if index.index is not None else None,
        "score": index.score,
        "grade": index.grade,
        "performance": PERFORMANCE.get(index.grade),
        "national": national,
    }


def _review_and_versions(results: selectors.Results) -> dict:
    """What the summary says beside the figures: how many are held, and whether the period
    pools several questionnaire versions (and by which rule)."""
    return {
        "held": results.held,
        "versions": ", ".join(str(v) for v in results.versions) if results.spans_versions else "",
        "answered_elements": results.answered_elements,
    }


def _element_rows(results: selectors.Results, weakest_first: bool, questions: dict[str, str]) -> list[dict]:
    """One row per element, named as the regulation names it (DESIGN.md), with its question."""
    elements = results.weakest_first() if weakest_first else results.index.elements
    names = selectors.element_names()
    return [
        {
            "code": element.code,
            "name": names.get(element.code, element.code),
            "question": questions.get(element.code, ""),
            "responses": element.responses,
            "nrr": round_half_up(element.nrr, 3) if element.nrr is not None else None,
            "score": element.score,
            "grade": element.grade,
            "performance": PERFORMANCE.get(element.grade),
        }
        for element in elements
    ]


def _ranked_rows(items) -> list[dict]:
    """Rows of a ranking already sorted best first: equal scores share a rank, no data gets none."""
    rows, rank, previous = [], None, None
    for position, (item, index) in enumerate(items, start=1):
        if index.score is not None and index.score != previous:
            rank, previous = position, index.score
        rows.append({"item": item, "rank": rank if index.score is not None else None, **_summary(index)})
    return rows


def _results_context(
    request, results: selectors.Results, period: Period, period_form: PeriodForm, questions: dict[str, str]
) -> dict:
    weakest_first = request.GET.get("order") == "weakest"
    return {
        "period": period,
        "period_form": period_form,
        "period_keep": [("order", "weakest")] if weakest_first else [],
        "period_query": urlencode({"period": period.key}),
        "summary": {**_summary(results.index), **_review_and_versions(results)},
        "elements": _element_rows(results, weakest_first, questions),
        "weakest_first": weakest_first,
        "profile": profile_tables(results.profile),
        "sample": results.sample,
    }
