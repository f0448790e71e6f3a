"""Two-factor sign-in pages: set up or turn off the authenticator app, and the code asked for
after the password."""

import base64

import segno
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device

from accounts import two_factor
from accounts.access import staff_required


class CodeForm(forms.Form):
    token = forms.RegexField(
        label=gettext_lazy("Six-digit code"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": gettext_lazy("Type the six digits your app shows.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def _qr_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=4)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@staff_required(*two_factor.TWO_FACTOR_ROLES)
@require_http_methods(["GET", "HEAD", "POST"])
def setup(request):
    """Scan the QR code (or type the key), then confirm with the first code."""
    user = request.user
    enabled = user_has_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if enabled:
                two_factor.totp_remove(user=user, token=form.cleaned_data["token"])
                messages.success(request, _("Two-factor sign-in is off."))
            else:
                device = two_factor.totp_confirm(user=user, token=form.cleaned_data["token"])
                otp_login(request, device)
                messages.success(request, _("Two-factor sign-in is on: each sign-in now also asks for a code."))
        except ValidationError as error:
            form.add_error("token", error)
        else:
            return redirect("accounts:two_factor")
    context = {"enabled": enabled, "form": form}
    if not enabled:
        device = two_factor.totp_enrolment(user=user)
        secret = base64.b32encode(device.bin_key).decode()
        context.update(qr=_qr_data_uri(device.config_url), secret=" ".join(secret[i : i + 4] for i in range(0, 32, 4)))
    return render(request, "accounts/two_factor.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    """After the password: the code of the confirmed device, then where the user was going."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Only absolute paths: redirect() would read a bare word as a URL name.
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    if not two_factor.two_factor_pending(request.user):
        return redirect(target or "accounts:dashboard")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.totp_verify(user=request.user, token=form.cleaned_data["token"])
        except ValidationError as error:
            form.add_error("token", error)
        else:
            otp_login(request, device)
            return redirect(target or "accounts:dashboard")
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": target})
