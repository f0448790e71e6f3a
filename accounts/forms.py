from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.login import account_failure, account_wait_seconds
from accounts.models import Role, User
from agencies.models import Agency, nip_validator
from outbox.services import emails_queue


class _RoleAgencyMixin:
    def clean(self):
        cleaned = super().clean()
        role, agency = cleaned.get("role"), cleaned.get("agency")
        if role == Role.OPERATOR and not agency:
            self.add_error("agency", _("An agency operator must belong to an agency."))
        if role and role != Role.OPERATOR and agency:
            self.add_error("agency", _("Only agency operators belong to an agency."))
        return cleaned


class UserCreateForm(_RoleAgencyMixin, forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        error_messages={"invalid": _("Use letters, digits and @ . + - _ only.")},
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    nip = forms.CharField(
        label=_("NIP"), max_length=18, required=False, validators=[nip_validator], help_text=_("18 digits.")
    )
    position = forms.CharField(label=pgettext_lazy("job", "Position"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.filter(is_active=True), required=False)
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=password_validators_help_text_html,
    )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is already taken."))
        return username


class UserEditForm(_RoleAgencyMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "nip", "position", "role", "agency", "is_active"]


class SetPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=password_validators_help_text_html,
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, but the message goes through the outbox (stored, retried) and its
    link is built on SITE_URL, never on the Host header a visitor sent."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        link = settings.SITE_URL.rstrip("/") + reverse(
            "accounts:password_reset_confirm", args=[context["uid"], context["token"]]
        )
        context = {**context, "link": link, "site_name": settings.SITE_NAME}
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        emails_queue(recipients=[to_email], subject=subject, body=body)


class SignInForm(AuthenticationForm):
    """The staff login, slowed for an account that many addresses are guessing at: the password
    is not even tried until the account's wait is over (accounts/login.py)."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        wait = account_wait_seconds(username) if username else 0
        if wait:
            raise forms.ValidationError(
                _(
                    "This account has had many failed sign-ins from several places, so it takes one attempt "
                    "at a time. Wait %(seconds)d seconds and try again."
                ),
                code="account_slowed",
                params={"seconds": wait},
            )
        try:
            return super().clean()
        except forms.ValidationError:
            if username:
                account_failure(username)
            raise
