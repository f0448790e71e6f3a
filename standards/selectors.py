"""Reads of the public catalog."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from agencies.models import Agency
from standards.completeness import Completeness, standard_completeness
from standards.models import Service, ServiceDocument, ServiceViewCount, Synonym
from standards.synonyms import format_synonyms

USAGE_MONTHS = 12


def published_services() -> QuerySet[Service]:
    """Services a citizen may see: published, of an active agency."""
    return Service.objects.filter(is_published=True, agency__is_active=True).select_related("agency")


def published_service(code: object) -> Service | None:
    """The published service (of an active agency) with ``code``, or None. Read once per
    process and code, and again only after a service, agency or questionnaire changed (one
    query for the stamp), so a survey submission does not read the catalog each time."""
    from surveys.stamps import CATALOG, memo, stamp

    if not isinstance(code, str) or not code:
        return None
    known: dict[str, Service] = memo("published_services", stamp(CATALOG), dict)
    if code not in known:
        found = published_services().filter(code=code).first()
        if found is None:
            return None  # not remembered: unknown codes must not grow the process
        known[code] = found
    return known[code]


def public_agencies() -> QuerySet[Agency]:
    """Active agencies with the number of services they publish, for browsing."""
    return (
        Agency.objects.filter(is_active=True)
        .annotate(service_count=Count("services", filter=Q(services__is_published=True)))
        .order_by("kind", "name")
    )


def _months_back(months: int) -> datetime.date:
    first = timezone.localdate().replace(day=1)
    year, month = divmod(first.year * 12 + first.month - 1 - (months - 1), 12)
    return datetime.date(year, month + 1, 1)


def service_usage(*, months: int = USAGE_MONTHS) -> dict[int, int]:
    """Surveys plus page visits per service over the last ``months`` months (this one
    included), read from month tallies, never from the responses."""
    from surveys.models import RespondentTally, Span

    since = _months_back(months)
    usage: dict[int, int] = {}
    surveys = (
        RespondentTally.objects.filter(span=Span.MONTH, day__gte=since).values("service").annotate(total=Sum("count"))
    )
    visits = ServiceViewCount.objects.filter(month__gte=since).values("service").annotate(total=Sum("count"))
    for row in [*surveys, *visits]:
        usage[row["service"]] = usage.get(row["service"], 0) + row["total"]
    return usage


def popular_services(*, limit: int = 8, usage: dict[int, int] | None = None) -> list[Service]:
    """The most used published services (surveys and page visits), most used first; services
    nobody used are left out."""
    usage = service_usage() if usage is None else usage
    used = [service_id for service_id, total in usage.items() if total > 0]
    services = list(published_services().filter(pk__in=used))
    services.sort(key=lambda service: (-usage[service.pk], service.name))
    return services[:limit]


def synonyms_text() -> str:
    """The synonym list as the super admin edits it."""
    return format_synonyms(list(Synonym.objects.order_by("pk").values_list("term", "replacement")))


def public_documents(service: Service) -> QuerySet[ServiceDocument]:
    """The supporting documents of ``service`` its agency marked public."""
    return service.documents.filter(is_public=True)


@dataclass(frozen=True)
class StandardRow:
    service: Service
    completeness: Completeness
    documents: list[ServiceDocument]


def agency_standards(*, agency: Agency) -> list[StandardRow]:
    """Every service of ``agency`` (drafts too) with the completeness of its standard and its
    supporting documents, least complete first, for the staff page of what is missing."""
    services = (
        Service.objects.filter(agency=agency)
        .select_related("agency")
        .prefetch_related(Prefetch("documents", queryset=ServiceDocument.objects.order_by("kind", "title")))
    )
    rows = [
        StandardRow(
            service=service, completeness=standard_completeness(service), documents=list(service.documents.all())
        )
        for service in services
    ]
    rows.sort(key=lambda row: (row.completeness.score, row.service.name))
    return rows
