from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from accounts.access import ADMINS, CATALOG_EDITORS, get_scoped_or_404, scope, staff_required
from agencies.forms import AgencyForm, PledgeForm, RegencyIdentityForm
from agencies.models import Agency, ServicePledge
from agencies.pledge_poster import pledge_poster_issue
from agencies.selectors import regency_identity, regency_logo
from agencies.services import agency_save, pledge_update, regency_identity_update
from documents.http import pdf_response


@staff_required()
def staff_agency_list(request):
    agencies = scope(request.user, Agency.objects.all()).annotate(service_count=Count("services"))
    return render(request, "agencies/staff_agency_list.html", {"agencies": agencies.select_related("pledge")})


@staff_required(*ADMINS)
@require_http_methods(["GET", "POST"])
def agency_create(request):
    return _agency_form(request, Agency())


@staff_required(*ADMINS)
@require_http_methods(["GET", "POST"])
def agency_edit(request, code: str):
    return _agency_form(request, get_scoped_or_404(request.user, Agency, code=code))


def _agency_form(request, agency: Agency):
    form = AgencyForm(request.POST if request.method == "POST" else None, instance=agency)
    if request.method == "POST" and form.is_valid():
        try:
            agency_save(agency=form.instance)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Agency “%(name)s” saved.") % {"name": agency.name})
            return redirect("agencies:staff_agency_list")
    return render(request, "agencies/agency_form.html", {"form": form, "agency": agency})


@staff_required(*CATALOG_EDITORS)
@require_http_methods(["GET", "POST"])
def pledge_edit(request, code: str):
    agency = get_scoped_or_404(request.user, Agency, code=code)
    pledge = ServicePledge.objects.filter(agency=agency).first()
    form = PledgeForm(request.POST if request.method == "POST" else None, instance=pledge)
    if request.method == "POST" and form.is_valid():
        pledge_update(agency=agency, actor=request.user, data=form.cleaned_data)
        messages.success(request, _("The service pledge of %(name)s was saved.") % {"name": agency.name})
        return redirect("agencies:staff_agency_list")
    return render(request, "agencies/pledge_form.html", {"form": form, "agency": agency})


@staff_required()
@require_GET
def pledge_poster(request, code: str):
    """The agency's Maklumat Pelayanan as an A4 poster (registered as an issued document)."""
    agency = get_scoped_or_404(request.user, Agency, code=code)
    pledge = ServicePledge.objects.filter(agency=agency).select_related("agency").first()
    if pledge is None:
        messages.error(request, _("%(name)s has no service pledge yet: write it first.") % {"name": agency.name})
        return redirect("agencies:staff_agency_list")
    _document, content = pledge_poster_issue(pledge=pledge, actor=request.user)
    return pdf_response(content, f"maklumat-{agency.code}.pdf", inline=True)


@staff_required(*ADMINS)
@require_http_methods(["GET", "POST"])
def regency_identity_edit(request):
    identity = regency_identity()
    posted = request.method == "POST"
    form = RegencyIdentityForm(request.POST if posted else None, request.FILES if posted else None, instance=identity)
    if posted and form.is_valid():
        data = {field: form.cleaned_data[field] for field in form.Meta.fields}
        regency_identity_update(
            actor=request.user,
            data=data,
            logo=form.cleaned_data.get("logo_upload"),
            remove_logo=form.cleaned_data.get("remove_logo", False),
        )
        messages.success(request, _("The regency's identity was saved."))
        return redirect("agencies:regency_identity")
    return render(request, "agencies/regency_identity.html", {"form": form, "identity": regency_identity()})


@require_safe
def regency_logo_file(request):
    """The logo, public (it is on every page), served so that an SVG can never run as a page."""
    logo = regency_logo()
    if logo is None:
        raise Http404(_("No logo has been set."))
    content, content_type = logo
    response = HttpResponse(content, content_type=content_type)
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400"
    return response
