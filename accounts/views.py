from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import ADMINS, can, scope, staff_required
from accounts.forms import PasswordResetForm, SetPasswordForm, SignInForm, UserCreateForm, UserEditForm
from accounts.models import Role, User
from accounts.services import user_create, user_set_password, user_update
from agencies.models import Agency
from evaluations import selectors as evaluation_selectors
from standards.models import Service

login = auth_views.LoginView.as_view(
    template_name="accounts/login.html", authentication_form=SignInForm, redirect_authenticated_user=True
)
logout = auth_views.LogoutView.as_view()
password_change = staff_required()(
    auth_views.PasswordChangeView.as_view(
        template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:password_change_done")
    )
)
password_change_done = staff_required()(
    auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
)
# Self-service reset by email: the same answer whether or not the address has an account, a
# one-time link (Django's token: spent once the password changes, expires after
# PASSWORD_RESET_TIMEOUT), and the new password checked by the same validators.
password_reset = auth_views.PasswordResetView.as_view(
    form_class=PasswordResetForm,
    template_name="accounts/password_reset.html",
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html", success_url=reverse_lazy("accounts:password_reset_complete")
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


@staff_required()
def dashboard(request):
    """Each role's starting page: the catalog counts everyone sees, then the evaluation loop as
    the role sees it — an operator their own agency, everyone else every agency."""
    user = request.user
    today = timezone.localdate()
    services = scope(user, Service.objects.all())
    agencies = scope(user, Agency.objects.all())
    counts = services.aggregate(
        total=Count("id"),
        published=Count("id", filter=Q(is_published=True)),
        drafts=Count("id", filter=Q(is_published=False)),
    )
    context = {
        "counts": counts,
        "agency_count": agencies.count(),
        "agencies_without_pledge": agencies.filter(pledge__isnull=True).order_by("name")[:10],
        "recent_services": services.select_related("agency").order_by("-updated_at")[:8],
    }
    if user.is_operator:
        context["own_agency"] = user.agency
        context["operator_board"] = evaluation_selectors.dashboard_for_operator(user=user, today=today)
    else:
        context["overseer_board"] = evaluation_selectors.dashboard_for_overseer(today=today)
        context["can_issue"] = can(user, (Role.EVALUATOR, Role.SUPER_ADMIN))
        if can(user, (Role.LEADER, Role.SUPER_ADMIN)):
            context["trend"] = evaluation_selectors.regency_trend(today=today)
        if can(user, ADMINS):
            context["admin_overview"] = evaluation_selectors.admin_overview()
    return render(request, "accounts/dashboard.html", context)


@staff_required(*ADMINS)
def user_list(request):
    users = User.objects.select_related("agency").order_by("role", "username")
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(agency__name__icontains=query)
        )
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "query": query})


@staff_required(*ADMINS)
@require_http_methods(["GET", "POST"])
def user_create_view(request):
    form = UserCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_create(**form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Account “%(username)s” created.") % {"username": user.username})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "title": _("New account")})


@staff_required(*ADMINS)
@require_http_methods(["GET", "POST"])
def user_edit(request, pk: int):
    account = get_object_or_404(User, pk=pk)
    form = UserEditForm(request.POST if request.method == "POST" else None, instance=account)
    if request.method == "POST" and form.is_valid():
        if account == request.user and (
            not form.cleaned_data["is_active"] or form.cleaned_data["role"] != request.user.role
        ):
            form.add_error(None, _("You cannot deactivate your own account or change your own role."))
        else:
            account.refresh_from_db()
            try:
                user_update(user=account, data=form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Account “%(username)s” saved.") % {"username": account.username})
                return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "account": account, "title": account.username})


@staff_required(*ADMINS)
@require_http_methods(["GET", "POST"])
def user_password(request, pk: int):
    account = get_object_or_404(User, pk=pk)
    form = SetPasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user_set_password(user=account, password=form.cleaned_data["password"])
        except ValidationError as exc:
            form.add_error("password", exc)
        else:
            messages.success(request, _("Password of “%(username)s” changed.") % {"username": account.username})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_password.html", {"form": form, "account": account})


@staff_required(*ADMINS)
def audit_log(request):
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
    query = request.GET.get("q", "").strip()
    if query:
        entries = entries.filter(
            Q(object_repr__icontains=query) | Q(actor__username__icontains=query) | Q(changes_text__icontains=query)
        )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"page": page, "query": query})


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
