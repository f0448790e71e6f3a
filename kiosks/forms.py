from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from agencies.models import Agency
from standards.models import Service


class KioskForm(forms.Form):
    """Register a kiosk. A super admin picks the agency; an operator's kiosk is always of their
    own agency, and only that agency's published services are offered."""

    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("E.g. the counter it stands at."))
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.none(),
        required=False,
        empty_label=_("— any service of the agency —"),
        help_text=_("Fix the kiosk to one service, or let citizens choose."),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        services = Service.objects.filter(is_published=True, agency__is_active=True).select_related("agency")
        if user.is_operator:
            del self.fields["agency"]
            services = services.filter(agency=user.agency_id)
        else:
            self.fields["agency"].queryset = Agency.objects.filter(is_active=True).order_by("name")
        self.fields["service"].queryset = services.order_by("agency__name", "name")
        self.fields["service"].label_from_instance = lambda service: f"{service.name} ({service.agency.name})"


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Enrolment code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
