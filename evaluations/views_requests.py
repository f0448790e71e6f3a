"""Operators' requests to the super admin (a feature, a fix, a correction) and the conversation
on each. An operator sees their own agency's requests only; the super admin sees all of them,
replies and sets their status. Evaluators and leaders have no part in it."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import get_scoped_or_404, scope, staff_required
from accounts.models import Role
from agencies.models import Agency
from evaluations import services
from evaluations.files import private_download
from evaluations.forms_coordination import CommentForm, RequestForm, add_service_errors
from evaluations.models import OperatorRequest, RequestStatus

# Requests run between the agencies' operators and the super admin.
COORDINATORS = (Role.SUPER_ADMIN, Role.OPERATOR)


def _requests() -> QuerySet[OperatorRequest]:
    return OperatorRequest.objects.select_related("agency", "created_by")


@staff_required(*COORDINATORS)
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    requests = scope(request.user, _requests())
    counts = dict(requests.order_by().values_list("status").annotate(count=Count("pk")))
    status = request.GET.get("status", "")
    if status not in RequestStatus.values:
        status = ""
    agency_code = request.GET.get("opd", "").strip()[:40] if request.user.is_super_admin else ""
    if status:
        requests = requests.filter(status=status)
    if agency_code:
        requests = requests.filter(agency__code=agency_code)
    page = Paginator(requests.annotate(comment_count=Count("comments")).order_by("-created_at", "-pk"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "evaluations/request_list.html",
        {
            "page": page,
            "page_query": urlencode({key: value for key, value in (("status", status), ("opd", agency_code)) if value}),
            "status": status,
            "statuses": [(value, label, counts.get(value, 0)) for value, label in RequestStatus.choices],
            "agency_code": agency_code,
            "agencies": Agency.objects.order_by("name") if request.user.is_super_admin else [],
        },
    )


@staff_required(Role.OPERATOR)
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    is_post = request.method == "POST"
    form = RequestForm(request.POST if is_post else None, request.FILES if is_post else None)
    if is_post and form.is_valid():
        try:
            item = services.request_create(
                actor=request.user,
                category=form.cleaned_data["category"],
                subject=form.cleaned_data["subject"],
                description=form.cleaned_data["description"],
                attachment=form.cleaned_data["attachment"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your request has been sent to the super admin."))
            return redirect("coordination:request_detail", item.pk)
    return render(request, "evaluations/request_form.html", {"form": form})


@staff_required(*COORDINATORS)
@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_scoped_or_404(request.user, _requests(), pk=pk)
    is_admin = request.user.is_super_admin
    is_post = request.method == "POST"
    form = CommentForm(request.POST if is_post else None, with_status=is_admin, initial={"status": item.status})
    if is_post and form.is_valid():
        text = form.cleaned_data["text"]
        status = form.cleaned_data.get("status")
        # An unchanged status is no change: the comment alone must then say something.
        new_status = status if is_admin and status != item.status else None
        try:
            services.request_comment(request=item, actor=request.user, text=text, status=new_status)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if text.strip():
                messages.success(request, _("Your comment has been added."))
            if new_status:
                messages.success(
                    request, _("Status set to “%(status)s”.") % {"status": RequestStatus(new_status).label}
                )
            return redirect("coordination:request_detail", item.pk)
    return render(
        request,
        "evaluations/request_detail.html",
        {"item": item, "comments": item.comments.select_related("author"), "form": form},
    )


@staff_required(*COORDINATORS)
@require_GET
def request_attachment(request: HttpRequest, pk: int) -> FileResponse:
    item = get_scoped_or_404(request.user, OperatorRequest, pk=pk)
    return private_download(item.attachment, item.attachment_name, item.attachment_type)
