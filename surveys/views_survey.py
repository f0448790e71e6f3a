"""The public satisfaction survey: no login, server-rendered, no script, light enough for a
cheap phone on a slow connection. The client's address is only counted for the rate limit,
never stored."""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from agencies.models import Agency
from standards.models import Service
from standards.selectors import public_agencies, published_services
from surveys.contacts import reply_contact_store
from surveys.forms import HONEYPOT, SurveyForm
from surveys.models import Channel, Questionnaire
from surveys.ratelimit import submission_allowed
from surveys.services import current_questionnaire, response_submit

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
    service = get_object_or_404(published_services(), code=code)
    try:
        questionnaire = current_questionnaire()
    except Questionnaire.DoesNotExist:
        return render(request, "surveys/survey_closed.html", {"service": service}, status=503)
    if request.method == "GET":
        return _form_page(request, service, SurveyForm(questionnaire=questionnaire))

    if request.POST.get(HONEYPOT):
        # A bot filled the field people never see: store nothing, and do not tell it so.
        return _to_thanks(service)
    form = SurveyForm(request.POST, questionnaire=questionnaire)
    if not submission_allowed(request):
        return _form_page(request, service, form, status=429)
    if form.is_valid():
        try:
            response = response_submit(
                service=service,
                answers=form.answers(),
                profile=form.profile(),
                channel=Channel.WEB,
                suggestion=form.cleaned_data["suggestion"],
                form_token=form.cleaned_data["token"],
                questionnaire=questionnaire,
            )
        except ValidationError as error:
            form.add_submit_errors(error)
        else:
            if contact := form.contact_for_reply():
                reply_contact_store(response=response, contact=contact)
            return _to_thanks(service)
    return _form_page(request, service, form)


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
