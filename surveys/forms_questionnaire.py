"""Forms of the questionnaire editor: one row per element of the version in use, a few empty
rows for new elements, and the name of the version the edit will make."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME
from django.utils.translation import gettext_lazy as _

from surveys.models import Questionnaire, element_code_validator
from surveys.presets import PRESETS

ANSWER_VALUES = (1, 2, 3, 4)
LANGUAGES = ("id", "en")
EXTRA_ROWS = 3


def element_dicts(questionnaire: Questionnaire | None) -> list[dict[str, Any]]:
    """The elements of ``questionnaire`` in order, in the shape questionnaire_create_version and
    the presets use, so an edit can be compared with what is in use."""
    if questionnaire is None:
        return []
    return [
        {
            "code": element.code,
            "name_id": element.name_id,
            "name_en": element.name_en,
            "question_id": element.question_id,
            "question_en": element.question_en,
            "labels_id": list(element.labels_id),
            "labels_en": list(element.labels_en),
        }
        for element in questionnaire.elements.all()
    ]


def label_field(language: str, value: int) -> str:
    return f"label_{language}_{value}"


class VersionForm(forms.Form):
    name = forms.CharField(label=_("Name of the version"), max_length=200)
    # The version the editor was opened on: its rows line up with that version's elements.
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ElementForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        validators=[element_code_validator],
        help_text=_("Lower-case letters, digits and underscores. It cannot be changed once the element exists."),
    )
    name_id = forms.CharField(
        label=_("Name (Indonesian)"),
        max_length=200,
        help_text=_("The element's name as the regulation words it, e.g. “Waktu Penyelesaian”."),
    )
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    question_id = forms.CharField(
        label=_("Question (Indonesian)"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    question_en = forms.CharField(
        label=_("Question (English)"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = {"id": _("Answer %(value)d (Indonesian)"), "en": _("Answer %(value)d (English)")}
        for language in LANGUAGES:
            for value in ANSWER_VALUES:
                self.fields[label_field(language, value)] = forms.CharField(
                    label=names[language] % {"value": value}, max_length=200
                )
        if self.initial.get("code"):
            # The code is the element's identity across versions (results, CSV, API): fixed.
            self.fields["code"].disabled = True

    @property
    def is_existing(self) -> bool:
        return bool(self.initial.get("code"))

    def editor_fields(self) -> list[forms.BoundField]:
        """Position, removal, the code of a new element, the two names and the two questions, in
        that order."""
        names = [ORDERING_FIELD_NAME, DELETION_FIELD_NAME, "code", "name_id", "name_en", "question_id", "question_en"]
        if self.is_existing:
            names.remove("code")
        return [self[name] for name in names if name in self.fields]

    def label_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        """(value, Indonesian field, English field) for each answer 1–4, for the template."""
        return [(value, self[label_field("id", value)], self[label_field("en", value)]) for value in ANSWER_VALUES]

    def element(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "code": data["code"],
            "name_id": data["name_id"],
            "name_en": data["name_en"],
            "question_id": data["question_id"],
            "question_en": data["question_en"],
            "labels_id": [data[label_field("id", value)] for value in ANSWER_VALUES],
            "labels_en": [data[label_field("en", value)] for value in ANSWER_VALUES],
        }


class BaseElementFormSet(forms.BaseFormSet):
    """The rows of the version in use come from the server, never from the posted counts, so a
    tampered management form cannot re-label or drop an element."""

    def __init__(self, *args: Any, questionnaire: Questionnaire | None, **kwargs: Any) -> None:
        initial = []
        for element in element_dicts(questionnaire):
            row = {key: element[key] for key in ("code", "name_id", "name_en", "question_id", "question_en")}
            for language in LANGUAGES:
                for value, label in zip(ANSWER_VALUES, element[f"labels_{language}"], strict=False):
                    row[label_field(language, value)] = label
            initial.append(row)
        super().__init__(*args, initial=initial, **kwargs)

    def initial_form_count(self) -> int:
        return len(self.initial or [])

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        existing = index is not None and index < self.initial_form_count()
        form.fields[ORDERING_FIELD_NAME] = forms.IntegerField(
            label=_("Position"),
            required=False,
            min_value=1,
            max_value=999,
            initial=index + 1 if existing else None,
            help_text=None if existing else _("Leave empty to add it at the end."),
        )
        if DELETION_FIELD_NAME in form.fields:
            form.fields[DELETION_FIELD_NAME].label = _("Remove this element")

    def _kept_forms(self) -> list[ElementForm]:
        """Kept and new rows by position; empty positions last. At a tie, a row given that
        number (moved or new) goes before the row that already had it."""
        kept = []
        for index, form in enumerate(self.forms):
            if self._should_delete_form(form):
                continue
            if index >= self.initial_form_count() and not form.has_changed():
                continue
            position = form.cleaned_data.get(ORDERING_FIELD_NAME)
            stayed = position == index + 1 and index < self.initial_form_count()
            kept.append(((position is None, position or 0, stayed, index), form))
        return [form for _key, form in sorted(kept, key=lambda item: item[0])]

    def clean(self) -> None:
        if self.total_form_count() < self.initial_form_count():
            raise ValidationError(_("The form is incomplete. Please open the editor again."))
        if any(self.errors):
            return
        taken = {form.initial["code"] for form in self.forms[: self.initial_form_count()]}
        for form in self.forms[self.initial_form_count() :]:
            code = form.cleaned_data.get("code")
            if not code:
                continue
            if code in taken:
                form.add_error("code", _("Another element already uses the code “%(code)s”.") % {"code": code})
            taken.add(code)
        if not self._kept_forms():
            raise ValidationError(_("A questionnaire needs at least one element: keep or add one."))

    def elements(self) -> list[dict[str, Any]]:
        """The kept and new elements in the chosen order (valid formsets only)."""
        return [form.element() for form in self._kept_forms()]


ElementFormSet = forms.formset_factory(
    ElementForm,
    formset=BaseElementFormSet,
    extra=EXTRA_ROWS,
    can_order=True,
    can_delete=True,
    can_delete_extra=False,
)


PRESET_LABELS = {
    "oki": _("Use the OKI preset (10 elements)"),
    "national": _("Use the national preset (9 elements, PermenPANRB 14/2017)"),
}


class PresetForm(forms.Form):
    preset = forms.ChoiceField(label=_("Preset"), choices=[(key, PRESET_LABELS[key]) for key in PRESETS])
