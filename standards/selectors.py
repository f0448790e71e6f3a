"""Reads of the public catalog."""

from django.db.models import Count, Q, QuerySet

from agencies.models import Agency
from standards.models import Service

MAX_QUERY_WORDS = 8


def published_services() -> QuerySet[Service]:
    """Services a citizen may see: published, of an active agency."""
    return Service.objects.filter(is_published=True, agency__is_active=True).select_related("agency")


def service_search(*, query: str) -> QuerySet[Service]:
    """Published services whose name, requirements, product or agency match every word of
    ``query`` (case-insensitive)."""
    services = published_services()
    for word in query.split()[:MAX_QUERY_WORDS]:
        services = services.filter(
            Q(name__icontains=word)
            | Q(requirements__icontains=word)
            | Q(product__icontains=word)
            | Q(agency__name__icontains=word)
        )
    return services.order_by("name")


def public_agencies() -> QuerySet[Agency]:
    """Active agencies with the number of services they publish, for browsing."""
    return (
        Agency.objects.filter(is_active=True)
        .annotate(service_count=Count("services", filter=Q(services__is_published=True)))
        .order_by("kind", "name")
    )
