"""Staff pages of the recommendation loop: the list, issuing a recommendation from an agency's
results, the recommendation with its follow-up, each follow-up step, and the evidence files.

Every state change is one call to evaluations.services, which decides whether the step is
allowed; these views only check the role (decorator), fetch the object through the access
policy (another agency's operator gets 404) and show the outcome. A refused step re-renders the
recommendation with the form as it was sent, its errors and a message, and changes nothing.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import ALL_STAFF, CATALOG_EDITORS, can, get_scoped_or_404, scope, staff_required
from accounts.models import Role
from agencies.models import Agency
from evaluations import services
from evaluations.files import private_download
from evaluations.forms import (
    EXTRA_ACTION_ROWS,
    MAX_ACTION_ROWS,
    ActionFormSet,
    CompleteForm,
    PlanForm,
    ProgressForm,
    RecommendationFilterForm,
    RecommendationForm,
    ReturnForm,
    VerifyForm,
)
from evaluations.models import (
    ActionStatus,
    FollowUpEvent,
    Recommendation,
    RecommendationAction,
    RecommendationStatus,
)
from evaluations.selectors import snapshot_elements
from reports.views_charts import period_choices
from surveys import periods, selectors
from surveys.index import round_half_up
from surveys.periods import Period, PeriodError

EVALUATORS = (Role.EVALUATOR, Role.SUPER_ADMIN)
PER_PAGE = 30
ANSWERABLE = (ActionStatus.OPEN, ActionStatus.PLANNED, ActionStatus.RETURNED)
REPORTABLE = (ActionStatus.PLANNED, ActionStatus.RETURNED)


def _period_label(key: str) -> str:
    try:
        return periods.parse(key).label
    except PeriodError:
        return key


@staff_required(*ALL_STAFF)
@require_GET
def recommendation_list(request):
    overseer = request.user.sees_all_agencies
    form = RecommendationFilterForm(request.GET or None, with_agency=overseer)
    found = scope(request.user, Recommendation.objects.select_related("agency").order_by("-issued_at", "-pk")).annotate(
        total=Count("actions"), done=Count("actions", filter=Q(actions__status=ActionStatus.VERIFIED))
    )
    kept = {}
    if form.is_valid():
        if status := form.cleaned_data["status"]:
            found = found.filter(status=status)
            kept["status"] = status
        if overseer and (agency := form.cleaned_data["agency"]):
            found = found.filter(agency=agency)
            kept["agency"] = agency.code
        if form.cleaned_data["overdue"]:
            found = found.overdue(timezone.localdate())
            kept["overdue"] = "on"
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for recommendation in page:
        recommendation.period_label = _period_label(recommendation.period_key)
        recommendation.overdue = recommendation.is_overdue(today)
    context = {
        "form": form,
        "page": page,
        "page_query": urlencode(kept),
        "can_issue": can(request.user, EVALUATORS),
        "overseer": overseer,
    }
    return render(request, "evaluations/recommendation_list.html", context)


def _last_ended_semester() -> Period:
    today = timezone.localdate()
    if today.month > 6:
        return periods.semester(today.year, 1)
    return periods.semester(today.year - 1, 2)


def _element_choices() -> list[tuple[str, str]]:
    """(code, the element's name) in questionnaire order, for choosing an action's element."""
    return list(selectors.element_names().items())


def _issue_results(agency: Agency, period: Period) -> tuple[dict, list[dict]]:
    """The agency's live results for the period: a summary and the elements, weakest first."""
    found = selectors.results(scope=selectors.Scope(agency=agency), start=period.start, end=period.end)
    questions = selectors.element_questions()
    names = selectors.element_names()
    index = found.index
    summary = {
        "respondents": index.respondents,
        "score": index.score,
        "index": None if index.index is None else round_half_up(index.index, 4),
        "grade": index.grade,
    }
    weakest = [
        {
            "code": element.code,
            "name": names.get(element.code, element.code),
            "question": questions.get(element.code, ""),
            "responses": element.responses,
            "nrr": round_half_up(element.nrr, 3),
            "score": element.score,
            "grade": element.grade,
        }
        for element in found.weakest_first()
    ]
    return summary, weakest


def _apply_errors(exc: ValidationError, form) -> list[str]:
    """Put a service's errors on the form's fields; return those that belong to no field."""
    loose: list[str] = []
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return list(exc.messages)
    for field, errors in exc.message_dict.items():
        if field in form.fields:
            form.add_error(field, errors)
        else:
            loose += errors
    return loose


@staff_required(*EVALUATORS)
@require_http_methods(["GET", "POST"])
def recommendation_issue(request, agency_code: str):
    agency = get_scoped_or_404(request.user, Agency, code=agency_code)
    elements = _element_choices()
    period_asked = "periode" in request.GET
    actions_errors: list[str] = []
    if request.method == "POST":
        form = RecommendationForm(request.POST)
        formset = ActionFormSet(request.POST, prefix="actions", form_kwargs={"elements": elements})
        form_ok, formset_ok = form.is_valid(), formset.is_valid()
        period = form.cleaned_data.get("period") if "period" not in form.errors else None
        if period is None:
            period = _last_ended_semester()
            messages.error(request, " ".join(form.errors["period"]))
        actions_errors = list(formset.non_form_errors())
        if form_ok and formset_ok:
            try:
                recommendation = services.recommendation_issue(
                    agency=agency,
                    period=period,
                    title=form.cleaned_data["title"],
                    findings=form.cleaned_data["findings"],
                    actions=[row.cleaned_data for row in formset],
                    due_date=form.cleaned_data["due_date"],
                    actor=request.user,
                )
            except ValidationError as exc:
                actions_errors += _apply_errors(exc, form)
            else:
                messages.success(
                    request,
                    _("Recommendation “%(title)s” issued to %(agency)s. Its operators have been told.")
                    % {"title": recommendation.title, "agency": agency.name},
                )
                return redirect("evaluations:recommendation_detail", pk=recommendation.pk)
        messages.error(request, _("Nothing was issued: please correct the marked fields."))
        summary, weakest = _issue_results(agency, period)
    else:
        period = _last_ended_semester()
        if period_asked:
            try:
                period = periods.parse(request.GET["periode"])
            except PeriodError as exc:
                messages.error(
                    request, _("%(problem)s Showing %(period)s instead.") % {"problem": exc, "period": period.label}
                )
        summary, weakest = _issue_results(agency, period)
        form = RecommendationForm(initial=RecommendationForm.initial_for(period))
        suggested = [{"element_code": row["code"]} for row in weakest[: MAX_ACTION_ROWS - EXTRA_ACTION_ROWS]]
        formset = ActionFormSet(prefix="actions", initial=suggested, form_kwargs={"elements": elements})
    context = {
        "agency": agency,
        "period": period,
        "period_asked": period_asked,
        "period_choices": period_choices(period),
        "summary": summary,
        "weakest": weakest,
        "form": form,
        "formset": formset,
        "actions_errors": actions_errors,
        "results_query": urlencode({"period": period.key}),
    }
    return render(request, "evaluations/recommendation_issue.html", context)


def _recommendations():
    return Recommendation.objects.select_related("agency", "issued_by", "acknowledged_by")


def _actions():
    return RecommendationAction.objects.select_related(
        "recommendation__agency", "recommendation__issued_by", "recommendation__acknowledged_by"
    )


def _prefix(action: RecommendationAction, step: str) -> str:
    return f"a{action.pk}-{step}"


def _print_url(recommendation: Recommendation) -> str | None:
    """The printable PDF, when the print pages are installed."""
    try:
        return reverse("evaluation_print:recommendation_pdf", args=[recommendation.pk])
    except NoReverseMatch:
        return None


def _action_forms(user, recommendation: Recommendation, action: RecommendationAction) -> dict:
    """The next steps this user may take on this action now, as unbound forms."""
    forms = {}
    operator_side = can(user, CATALOG_EDITORS) and recommendation.status != RecommendationStatus.ISSUED
    if operator_side and action.status in ANSWERABLE:
        forms["plan"] = PlanForm(
            prefix=_prefix(action, "plan"),
            initial={
                "activity": action.plan_activity,
                "responsible": action.plan_responsible,
                "target_date": action.plan_target_date,
            },
        )
    if operator_side and action.status in REPORTABLE:
        forms["progress"] = ProgressForm(prefix=_prefix(action, "progress"))
        forms["complete"] = CompleteForm(prefix=_prefix(action, "complete"))
    if can(user, EVALUATORS) and action.status == ActionStatus.COMPLETED:
        forms["verify"] = VerifyForm(prefix=_prefix(action, "verify"))
        forms["return"] = ReturnForm(prefix=_prefix(action, "return"))
    return forms


def _render_detail(request, recommendation: Recommendation, bound: tuple[int, str, object] | None = None):
    """The recommendation page; ``bound`` (action pk, step, form) puts back a refused form with
    its errors, where that step is still on offer."""
    user = request.user
    today = timezone.localdate()
    questions = selectors.element_questions()
    names = selectors.element_names()
    rows = []
    for action in recommendation.actions.all():
        forms = _action_forms(user, recommendation, action)
        if bound and bound[0] == action.pk and bound[1] in forms:
            forms[bound[1]] = bound[2]
        rows.append(
            {
                "action": action,
                "name": names.get(action.element_code, action.element_code),
                "question": questions.get(action.element_code, ""),
                "overdue": action.is_overdue(today),
                "forms": forms,
            }
        )
    snapshot = recommendation.snapshot or {}
    context = {
        "recommendation": recommendation,
        "period_label": _period_label(recommendation.period_key),
        "overdue": recommendation.is_overdue(today),
        "snapshot": snapshot,
        "snapshot_elements": snapshot_elements(snapshot),
        "rows": rows,
        "events": recommendation.events.select_related("actor", "action"),
        "can_acknowledge": can(user, CATALOG_EDITORS) and recommendation.status == RecommendationStatus.ISSUED,
        "waits_for_acknowledgement": recommendation.status == RecommendationStatus.ISSUED,
        "print_url": _print_url(recommendation),
        "results_query": urlencode({"period": recommendation.period_key}),
    }
    return render(request, "evaluations/recommendation_detail.html", context)


@staff_required(*ALL_STAFF)
@require_GET
def recommendation_detail(request, pk: int):
    return _render_detail(request, get_scoped_or_404(request.user, _recommendations(), pk=pk))


def _detail_url(recommendation: Recommendation, action: RecommendationAction | None = None) -> str:
    url = reverse("evaluations:recommendation_detail", args=[recommendation.pk])
    return f"{url}#action-{action.pk}" if action else url


@staff_required(*CATALOG_EDITORS)
@require_POST
def recommendation_acknowledge(request, pk: int):
    recommendation = get_scoped_or_404(request.user, _recommendations(), pk=pk)
    try:
        services.recommendation_acknowledge(recommendation=recommendation, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _render_detail(request, recommendation)
    messages.success(request, _("Recommendation acknowledged. Now answer each action with a plan."))
    return redirect(_detail_url(recommendation))


STEPS = {
    "plan": (PlanForm, services.action_plan, gettext_lazy("Plan saved.")),
    "progress": (ProgressForm, services.action_progress, gettext_lazy("Progress recorded.")),
    "complete": (
        CompleteForm,
        services.action_complete,
        gettext_lazy("Completion reported. The evaluators have been told."),
    ),
    "verify": (VerifyForm, services.action_verify, gettext_lazy("Follow-up verified. The agency has been told.")),
    "return": (ReturnForm, services.action_return, gettext_lazy("Action returned to the agency with your reason.")),
}


def _action_step(request, pk: int, step: str):
    """Run one follow-up step on an action from its form; on refusal show the page again with
    the form's errors and a message, nothing changed."""
    action = get_scoped_or_404(request.user, _actions(), pk=pk)
    form_class, run, done = STEPS[step]
    form = form_class(request.POST, request.FILES, prefix=_prefix(action, step))
    if form.is_valid():
        try:
            run(action=action, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(exc, form)
        else:
            messages.success(request, str(done))
            return redirect(_detail_url(action.recommendation, action))
    problems = form.non_field_errors()
    messages.error(
        request, " ".join(problems) if problems else _("Nothing was changed: please correct the marked fields.")
    )
    return _render_detail(request, action.recommendation, bound=(action.pk, step, form))


@staff_required(*CATALOG_EDITORS)
@require_POST
def action_plan(request, pk: int):
    return _action_step(request, pk, "plan")


@staff_required(*CATALOG_EDITORS)
@require_POST
def action_progress(request, pk: int):
    return _action_step(request, pk, "progress")


@staff_required(*CATALOG_EDITORS)
@require_POST
def action_complete(request, pk: int):
    return _action_step(request, pk, "complete")


@staff_required(*EVALUATORS)
@require_POST
def action_verify(request, pk: int):
    return _action_step(request, pk, "verify")


@staff_required(*EVALUATORS)
@require_POST
def action_return(request, pk: int):
    return _action_step(request, pk, "return")


@staff_required(*ALL_STAFF)
@require_GET
def evidence(request, pk: int):
    """An evidence file, to those who may see its recommendation, as a download."""
    event = get_scoped_or_404(request.user, FollowUpEvent.objects.exclude(evidence=""), pk=pk)
    return private_download(event.evidence, event.evidence_name, event.evidence_type)
