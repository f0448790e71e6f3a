"""Staff pages for services and their standards."""

from auditlog.models import LogEntry
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import ADMINS, CATALOG_EDITORS, back_to, can, get_scoped_or_404, scope, staff_required
from agencies.models import Agency
from standards.catalog_import import CatalogImportError, catalog_import
from standards.completeness import COMPONENTS
from standards.forms import CatalogUploadForm, ServiceDocumentForm, ServiceForm, SynonymsForm
from standards.models import Service, ServiceDocument
from standards.selectors import agency_standards, synonyms_text
from standards.services import (
    service_document_add,
    service_document_remove,
    service_mark_reviewed,
    service_save,
    synonyms_replace,
)


@staff_required()
def staff_service_list(request):
    services = scope(request.user, Service.objects.select_related("agency"))
    agencies = scope(request.user, Agency.objects.all())
    query = request.GET.get("q", "").strip()[:100]
    agency_code = request.GET.get("opd", "").strip()
    if query:
        services = services.filter(Q(name__icontains=query) | Q(code__icontains=query))
    if agency_code:
        services = services.filter(agency__code=agency_code)
    page = Paginator(services.order_by("agency__name", "name"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "standards/staff_service_list.html",
        {
            "page": page,
            "query": query,
            "agencies": agencies,
            "agency_code": agency_code,
            "own_agency": request.user.agency if request.user.is_operator else None,
            "can_edit": can(request.user, CATALOG_EDITORS),
        },
    )


@staff_required(*CATALOG_EDITORS)
@require_http_methods(["GET", "POST"])
def service_create(request):
    service = Service(agency=request.user.agency) if request.user.is_operator else Service()
    return _service_form(request, service)


@staff_required(*CATALOG_EDITORS)
@require_http_methods(["GET", "POST"])
def service_edit(request, code: str):
    return _service_form(request, get_scoped_or_404(request.user, Service, code=code))


def _service_form(request, service: Service):
    form = ServiceForm(
        request.POST if request.method == "POST" else None, instance=service, choose_agency=not request.user.is_operator
    )
    if request.method == "POST" and form.is_valid():
        try:
            service_save(service=form.instance)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Service “%(name)s” saved.") % {"name": service.name})
            return redirect("standards:staff_service_list")
    return render(request, "standards/service_form.html", {"form": form, "service": service})


@staff_required()
def service_history(request, code: str):
    service = get_scoped_or_404(request.user, Service.objects.select_related("agency"), code=code)
    entries = LogEntry.objects.get_for_object(service).select_related("actor").order_by("-timestamp")
    page = Paginator(entries, 30).get_page(request.GET.get("page"))
    return render(request, "standards/service_history.html", {"service": service, "page": page})


@staff_required(*ADMINS)
@require_http_methods(["GET", "POST"])
def catalog_upload(request):
    form = CatalogUploadForm(
        request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None
    )
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = catalog_import(file=upload, filename=upload.name)
        except CatalogImportError as exc:
            errors = exc.errors
        else:
            messages.success(request, result.summary())
            for column in result.ignored_columns:
                messages.warning(request, _("Unknown column ignored: %(column)s") % {"column": column})
            return redirect("standards:staff_service_list")
    return render(request, "standards/catalog_upload.html", {"form": form, "errors": errors})


@staff_required(*ADMINS)
@require_http_methods(["GET", "POST"])
def synonyms_edit(request):
    form = SynonymsForm(request.POST if request.method == "POST" else None, initial={"text": synonyms_text()})
    if request.method == "POST" and form.is_valid():
        synonyms_replace(pairs=form.cleaned_data["text"])
        messages.success(request, _("Search synonyms saved."))
        return redirect("standards:synonyms_edit")
    return render(request, "standards/synonyms_form.html", {"form": form})


@staff_required()
def agency_completeness(request, code: str):
    """Each service of an agency: how complete its standard is, what is missing, when it was
    last reviewed, whether it is published, and its supporting documents."""
    agency = get_scoped_or_404(request.user, Agency, code=code)
    labels = {name: capfirst(Service._meta.get_field(name).verbose_name) for name in COMPONENTS}
    rows = [
        {
            "row": row,
            "lacking": [(labels[name], name in row.completeness.too_short) for name in row.completeness.lacking],
        }
        for row in agency_standards(agency=agency)
    ]
    return render(
        request,
        "standards/agency_completeness.html",
        {
            "agency": agency,
            "rows": rows,
            "complete_count": sum(1 for item in rows if item["row"].completeness.is_complete),
            "component_count": len(COMPONENTS),
            "can_edit": can(request.user, CATALOG_EDITORS),
        },
    )


@staff_required(*CATALOG_EDITORS)
@require_POST
def service_review(request, code: str):
    service = get_scoped_or_404(request.user, Service.objects.select_related("agency"), code=code)
    service_mark_reviewed(service=service, actor=request.user)
    messages.success(request, _("The standard of “%(name)s” is marked as reviewed today.") % {"name": service.name})
    return back_to(request, reverse("standards:agency_completeness", args=[service.agency.code]))


@staff_required(*CATALOG_EDITORS)
@require_http_methods(["GET", "POST"])
def service_documents(request, code: str):
    """The supporting documents of one service: the list, and the upload of a new one."""
    service = get_scoped_or_404(request.user, Service.objects.select_related("agency"), code=code)
    posted = request.method == "POST"
    form = ServiceDocumentForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            service_document_add(service=service, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
            for field, messages_ in errors.items():
                form.add_error(field if field in form.fields else None, messages_)
        else:
            messages.success(request, _("The document “%(title)s” was added.") % {"title": form.cleaned_data["title"]})
            return redirect("standards:service_documents", code=service.code)
    documents = service.documents.order_by("kind", "title")
    return render(
        request, "standards/service_documents.html", {"service": service, "form": form, "documents": documents}
    )


@staff_required(*CATALOG_EDITORS)
@require_POST
def service_document_delete(request, pk: int):
    document = get_scoped_or_404(request.user, ServiceDocument.objects.select_related("service"), pk=pk)
    service = document.service
    service_document_remove(document=document, actor=request.user)
    messages.success(request, _("The document “%(title)s” was removed.") % {"title": document.title})
    return back_to(request, reverse("standards:service_documents", args=[service.code]))
