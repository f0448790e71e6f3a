"""Staff pages of kiosks: the list with each kiosk's last submission and count, registration,
a new enrolment code, and revocation. An operator sees and manages only their own agency's."""

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import CATALOG_EDITORS, can, get_scoped_or_404, scope, staff_required
from kiosks.forms import KioskForm
from kiosks.models import Kiosk
from kiosks.services import kiosk_new_enrolment, kiosk_register, kiosk_revoke
from siputri.site import public_url

# The code is shown once, on the page the registration leads to; only its hash is stored.
_SESSION_CODE = "kiosk-enrolment-code"


def enrolment_url(code: str) -> str:
    """The absolute enrolment link (on SITE_URL) a tablet opens to become the kiosk."""
    return public_url(reverse("kiosk:enrol"), kode=code)


@staff_required()
def kiosk_list(request):
    kiosks = scope(request.user, Kiosk.objects.select_related("agency", "service"))
    return render(
        request,
        "kiosks/kiosk_list.html",
        {"kiosks": kiosks, "can_edit": can(request.user, CATALOG_EDITORS)},
    )


@staff_required(*CATALOG_EDITORS)
@require_http_methods(["GET", "POST"])
def kiosk_create(request):
    form = KioskForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        agency = request.user.agency if request.user.is_operator else form.cleaned_data["agency"]
        try:
            kiosk, code = kiosk_register(
                name=form.cleaned_data["name"],
                agency=agency,
                service=form.cleaned_data["service"],
                actor=request.user,
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            request.session[_SESSION_CODE] = [kiosk.pk, code]
            messages.success(request, _("Kiosk “%(name)s” registered.") % {"name": kiosk.name})
            return redirect("kiosks:detail", pk=kiosk.pk)
    return render(request, "kiosks/kiosk_form.html", {"form": form})


@staff_required()
def kiosk_detail(request, pk: int):
    kiosk = get_scoped_or_404(request.user, Kiosk.objects.select_related("agency", "service"), pk=pk)
    context = {"kiosk": kiosk, "can_edit": can(request.user, CATALOG_EDITORS)}
    shown = request.session.pop(_SESSION_CODE, None)
    if shown and shown[0] == kiosk.pk and context["can_edit"]:
        url = enrolment_url(shown[1])
        context.update(code=shown[1], enrol_url=url, enrol_qr=segno.make_qr(url, error="m").svg_data_uri(scale=4))
    return render(request, "kiosks/kiosk_detail.html", context)


@staff_required(*CATALOG_EDITORS)
@require_POST
def kiosk_reenrol(request, pk: int):
    kiosk = get_scoped_or_404(request.user, Kiosk, pk=pk)
    try:
        code = kiosk_new_enrolment(kiosk=kiosk, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        request.session[_SESSION_CODE] = [kiosk.pk, code]
        messages.success(request, _("A new enrolment code was made; the device enrolled before no longer works."))
    return redirect("kiosks:detail", pk=kiosk.pk)


@staff_required(*CATALOG_EDITORS)
@require_POST
def kiosk_revoke_view(request, pk: int):
    kiosk = get_scoped_or_404(request.user, Kiosk, pk=pk)
    kiosk_revoke(kiosk=kiosk, actor=request.user)
    messages.success(request, _("Kiosk “%(name)s” was revoked; it takes no more responses.") % {"name": kiosk.name})
    return redirect("kiosks:detail", pk=kiosk.pk)
