"""The access policy: who may open which page, and the one way to fetch agency-scoped objects.

Every view declares its audience with ``@staff_required(...)``. Objects that belong to an
agency are fetched only through ``get_scoped_or_404``/``scope``: an operator asking for another
agency's object gets 404, never its data and never a 403 that would confirm it exists.
"""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.models import Role
from accounts.two_factor import two_factor_pending

ALL_STAFF = (Role.SUPER_ADMIN, Role.EVALUATOR, Role.LEADER, Role.OPERATOR)
OVERSEERS = (Role.SUPER_ADMIN, Role.EVALUATOR, Role.LEADER)
CATALOG_EDITORS = (Role.SUPER_ADMIN, Role.OPERATOR)
ADMINS = (Role.SUPER_ADMIN,)

M = TypeVar("M", bound=Model)
View = Callable[..., HttpResponse]


def staff_required(*roles: str) -> Callable[[View], View]:
    """Let signed-in staff with one of ``roles`` in; anonymous visitors go to the login page.

    A signed-in user with another role gets 403: the page exists for everyone, only the role
    is wrong. Data scoping (404 for another agency) is ``get_scoped_or_404``'s job.
    """
    allowed = frozenset(roles or ALL_STAFF)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.is_active or user.role not in allowed:
                raise PermissionDenied
            if two_factor_pending(user):
                # Signed in by the password; the second factor is still due.
                verify = reverse("accounts:two_factor_verify")
                return HttpResponseRedirect(f"{verify}?{urlencode({'next': request.get_full_path()})}")
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = allowed  # type: ignore[attr-defined]
        return wrapped

    return decorator


def _agency_field(model: type[Model]) -> str:
    field = getattr(model, "AGENCY_FIELD", None)
    if field is None:
        raise TypeError(f"{model.__name__} declares no AGENCY_FIELD and cannot be scoped")
    return field


def scope(user: Any, queryset: QuerySet[M]) -> QuerySet[M]:
    """Narrow ``queryset`` to what ``user`` may see: everything for overseers, their own agency
    for an operator, nothing for anyone else."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.role in OVERSEERS:
        return queryset
    if user.role == Role.OPERATOR:
        return queryset.filter(**{_agency_field(queryset.model): user.agency_id})
    return queryset.none()


def get_scoped_or_404(user: Any, queryset: QuerySet[M] | type[M], **lookup: Any) -> M:
    """Fetch one agency-scoped object for ``user`` or raise Http404."""
    if not isinstance(queryset, QuerySet):
        queryset = queryset._default_manager.all()
    return get_object_or_404(scope(user, queryset), **lookup)


def can(user: Any, roles: Iterable[str]) -> bool:
    """True when ``user`` is active staff holding one of ``roles`` (for showing links)."""
    return bool(user.is_authenticated and user.is_active and user.role in roles)


def back_to(request: HttpRequest, default: str) -> HttpResponseRedirect:
    """Redirect to the posted ``next`` when it is a path on this site, else to ``default``.

    Only absolute paths are followed: a bare word would be read by redirect() as a URL name, and
    anything with a host could send the user elsewhere.
    """
    target = request.POST.get("next", "")
    local = target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return HttpResponseRedirect(target if local else default)
