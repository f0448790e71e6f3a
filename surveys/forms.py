"""The public survey form. It only renders and carries what the citizen typed: every rule lives
in ``response_submit``, whose errors ``add_submit_errors`` puts back by the fields."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from surveys.contacts import contact_validate
from surveys.models import MAX_AGE, MIN_AGE, Education, Gender, Occupation, Questionnaire
from surveys.services import MAX_SUGGESTION_LENGTH
from surveys.tokens import token_issue

PROFILE_FIELDS = ("gender", "age", "education", "occupation")
ANSWER_PREFIX = "q_"
HONEYPOT = "website"


def _select(choices) -> forms.Select:
    return forms.Select(choices=[("", _("— choose —")), *choices])


class SurveyForm(forms.Form):
    """The respondent profile, one radio group per element of ``questionnaire``, a suggestion,
    the one-time token and a honeypot. Fields are plain text so that a wrong value reaches
    ``response_submit`` and gets its message, not a generic one."""

    gender = forms.CharField(label=_("Gender"), required=False, widget=forms.RadioSelect(choices=Gender.choices))
    age = forms.CharField(
        label=_("Age (years)"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": MIN_AGE, "max": MAX_AGE}),
    )
    education = forms.CharField(label=_("Highest education"), required=False, widget=_select(Education.choices))
    occupation = forms.CharField(label=_("Main occupation"), required=False, widget=_select(Occupation.choices))
    suggestion = forms.CharField(
        label=_("Suggestion for this service (optional)"),
        help_text=_("Please write no name, NIK, telephone number or address: staff read what you write."),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_SUGGESTION_LENGTH}),
    )
    reply_contact = forms.CharField(
        label=_("Telephone or email, if you want a reply (optional)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    reply_consent = forms.BooleanField(required=False)
    assisted = forms.BooleanField(label=_("A staff member helped me fill in this survey"), required=False)
    token = forms.CharField(required=False, widget=forms.HiddenInput)
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off", "aria-hidden": "true"}),
    )

    def __init__(self, *args, questionnaire: Questionnaire, service_code: str, **kwargs):
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.fields["reply_consent"].label = ngettext(
            "I agree that this agency's operators may use this contact to reply to my suggestion; "
            "it is kept apart from my answers and deleted after %(days)d day.",
            "I agree that this agency's operators may use this contact to reply to my suggestion; "
            "it is kept apart from my answers and deleted after %(days)d days.",
            settings.REPLY_CONTACT_RETENTION_DAYS,
        ) % {"days": settings.REPLY_CONTACT_RETENTION_DAYS}
        self.questionnaire = questionnaire
        self.service_code = service_code
        self.elements = list(questionnaire.elements.all())
        for element in self.elements:
            self.fields[ANSWER_PREFIX + element.code] = forms.CharField(
                label=element.question, required=False, widget=forms.RadioSelect(choices=element.options)
            )
        if not self.is_bound:
            self.initial["token"] = self.new_token()

    def new_token(self) -> str:
        return token_issue(questionnaire_version=self.questionnaire.version, service_code=self.service_code)

    def profile_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PROFILE_FIELDS]

    def answer_fields(self) -> list[forms.BoundField]:
        return [self[ANSWER_PREFIX + element.code] for element in self.elements]

    def answers(self) -> dict[str, str]:
        return {element.code: self.cleaned_data[ANSWER_PREFIX + element.code] for element in self.elements}

    def profile(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in PROFILE_FIELDS}

    def was_assisted(self) -> bool:
        """Whether the respondent ticked that staff helped them (optional, unticked by default)."""
        return self.cleaned_data.get("assisted", False)

    def clean(self):
        cleaned = super().clean()
        contact = cleaned.get("reply_contact", "").strip()
        if contact:
            try:
                cleaned["reply_contact"] = contact_validate(contact)
            except ValidationError as error:
                self.add_error("reply_contact", error)
            if not cleaned.get("reply_consent"):
                self.add_error("reply_consent", _("Tick the box to agree, or leave the contact empty."))
        return cleaned

    def contact_for_reply(self) -> str:
        """The contact the respondent left with consent, or "" when none."""
        return self.cleaned_data.get("reply_contact", "") if self.cleaned_data.get("reply_consent") else ""

    def add_submit_errors(self, error: ValidationError) -> None:
        """Put each message of ``response_submit``'s error by the field it concerns; errors of
        the whole submission (an expired token, a closed service) go to the top, and a
        refused token is replaced so the next try can succeed."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, messages in error.message_dict.items():
            code = key.removeprefix("answers.")
            if key != code and ANSWER_PREFIX + code in self.fields:
                field = ANSWER_PREFIX + code
            elif key in self.fields and key not in ("token", HONEYPOT):
                field = key
            else:
                field = None
            for message in messages:
                self.add_error(field, message)
        if "form_token" in error.message_dict:
            self.renew_token()

    def renew_token(self) -> None:
        """A fresh token in place of a refused one, the answers left as they were."""
        self.data = self.data.copy()
        self.data["token"] = self.new_token()

    def error_links(self) -> list[tuple[str, str, str]]:
        """(anchor id, field name, message) for the summary at the top, each linking to the
        first input of its field; answers are named by their question number."""
        named = [(bound, bound.label) for bound in self.profile_fields()]
        named += [
            (bound, _("Question %(number)d") % {"number": number})
            for number, bound in enumerate(self.answer_fields(), start=1)
        ]
        named.append((self["suggestion"], _("Suggestion")))
        named += [(self["reply_contact"], _("Contact for a reply")), (self["reply_consent"], _("Consent"))]
        links = []
        for bound, name in named:
            radio = isinstance(bound.field.widget, forms.RadioSelect)
            target = bound.subwidgets[0].id_for_label if radio else bound.id_for_label
            links += [(target, name, message) for message in bound.errors]
        return links
