"""Staff pages of "You said, we did": an operator of the agency (or a super admin) publishes an
answer to a suggestion, everyone on staff reads the agency's answers, and an evaluator (or a
super admin) takes one off the public page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import CATALOG_EDITORS, can, get_scoped_or_404, staff_required
from agencies.models import Agency
from surveys import answers, selectors
from surveys.forms_results import SuggestionAnswerForm, UnpublishForm
from surveys.models import Response, Status, SuggestionAnswer

ANSWERS_PER_PAGE = 30


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@staff_required(*CATALOG_EDITORS)
@require_http_methods(["GET", "POST"])
def suggestion_answer(request, pk: int):
    response = get_scoped_or_404(
        request.user,
        Response.objects.select_related("service__agency").filter(status=Status.ACCEPTED).exclude(suggestion=""),
        pk=pk,
    )
    agency = response.service.agency
    current = answers.published_answer_of(response)
    if request.method == "POST":
        form = SuggestionAnswerForm(request.POST)
        if form.is_valid():
            try:
                answers.suggestion_answer_publish(
                    response=response,
                    suggestion=form.cleaned_data["suggestion"],
                    answer=form.cleaned_data["answer"],
                    actor=request.user,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The answer is published on the agency's public results page."))
                return redirect("results:suggestion_answers", code=agency.code)
    else:
        initial = (
            {"suggestion": current.suggestion_text, "answer": current.answer}
            if current
            else {"suggestion": response.suggestion}
        )
        form = SuggestionAnswerForm(initial=initial)
    context = {"agency": agency, "response": response, "current": current, "form": form}
    return render(request, "surveys/suggestion_answer.html", context)


@staff_required()
def suggestion_answer_list(request, code: str):
    agency = get_scoped_or_404(request.user, Agency, code=code)
    page = Paginator(selectors.suggestion_answers(agency=agency), ANSWERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "agency": agency,
        "page": page,
        "page_query": "",
        "can_unpublish": can(request.user, answers.UNPUBLISHERS),
        "public_url": reverse("public_results:agency", args=[agency.code]),
    }
    return render(request, "surveys/suggestion_answers.html", context)


@staff_required(*answers.UNPUBLISHERS)
@require_http_methods(["GET", "POST"])
def suggestion_answer_unpublish(request, pk: int):
    answer = get_scoped_or_404(
        request.user, SuggestionAnswer.objects.select_related("agency", "response__service"), pk=pk
    )
    form = UnpublishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            answers.suggestion_answer_unpublish(answer=answer, reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The answer is taken off the public page. It is kept here."))
            return redirect("results:suggestion_answers", code=answer.agency.code)
    return render(request, "surveys/suggestion_answer_unpublish.html", {"answer": answer, "form": form})
