"""The public catalog: no login, server-rendered, light enough for a cheap phone."""

from itertools import groupby

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from accounts.access import get_scoped_or_404
from agencies.models import Agency, AgencyKind, ServicePledge
from evaluations.files import private_download
from standards.models import ServiceDocument
from standards.search import service_search
from standards.selectors import (
    popular_services,
    public_agencies,
    public_documents,
    published_services,
    service_usage,
)
from standards.services import service_view_record

MAX_QUERY_LENGTH = 100


def home(request):
    order = {kind: position for position, kind in enumerate(AgencyKind.values)}
    agencies = sorted(public_agencies(), key=lambda a: (order.get(a.kind, len(order)), a.name))
    kinds = dict(AgencyKind.choices)
    groups = [(kinds.get(kind, kind), list(items)) for kind, items in groupby(agencies, key=lambda a: a.kind)]
    return render(
        request,
        "standards/home.html",
        {
            "agency_groups": groups,
            "service_count": published_services().count(),
            "agency_count": len(agencies),
            "popular": popular_services(),
        },
    )


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    usage = service_usage()
    result = service_search(query=query, services=published_services(), usage=usage) if query else None
    popular = popular_services(usage=usage) if result is None or not result.hits else []
    return render(request, "standards/search.html", {"query": query, "result": result, "popular": popular})


def agency_detail(request, code: str):
    agency = get_object_or_404(Agency, code=code, is_active=True)
    services = published_services().filter(agency=agency).order_by("name")
    pledge = ServicePledge.objects.filter(agency=agency).first()
    return render(
        request,
        "standards/agency_detail.html",
        {"agency": agency, "services": services, "pledge": pledge, "footer_agency": agency},
    )


def service_detail(request, code: str):
    service = get_object_or_404(published_services(), code=code)
    service_view_record(service=service)
    pledge = ServicePledge.objects.filter(agency=service.agency).first()
    return render(
        request,
        "standards/service_detail.html",
        {
            "service": service,
            "pledge": pledge,
            "documents": public_documents(service),
            "footer_agency": service.agency,
        },
    )


@require_safe
def service_document_file(request, pk: int):
    """A supporting document as a download: a public one of a published service to anyone,
    any other only to staff who may see its agency (404 for everyone else)."""
    document = ServiceDocument.objects.filter(
        pk=pk, is_public=True, service__in=published_services().values("pk")
    ).first() or get_scoped_or_404(request.user, ServiceDocument, pk=pk)
    response = private_download(document.file, document.file_name, document.file_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=300" if document.is_public else "private, no-store"
    return response


def privacy(request):
    return render(request, "standards/privacy.html", {"retention_days": settings.REPLY_CONTACT_RETENTION_DAYS})


def accessibility(request):
    return render(request, "standards/accessibility.html")
