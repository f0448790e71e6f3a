"""Forms of the recommendation pages: issuing a recommendation with its actions, the follow-up
steps, and the list filters.

They only read and shape what the person typed; the rules of the loop (who may take which step
in which state) live in evaluations.services.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from evaluations.files import checked_upload
from evaluations.models import RecommendationStatus
from evaluations.services import MAX_NOTE
from surveys import periods
from surveys.periods import PeriodError

MAX_ACTION_ROWS = 20
EXTRA_ACTION_ROWS = 3
DEFAULT_DUE_DAYS = 90
EVIDENCE_ACCEPT = "application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class RecommendationForm(forms.Form):
    """Title, findings and due date of a new recommendation, for the period it is based on."""

    period = forms.CharField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=200)
    findings = forms.CharField(
        label=_("Findings"),
        max_length=MAX_NOTE,
        widget=_textarea(6),
        help_text=_("What the results show and why it matters; the agency reads this first."),
    )
    due_date = forms.DateField(
        label=_("Due date"),
        widget=DateInput,
        help_text=_("The date by which the follow-up should be complete."),
        validators=[periods.validate_day],
    )

    @classmethod
    def initial_for(cls, period: periods.Period) -> dict:
        return {"period": period.key, "due_date": timezone.localdate() + datetime.timedelta(days=DEFAULT_DUE_DAYS)}

    def clean_period(self) -> periods.Period:
        try:
            return periods.parse(self.cleaned_data["period"])
        except PeriodError as exc:
            raise ValidationError(str(exc)) from None


class ActionForm(forms.Form):
    """One recommended action: the element it answers and what to do. A row left without text is
    ignored."""

    element_code = forms.ChoiceField(label=_("Element"), required=False)
    text = forms.CharField(label=_("Recommended action"), required=False, max_length=MAX_NOTE, widget=_textarea(2))

    def __init__(self, *args, elements: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["element_code"].choices = [
            ("", _("Not tied to one element")),
            *elements,
        ]


ActionFormSet = forms.formset_factory(
    ActionForm,
    extra=EXTRA_ACTION_ROWS,
    max_num=MAX_ACTION_ROWS,
    absolute_max=MAX_ACTION_ROWS,
    validate_max=True,
)


class PlanForm(forms.Form):
    """The agency's plan (RTL) for one action."""

    activity = forms.CharField(label=_("Programme or activity"), max_length=MAX_NOTE, widget=_textarea(3))
    responsible = forms.CharField(label=_("Person responsible"), max_length=200)
    target_date = forms.DateField(label=_("Target date"), widget=DateInput, validators=[periods.validate_day])


class _EvidenceForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=MAX_NOTE, widget=_textarea(3))
    evidence = forms.FileField(
        label=_("Evidence file (optional)"),
        required=False,
        help_text=_("PDF, PNG or JPEG, at most 5 MB."),
        widget=forms.FileInput(attrs={"accept": EVIDENCE_ACCEPT}),
    )

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            checked_upload(upload)
        return upload or None


class ProgressForm(_EvidenceForm):
    """Progress on a planned action, with an optional evidence file."""


class CompleteForm(_EvidenceForm):
    """The agency reports an action done, with an optional evidence file."""


class VerifyForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=MAX_NOTE, widget=_textarea(2))


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for return"),
        max_length=MAX_NOTE,
        widget=_textarea(3),
        help_text=_("Say what is missing, so the agency knows what to do next."),
    )


class RecommendationFilterForm(forms.Form):
    """Filters of the recommendation list; an operator gets no agency filter (they see their own)."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *RecommendationStatus.choices]
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        required=False,
        queryset=Agency.objects.order_by("name"),
        to_field_name="code",
        empty_label=_("All agencies"),
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, with_agency: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_agency:
            del self.fields["agency"]
