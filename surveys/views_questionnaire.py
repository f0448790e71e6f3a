"""Staff pages for the questionnaire: every version for all staff to read, the editor and the
presets for the super admin. An edit never changes a version; it makes a new one."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import ADMINS, can, staff_required
from surveys.forms_questionnaire import PRESET_LABELS, ElementFormSet, PresetForm, VersionForm, element_dicts
from surveys.models import Questionnaire
from surveys.presets import PRESETS
from surveys.services import questionnaire_create_version, questionnaire_from_preset


def _current() -> Questionnaire | None:
    return Questionnaire.objects.filter(is_current=True).prefetch_related("elements").first()


def _with_labels(questionnaire: Questionnaire | None) -> list[tuple[Any, list[tuple[int, str, str]]]]:
    """Each element with its answers as (value, Indonesian label, English label) rows."""
    if questionnaire is None:
        return []
    return [
        (element, list(zip(range(1, 5), element.labels_id, element.labels_en, strict=False)))
        for element in questionnaire.elements.all()
    ]


def _unchanged(current: Questionnaire | None, name: str, elements: list[dict[str, Any]]) -> bool:
    return current is not None and current.name == name and element_dicts(current) == elements


@staff_required()
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    versions = list(
        Questionnaire.objects.annotate(response_count=Count("responses"))
        .select_related("created_by")
        .order_by("-version")
    )
    current = next((version for version in versions if version.is_current), None)
    if current is not None:
        prefetch_related_objects([current], "elements")
    return render(
        request,
        "surveys/questionnaire_list.html",
        {
            "current": current,
            "elements": _with_labels(current),
            "earlier": [version for version in versions if not version.is_current],
            "can_edit": can(request.user, ADMINS),
            "presets": list(PRESET_LABELS.items()),
        },
    )


@staff_required()
def questionnaire_detail(request: HttpRequest, version: int) -> HttpResponse:
    questionnaire = get_object_or_404(
        Questionnaire.objects.annotate(response_count=Count("responses"))
        .select_related("created_by")
        .prefetch_related("elements"),
        version=version,
    )
    return render(
        request,
        "surveys/questionnaire_detail.html",
        {"questionnaire": questionnaire, "elements": _with_labels(questionnaire)},
    )


@staff_required(*ADMINS)
@require_http_methods(["GET", "POST"])
def questionnaire_edit(request: HttpRequest) -> HttpResponse:
    current = _current()
    current_version = current.version if current is not None else None
    data = request.POST if request.method == "POST" else None
    version_form = VersionForm(
        data, prefix="version", initial={"name": current.name if current else "", "based_on": current_version}
    )
    formset = ElementFormSet(data, questionnaire=current, prefix="element")
    if request.method == "POST":
        version_valid = version_form.is_valid()
        if version_form.cleaned_data.get("based_on") != current_version:
            messages.warning(
                request,
                _(
                    "A new version was put in use while you were editing. "
                    "This is the version in use now: please make your changes again."
                ),
            )
            return redirect("questionnaire:edit")
        if version_valid and formset.is_valid():
            name, elements = version_form.cleaned_data["name"], formset.elements()
            if _unchanged(current, name, elements):
                messages.info(request, _("No changes."))
                return redirect("questionnaire:list")
            try:
                questionnaire = questionnaire_create_version(name=name, elements=elements, actor=request.user)
            except ValidationError as exc:
                version_form.add_error(None, exc)
            else:
                messages.success(
                    request, _("Version %(version)d saved and now in use.") % {"version": questionnaire.version}
                )
                return redirect("questionnaire:list")
    return render(
        request,
        "surveys/questionnaire_edit.html",
        {"current": current, "version_form": version_form, "formset": formset},
    )


@staff_required(*ADMINS)
@require_POST
def questionnaire_preset(request: HttpRequest) -> HttpResponse:
    form = PresetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the listed presets."))
        return redirect("questionnaire:list")
    name, elements = PRESETS[form.cleaned_data["preset"]]
    if _unchanged(_current(), name, list(elements)):
        messages.info(request, _("No changes."))
        return redirect("questionnaire:list")
    questionnaire = questionnaire_from_preset(preset=form.cleaned_data["preset"], actor=request.user)
    messages.success(request, _("Version %(version)d saved and now in use.") % {"version": questionnaire.version})
    return redirect("questionnaire:list")
