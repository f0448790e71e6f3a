"""Staff pages for paper surveys (the upload and its template) and the QR survey posters."""

import csv
import io

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import CATALOG_EDITORS, get_scoped_or_404, staff_required
from agencies.models import Agency
from documents.http import pdf_response
from standards.models import Service
from surveys.forms_paper import PaperUploadForm
from surveys.models import Education, Gender, Occupation, Questionnaire
from surveys.paper_form import MAX_COPIES, paper_form_issue
from surveys.posters import poster_issue
from surveys.response_import import ResponseImportError, paper_columns, responses_import_file
from surveys.services import current_questionnaire


@staff_required(*CATALOG_EDITORS)
@require_http_methods(["GET", "POST"])
def upload(request):
    try:
        questionnaire = current_questionnaire()
    except Questionnaire.DoesNotExist:
        return _no_questionnaire(request)
    is_post = request.method == "POST"
    form = PaperUploadForm(request.POST if is_post else None, request.FILES if is_post else None)
    errors = []
    if is_post and form.is_valid():
        file = form.cleaned_data["file"]
        agency = request.user.agency if request.user.is_operator else None
        try:
            result = responses_import_file(file=file, filename=file.name, agency=agency, actor=request.user)
        except ResponseImportError as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                ngettext(
                    "Imported %(count)d paper survey response as batch %(batch)d.",
                    "Imported %(count)d paper survey responses as batch %(batch)d.",
                    result.imported,
                )
                % {"count": result.imported, "batch": result.batch.pk},
            )
            for column in result.ignored_columns:
                messages.warning(request, _("Unknown column ignored: %(column)s") % {"column": column})
            return redirect("paper:upload")
    return render(
        request,
        "surveys/paper_upload.html",
        {
            "form": form,
            "errors": errors,
            "bad_rows": len({error.row for error in errors}),
            "questionnaire": questionnaire,
            "elements": questionnaire.elements.all(),
            "genders": Gender.choices,
            "educations": Education.choices,
            "occupations": Occupation.choices,
        },
    )


@staff_required(*CATALOG_EDITORS)
@require_GET
def template(request):
    try:
        codes = [element.code for element in current_questionnaire().elements.all()]
    except Questionnaire.DoesNotExist:
        return _no_questionnaire(request)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(paper_columns(codes))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="survei-kertas.csv"'
    return response


def _no_questionnaire(request) -> HttpResponse:
    messages.error(request, _("No questionnaire is in use, so paper surveys cannot be entered yet."))
    return redirect("questionnaire:list")


@staff_required()
@require_GET
def agency_poster(request, code: str):
    agency = get_scoped_or_404(request.user, Agency, code=code)
    _document, content = poster_issue(agency=agency, service=None, actor=request.user)
    return pdf_response(content, f"poster-{agency.code}.pdf", inline=True)


@staff_required()
@require_GET
def service_poster(request, code: str):
    service = get_scoped_or_404(request.user, Service.objects.select_related("agency"), code=code)
    _document, content = poster_issue(agency=service.agency, service=service, actor=request.user)
    return pdf_response(content, f"poster-{service.code}.pdf", inline=True)


def _copies(request) -> int:
    try:
        copies = int(request.GET.get("jumlah", "1"))
    except ValueError:
        copies = 1
    return min(max(copies, 1), MAX_COPIES)


def _paper_form(request, agency: Agency, service: Service | None, code: str) -> HttpResponse:
    try:
        questionnaire = current_questionnaire()
    except Questionnaire.DoesNotExist:
        return _no_questionnaire(request)
    _document, content, _serials = paper_form_issue(
        questionnaire=questionnaire, agency=agency, service=service, copies=_copies(request), actor=request.user
    )
    return pdf_response(content, f"kuesioner-{code}.pdf", inline=True)


@staff_required()
@require_GET
def agency_paper_form(request, code: str):
    """Blank paper questionnaires of the version in use for an agency (``?jumlah=N`` copies, each
    with its own serial, at most 50)."""
    agency = get_scoped_or_404(request.user, Agency, code=code)
    return _paper_form(request, agency, None, agency.code)


@staff_required()
@require_GET
def service_paper_form(request, code: str):
    """The same for one service: its name is printed on the form."""
    service = get_scoped_or_404(request.user, Service.objects.select_related("agency"), code=code)
    return _paper_form(request, service.agency, service, service.code)
