"""Staff pages of the review of held responses and of paper batches.

Evaluators and super admins see each agency's held responses grouped by burst and accept or
void a whole group or single responses, with a reason; they void or restore a paper batch in
one action. A leader reads the same pages without the buttons. An operator sees their own
agency's held count (and its paper batches) but never the held answers, and cannot decide:
an agency must not clean its own score.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.access import OVERSEERS, can, get_scoped_or_404, scope, staff_required
from accounts.models import Role
from agencies.models import Agency
from surveys import selectors
from surveys.models import PaperBatch, Response, Status
from surveys.states import StateChange, batch_restore, batch_void, responses_accept, responses_void

DECIDERS = (Role.SUPER_ADMIN, Role.EVALUATOR)
BATCHES_SHOWN = 200


@staff_required()
@require_GET
def index(request):
    """Every agency with responses held for review, most first."""
    if request.user.is_operator:
        return redirect("review:agency", code=request.user.agency.code)
    agencies = (
        Agency.objects.annotate(held=Count("services__responses", filter=Q(services__responses__status=Status.HELD)))
        .filter(held__gt=0)
        .order_by("-held", "name")
    )
    return render(request, "surveys/review_index.html", {"agencies": agencies})


@staff_required()
@require_GET
def agency(request, code: str):
    agency = get_scoped_or_404(request.user, Agency, code=code)
    held = selectors.held_count(selectors.Scope(agency=agency))
    overseer = can(request.user, OVERSEERS)
    context = {
        "agency": agency,
        "held": held,
        "groups": selectors.held_groups(agency=agency) if overseer else [],
        "shown_limit": selectors.HELD_SHOWN,
        "can_see_answers": overseer,
        "can_decide": can(request.user, DECIDERS),
    }
    return render(request, "surveys/review_agency.html", context)


@staff_required()
@require_POST
def decide(request, code: str):
    """Accept or void the chosen held responses of one agency, with a reason."""
    agency = get_scoped_or_404(request.user, Agency, code=code)
    if not can(request.user, DECIDERS):
        raise PermissionDenied
    back = redirect("review:agency", code=agency.code)
    action = request.POST.get("action")
    chosen = [int(pk) for pk in request.POST.getlist("response") if pk.isdigit()]
    responses = list(
        Response.objects.filter(pk__in=chosen, service__agency=agency, status=Status.HELD).values_list("pk", flat=True)
    )
    if action not in ("accept", "void"):
        messages.error(request, _("Nothing changed: choose to accept or to void."))
        return back
    if not responses:
        messages.error(request, _("Nothing changed: choose at least one held response."))
        return back
    service = responses_accept if action == "accept" else responses_void
    change = _state_change(request, service, responses=responses)
    if change is None:
        return back
    if action == "accept":
        message = ngettext(
            "%(count)d response accepted and counted.", "%(count)d responses accepted and counted.", change.changed
        )
    else:
        message = ngettext(
            "%(count)d response voided; it stays stored.",
            "%(count)d responses voided; they stay stored.",
            change.changed,
        )
    messages.success(request, message % {"count": change.changed})
    return back


@staff_required()
@require_GET
def batches(request):
    """Paper batches, newest first: an operator sees their own agency's."""
    found = scope(request.user, PaperBatch.objects.select_related("created_by", "agency"))
    found = found.annotate(
        void=Count("responses", filter=Q(responses__status=Status.VOID)),
    ).order_by("-pk")[:BATCHES_SHOWN]
    return render(
        request,
        "surveys/review_batches.html",
        {"batches": found, "can_decide": can(request.user, DECIDERS), "shown_limit": BATCHES_SHOWN},
    )


@staff_required()
@require_POST
def batch_decide(request, pk: int):
    """Void a whole paper batch, or restore it, with a reason."""
    batch = get_scoped_or_404(request.user, PaperBatch, pk=pk)
    if not can(request.user, DECIDERS):
        raise PermissionDenied
    back = redirect(reverse("review:batches") + f"#batch-{batch.pk}")
    action = request.POST.get("action")
    if action not in ("void", "restore"):
        messages.error(request, _("Nothing changed: choose to void or to restore the batch."))
        return back
    service = batch_void if action == "void" else batch_restore
    change = _state_change(request, service, batch=batch)
    if change is None:
        return back
    if action == "void":
        message = ngettext(
            "Batch %(batch)d: %(changed)d response voided, %(skipped)d already void.",
            "Batch %(batch)d: %(changed)d responses voided, %(skipped)d already void.",
            change.changed,
        )
    else:
        message = ngettext(
            "Batch %(batch)d: %(changed)d response restored, %(skipped)d not void.",
            "Batch %(batch)d: %(changed)d responses restored, %(skipped)d not void.",
            change.changed,
        )
    messages.success(request, message % {"batch": batch.pk, "changed": change.changed, "skipped": change.skipped})
    return back


def _state_change(request, service: Callable[..., StateChange], **target) -> StateChange | None:
    """Run one state change with the posted reason; None (and a message) when it was refused."""
    try:
        return service(**target, actor=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, _("Nothing changed: %(problem)s") % {"problem": " ".join(error.messages)})
        return None
