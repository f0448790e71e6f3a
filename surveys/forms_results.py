"""Forms of the staff results pages: the period chooser, the service-user population, and the
answers published to suggestions (checked by ``surveys.answers``, not here)."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agencies.models import Agency
from surveys import periods
from surveys.periods import Period, PeriodError

MAX_POPULATION = 100_000_000


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    """A named period (year, semester, quarter) or, with "custom dates", any date range.

    A chosen named period wins over the dates, so switching from a custom range back to a named
    period works even though the date fields are still filled in.
    """

    period = forms.CharField(label=pgettext_lazy("period", "Period"), required=False, widget=forms.Select)
    start = forms.DateField(label=_("From"), required=False, widget=_DateInput, validators=[periods.validate_day])
    end = forms.DateField(label=_("To"), required=False, widget=_DateInput, validators=[periods.validate_day])

    def __init__(self, *args, years: range, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].widget.choices = [
            ("", _("Custom dates (fill in both dates)")),
            *((period.key, period.label) for period in periods.choices(years)),
        ]

    @classmethod
    def initial_for(cls, period: Period) -> dict:
        if period.kind == "range":
            return {"period": "", "start": period.start, "end": period.end}
        return {"period": period.key}

    def clean(self):
        cleaned = super().clean()
        if "start" in self.errors or "end" in self.errors:
            return cleaned
        key = (cleaned.get("period") or "").strip()
        start, end = cleaned.get("start"), cleaned.get("end")
        try:
            if key:
                cleaned["chosen"] = periods.parse(key)
            elif start and end:
                cleaned["chosen"] = periods.date_range(start, end)
            else:
                self.add_error("end", _("For custom dates, fill in both the start and the end date."))
        except PeriodError as exc:
            self.add_error("period" if key else "end", str(exc))
        return cleaned


class PopulationForm(PeriodForm):
    """How many people used a service (or the whole agency) in a period."""

    field_order = ["service", "period", "start", "end", "population"]

    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=None,
        required=False,
        empty_label=_("Whole agency (all its services)"),
        to_field_name="code",
    )
    population = forms.IntegerField(
        label=_("Number of service users in the period"),
        min_value=1,
        max_value=MAX_POPULATION,
        help_text=_("Everyone who received the service in the period, e.g. from the service register."),
    )

    def __init__(self, *args, agency: Agency, years: range, **kwargs):
        super().__init__(*args, years=years, **kwargs)
        self.fields["service"].queryset = agency.services.order_by("name")
        self.fields["period"].help_text = _("Choose a period, or “Custom dates” and fill in both dates below.")


class SuggestionAnswerForm(forms.Form):
    """The suggestion as it will be published and the agency's answer to it."""

    suggestion = forms.CharField(
        label=_("The suggestion as it will be published"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Everyone can read it. Remove names, addresses and anything else that could identify a person; "
            "phone numbers, email addresses and NIK numbers are refused."
        ),
    )
    answer = forms.CharField(
        label=_("The agency's answer: what it did"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Published with today's date on the agency's public results page."),
    )


class UnpublishForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is taken off the public page"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The agency's operators see this reason."),
    )


def data_years(first: datetime.date | None, last: datetime.date | None, today: datetime.date) -> range:
    """The years the period chooser offers: those with data up to this year, or the last three."""
    newest = max(today.year, last.year if last else today.year)
    oldest = first.year if first else today.year - 2
    oldest = max(periods.MIN_YEAR, min(oldest, today.year - 2))
    return range(oldest, min(newest, periods.MAX_YEAR) + 1)
