"""Announcements from the super admin to the operators of all agencies or of chosen ones. The
super admin sees who has read each; an operator sees those addressed to their agency, and
opening one (or dismissing it) marks it read for them alone."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import ADMINS, back_to, staff_required
from accounts.models import Role, User
from evaluations import services
from evaluations.forms_coordination import AnnouncementForm, add_service_errors
from evaluations.models import Announcement, AnnouncementRead
from evaluations.views_requests import COORDINATORS

AnnouncementAgency = Announcement.agencies.through


def _addressed_to(user: User) -> QuerySet[Announcement]:
    """The announcements ``user`` may open: every one for the super admin, those addressed to
    all agencies or to their own for an operator, none for anyone else. An announcement is
    not an agency's object (it may address many), so this stands in for accounts.access.scope."""
    announcements = Announcement.objects.all()
    if user.is_super_admin:
        return announcements
    if user.is_operator:
        to_agency = AnnouncementAgency.objects.filter(announcement=OuterRef("pk"), agency=user.agency_id)
        return announcements.filter(Q(all_agencies=True) | Q(Exists(to_agency)))
    return announcements.none()


def _operators_addressed(announcement: Announcement) -> QuerySet[User]:
    operators = User.objects.filter(role=Role.OPERATOR, is_active=True)
    if not announcement.all_agencies:
        operators = operators.filter(agency__in=announcement.agencies.all())
    return operators


@staff_required(*COORDINATORS)
@require_GET
def announcement_list(request: HttpRequest) -> HttpResponse:
    announcements = _addressed_to(request.user).select_related("created_by").prefetch_related("agencies")
    if request.user.is_operator:
        read = AnnouncementRead.objects.filter(announcement=OuterRef("pk"), user=request.user)
        announcements = announcements.annotate(is_read=Exists(read))
    page = Paginator(announcements, 50).get_page(request.GET.get("page"))
    if request.user.is_super_admin:
        _count_readers(list(page))
    return render(request, "evaluations/announcement_list.html", {"page": page})


def _count_readers(announcements: list[Announcement]) -> None:
    """Set ``addressed`` (active operators it reaches) and ``read_by`` (how many of them have
    read it) on each announcement, in three queries for the whole page."""
    ids = [announcement.pk for announcement in announcements]
    everyone = User.objects.filter(role=Role.OPERATOR, is_active=True).count()
    chosen = dict(
        AnnouncementAgency.objects.filter(announcement__in=ids)
        .values("announcement")
        .annotate(
            count=Count(
                "agency__operators",
                filter=Q(agency__operators__role=Role.OPERATOR, agency__operators__is_active=True),
            )
        )
        .values_list("announcement", "count")
    )
    reads = AnnouncementRead.objects.filter(announcement__in=ids, user__role=Role.OPERATOR, user__is_active=True)
    read_by = dict(reads.values("announcement").annotate(count=Count("pk")).values_list("announcement", "count"))
    for announcement in announcements:
        announcement.addressed = everyone if announcement.all_agencies else chosen.get(announcement.pk, 0)
        announcement.read_by = read_by.get(announcement.pk, 0)


@staff_required(*ADMINS)
@require_http_methods(["GET", "POST"])
def announcement_create(request: HttpRequest) -> HttpResponse:
    form = AnnouncementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            announcement = services.announcement_publish(
                actor=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                agencies=form.chosen_agencies(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Announcement published; its operators are told by email."))
            return redirect("coordination:announcement_detail", announcement.pk)
    return render(request, "evaluations/announcement_form.html", {"form": form})


@staff_required(*COORDINATORS)
@require_GET
def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = get_object_or_404(
        _addressed_to(request.user).select_related("created_by").prefetch_related("agencies"), pk=pk
    )
    context = {"announcement": announcement}
    if request.user.is_operator:
        services.announcement_mark_read(announcement=announcement, actor=request.user)
    else:
        read_at = dict(announcement.reads.values_list("user", "read_at"))
        context["readers"] = [
            (operator, read_at.get(operator.pk))
            for operator in _operators_addressed(announcement)
            .select_related("agency")
            .order_by("agency__name", "username")
        ]
        context["read_by"] = sum(1 for _operator, when in context["readers"] if when)
    return render(request, "evaluations/announcement_detail.html", context)


@staff_required(Role.OPERATOR)
@require_POST
def announcement_read(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = get_object_or_404(_addressed_to(request.user), pk=pk)
    services.announcement_mark_read(announcement=announcement, actor=request.user)
    return back_to(request, reverse("accounts:dashboard"))
