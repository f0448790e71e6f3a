"""What the kiosk tablet shows: enrolment, then the survey full-screen without site navigation
or staff links, a thank-you that returns to a fresh survey by itself, and its own minimum
interval between submissions instead of the per-address limit."""

from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from kiosks.forms import EnrolForm
from kiosks.models import Kiosk
from kiosks.services import kiosk_enrol, kiosk_for_credential, kiosk_wait_seconds
from standards.models import Service
from standards.selectors import published_services
from surveys.forms import HONEYPOT, SurveyForm
from surveys.models import Channel, Questionnaire
from surveys.services import current_questionnaire, response_submit

COOKIE = "siputri_kiosk"
_SALT = "kiosks.credential"
_TEN_YEARS = 10 * 365 * 24 * 3600


def current_kiosk(request) -> Kiosk | None:
    """The kiosk this browser was enrolled as, if its credential is still valid."""
    return kiosk_for_credential(request.get_signed_cookie(COOKIE, default=None, salt=_SALT))


def kiosk_required(view):
    """Only an enrolled, not revoked kiosk gets the kiosk pages; any other browser gets a page
    saying so (403), with the way to enrol."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        kiosk = current_kiosk(request)
        if kiosk is None:
            return render(request, "kiosks/not_a_kiosk.html", status=403)
        return view(request, kiosk, *args, **kwargs)

    return wrapped


@require_http_methods(["GET", "POST"])
def enrol(request):
    """The enrolment link opens a confirmation first, so a link preview or a scanner that
    fetches the link does not use the one-time code up."""
    form = EnrolForm(request.POST or None, initial={"code": request.GET.get("kode", "")})
    if request.method == "POST" and form.is_valid():
        try:
            _kiosk, credential = kiosk_enrol(code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            response = redirect("kiosk:home")
            response.set_signed_cookie(
                COOKIE,
                credential,
                salt=_SALT,
                max_age=_TEN_YEARS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
            return response
    return render(request, "kiosks/enrol.html", {"form": form})


def _services(kiosk: Kiosk):
    services = published_services().filter(agency=kiosk.agency)
    return services.filter(pk=kiosk.service_id) if kiosk.service_id else services


@require_GET
@kiosk_required
def home(request, kiosk: Kiosk):
    """A kiosk fixed to one service opens its survey; otherwise the citizen picks the service."""
    services = list(_services(kiosk).order_by("name"))
    if len(services) == 1:
        return redirect("kiosk:survey", code=services[0].code)
    return render(request, "kiosks/kiosk_home.html", {"kiosk": kiosk, "services": services})


@require_http_methods(["GET", "POST"])
@kiosk_required
def survey(request, kiosk: Kiosk, code: str):
    service = get_object_or_404(_services(kiosk), code=code)
    try:
        questionnaire = current_questionnaire()
    except Questionnaire.DoesNotExist:
        return render(request, "kiosks/kiosk_closed.html", {"kiosk": kiosk, "service": service}, status=503)
    if request.method == "GET":
        return _form_page(request, kiosk, service, SurveyForm(questionnaire=questionnaire, service_code=service.code))
    if request.POST.get(HONEYPOT):
        return redirect("kiosk:thanks")
    form = SurveyForm(request.POST, questionnaire=questionnaire, service_code=service.code)
    if form.is_valid():
        try:
            response_submit(
                service=service,
                answers=form.answers(),
                profile=form.profile(),
                channel=Channel.KIOSK,
                kiosk=kiosk,
                assisted=form.was_assisted(),
                suggestion=form.cleaned_data["suggestion"],
                form_token=form.cleaned_data["token"],
                questionnaire=questionnaire,
            )
        except ValidationError as error:
            refusals = getattr(error, "error_dict", {}).get("kiosk", [])
            if any(item.code == "revoked" for item in refusals):
                return render(request, "kiosks/not_a_kiosk.html", status=403)
            form.add_submit_errors(error)
            if refusals:
                page = _form_page(request, kiosk, service, form, status=429)
                page["Retry-After"] = str(max(1, kiosk_wait_seconds(kiosk=kiosk, now=timezone.now())))
                return page
        else:
            return redirect("kiosk:thanks")
    return _form_page(request, kiosk, service, form)


def kiosk_form_after_csrf_failure(request, service: Service, form: SurveyForm):
    """The kiosk's half of the CSRF failure page (``surveys.views_survey.csrf_failure``)."""
    kiosk = current_kiosk(request)
    if kiosk is None or not _services(kiosk).filter(pk=service.pk).exists():
        return render(request, "kiosks/not_a_kiosk.html", status=403)
    return _form_page(request, kiosk, service, form)


@require_GET
@kiosk_required
def thanks(request, kiosk: Kiosk):
    context = {"kiosk": kiosk, "seconds": settings.KIOSK_THANKS_SECONDS, "next_url": reverse("kiosk:home")}
    return render(request, "kiosks/kiosk_thanks.html", context)


def _form_page(request, kiosk: Kiosk, service: Service, form: SurveyForm, status: int = 200):
    context = {
        "kiosk": kiosk,
        "service": service,
        "form": form,
        "reset_url": reverse("kiosk:survey", args=[service.code]),
        "idle_seconds": settings.KIOSK_IDLE_SECONDS,
        "fallback_seconds": settings.KIOSK_IDLE_SECONDS * 5,
        "choose_url": reverse("kiosk:home") if not kiosk.service_id else "",
    }
    return render(request, "kiosks/kiosk_survey.html", context, status=status)
