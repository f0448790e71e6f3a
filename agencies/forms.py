from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.logo import MAX_LOGO_BYTES, checked_logo
from agencies.models import Agency, RegencyIdentity, ServicePledge


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = [
            "code",
            "name",
            "kind",
            "address",
            "phone",
            "email",
            "website",
            "opening_hours",
            "head_name",
            "head_nip",
            "head_title",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The code identifies the agency in links and files: fixed once made.
            self.fields["code"].disabled = True


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PledgeForm(forms.ModelForm):
    class Meta:
        model = ServicePledge
        fields = ["text", "signed_by", "adopted_on"]
        widgets = {"text": forms.Textarea(attrs={"rows": 10}), "adopted_on": DateInput}

    def clean_adopted_on(self):
        from surveys.periods import validate_day

        adopted_on = self.cleaned_data.get("adopted_on")
        if adopted_on is not None:
            validate_day(adopted_on)
            if adopted_on > timezone.localdate():
                raise ValidationError(_("The adoption date cannot be in the future."))
        return adopted_on


class RegencyIdentityForm(forms.ModelForm):
    """The regency's identity; the logo is a separate upload field checked by content."""

    logo_upload = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("A PNG image or an SVG drawing of at most %(size)d KB.") % {"size": MAX_LOGO_BYTES // 1024},
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.svg,image/png,image/svg+xml"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = RegencyIdentity
        fields = [
            "name",
            "address",
            "place",
            "phone",
            "email",
            "website",
            "evaluating_office",
            "survey_regulation",
            "letter_number_pattern",
            "letter_nature",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        if upload:
            try:
                checked_logo(upload)
            except ValidationError as error:
                raise ValidationError(error.messages) from None
        return upload
