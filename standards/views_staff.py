"""Staff pages for services and their standards."""

from auditlog.models import LogEntry
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import ADMINS, CATALOG_EDITORS, can, get_scoped_or_404, scope, staff_required
from agencies.models import Agency
from standards.catalog_import import CatalogImportError, catalog_import
from standards.forms import CatalogUploadForm, ServiceForm, SynonymsForm
from standards.models import Service
from standards.selectors import synonyms_text
from standards.services import service_save, synonyms_replace


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
