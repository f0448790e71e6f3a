"""The public satisfaction survey: no login, server-rendered, no script, light enough for a
cheap phone on a slow connection. The client's address is only counted for the limits,
never stored."""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from agencies.models import Agency
from standards.models import Service
from standards.selectors import public_agencies, published_service, published_services
from surveys.contacts import reply_contact_store
from surveys.forms import HONEYPOT, SurveyForm
from surveys.models import Channel, Questionnaire
from surveys.ratelimit import give_device_cookie, submission_failed, submission_gate
from surveys.services import current_questionnaire, response_submit
from surveys.suspicion import public_screen
from surveys.tokens import token_read

SERVICE_PARAMETER = "layanan"


@require_GET
def survey_index(request):
    """Where a citizen starts from the home page: pick the agency that served them."""
    agencies = public_agencies().filter(service_count__gt=0)
    return render(request, "surveys/survey_index.html", {"agencies": agencies})


@require_GET
def agency_survey(request, code: str):
    """The agency's survey link: the citizen first picks the service they received."""
    agency = get_object_or_404(Agency, code=code, is_active=True)
    services = published_services().filter(agency=agency).order_by("name")
    return render(request, "surveys/survey_agency.html", {"agency": agency, "services": services})


@require_http_methods(["GET", "POST"])
def service_survey(request, code: str):
    """The survey of one service. Every answer gives the browser its device cookie; a
    submission goes through the layered limits (``surveys.ratelimit``) and the burst rules
    (``surveys.suspicion``): over the address ceiling the form comes back with 429, a
    suspicious one is stored held and the citizen sees the same thank-you page either way."""
    return give_device_cookie(request, _service_survey(request, code))


def _service_survey(request, code: str):
    service = published_service(code)
    if service is None:
        raise Http404
    try:
        questionnaire = current_questionnaire()
    except Questionnaire.DoesNotExist:
        return render(request, "surveys/survey_closed.html", {"service": service}, status=503)
    if request.method == "GET":
        return _form_page(request, service, SurveyForm(questionnaire=questionnaire, service_code=service.code))

    if request.POST.get(HONEYPOT):
        # A bot filled the field people never see: store nothing, and do not tell it so.
        submission_failed(request)
        return _to_thanks(service)
    form = SurveyForm(request.POST, questionnaire=questionnaire, service_code=service.code)
    gate = submission_gate(request)
    if not gate.allowed:
        return _form_page(request, service, form, status=429)
    if form.is_valid():
        try:
            response = response_submit(
                service=service,
                answers=form.answers(),
                profile=form.profile(),
                channel=Channel.WEB,
                assisted=form.was_assisted(),
                suggestion=form.cleaned_data["suggestion"],
                form_token=form.cleaned_data["token"],
                questionnaire=questionnaire,
                screen=public_screen(request, service=service, gate=gate),
            )
        except ValidationError as error:
            if "form_token" in getattr(error, "error_dict", {}):
                submission_failed(request)
            form.add_submit_errors(error)
        else:
            if contact := form.contact_for_reply():
                reply_contact_store(response=response, contact=contact)
            return _to_thanks(service)
    return _form_page(request, service, form)


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a survey posted with an expired or missing CSRF cookie (a tablet left
    open overnight, a staff sign-in in another tab) comes back as the survey with the answers
    kept and one message, never a bare 403 page; any other form gets the site's own page."""
    match = request.resolver_match
    name = match.view_name if match else ""
    if name in ("survey:service_survey", "kiosk:survey"):
        service = published_services().filter(code=match.kwargs.get("code", "")).first()
        questionnaire = Questionnaire.objects.prefetch_related("elements").filter(is_current=True).first()
        if service is not None and questionnaire is not None:
            form = survey_form_after_csrf_failure(request, service, questionnaire)
            if name == "kiosk:survey":
                from kiosks.views_kiosk import kiosk_form_after_csrf_failure

                return kiosk_form_after_csrf_failure(request, service, form)
            return _form_page(request, service, form)
    return render(request, "403_csrf.html", status=403)


def survey_form_after_csrf_failure(request, service: Service, questionnaire: Questionnaire) -> SurveyForm:
    """The posted survey, unsent, with its answers and a message to send it again; a token
    the server would refuse is replaced at once so the next try goes through."""
    form = SurveyForm(request.POST, questionnaire=questionnaire, service_code=service.code)
    form.is_valid()
    form.add_error(
        None,
        _("The page was open for a long time and could not be sent. Your answers are kept: check them and send again."),
    )
    try:
        token_read(request.POST.get("token"), questionnaire_version=questionnaire.version, service_code=service.code)
    except ValidationError:
        form.renew_token()
    return form


@require_GET
def service_worker(request):
    """The survey's service worker, at the root so that it covers /survei/ and /kios/; a
    template so that it names the static files by their deployed (hashed) names."""
    response = render(request, "surveys/sw.js", content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def thanks(request):
    code = request.GET.get(SERVICE_PARAMETER, "")
    service = published_services().filter(code=code).first() if code else None
    return render(request, "surveys/survey_thanks.html", {"service": service})


def _form_page(request, service: Service, form: SurveyForm, status: int = 200):
    context = {"service": service, "form": form, "rate_limited": status == 429, "offer_reply": True}
    return render(request, "surveys/survey_form.html", context, status=status)


def _to_thanks(service: Service):
    return redirect(f"{reverse('survey:thanks')}?{urlencode({SERVICE_PARAMETER: service.code})}")
