"""Forms of the coordination pages: an operator's request to the super admin, comments on it,
and the super admin's announcements. They only collect input; evaluations.services decides."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from evaluations.models import RequestCategory, RequestStatus

ACCEPTED_FILES = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"


class RequestForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—"), *RequestCategory.choices])
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What you need, where in SI-PUTRI, and why."),
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPTED_FILES}),
        help_text=_("Optional: a PDF, PNG or JPEG file of at most 5 MB, e.g. a screenshot."),
    )


class CommentForm(forms.Form):
    """A comment on a request; the super admin also sets the request's status here."""

    text = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, with_status: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_status:
            self.fields["status"] = forms.ChoiceField(label=_("Status"), choices=RequestStatus.choices)


class Audience:
    ALL = "all"
    CHOSEN = "chosen"


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}))
    audience = forms.ChoiceField(
        label=_("Send to"),
        choices=[
            (Audience.ALL, _("The operators of all agencies")),
            (Audience.CHOSEN, _("The operators of these agencies:")),
        ],
        initial=Audience.ALL,
        widget=forms.RadioSelect,
    )
    agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies"),
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def text_fields(self) -> list[forms.BoundField]:
        return [self["title"], self["body"]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("audience") == Audience.CHOSEN and not cleaned.get("agencies"):
            self.add_error("agencies", ValidationError(_("Choose at least one agency, or send it to all agencies.")))
        return cleaned

    def chosen_agencies(self) -> list[Agency]:
        """The agencies to address; empty means every agency."""
        if self.cleaned_data["audience"] == Audience.ALL:
            return []
        return list(self.cleaned_data["agencies"])


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: under the field it names when the form
    has one, above the form otherwise."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
