"""Writes of "You said, we did": an agency publishes its answer to a suggestion, and an evaluator
may take it down again.

The public sees only what the operator wrote for publication: the suggestion as edited (never
the stored text) and the agency's answer. Both are refused while they contain a phone number,
an email address or a NIK-like number, so nothing personal reaches the public page. Every
change is recorded by the audit log (the model is registered in ``surveys.apps``).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from surveys.models import Response, Status, SuggestionAnswer
from surveys.privacy import personal_data_found
from surveys.services import MAX_SUGGESTION_LENGTH

PUBLISHERS = (Role.SUPER_ADMIN, Role.OPERATOR)
UNPUBLISHERS = (Role.SUPER_ADMIN, Role.EVALUATOR)
MAX_ANSWER_LENGTH = 2000
MAX_REASON_LENGTH = 1000


def _text(value: str, *, field: str, limit: int, personal_check: bool = True) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({field: [_("Please write something here.")]})
    if len(text) > limit:
        raise ValidationError({field: [_("At most %(max)d characters.") % {"max": limit}]})
    if personal_check and (found := personal_data_found(text)):
        raise ValidationError(
            {
                field: [
                    _("This text contains %(found)s. Remove it before publishing: everyone can read this page.")
                    % {"found": ", ".join(found)}
                ]
            }
        )
    return text


def published_answer_of(response: Response) -> SuggestionAnswer | None:
    """The answer to ``response``'s suggestion that is on the public page now, if any."""
    return response.published_answers.filter(unpublished_at__isnull=True).first()


def suggestion_answer_publish(*, response: Response, suggestion: str, answer: str, actor: User) -> SuggestionAnswer:
    """Publish the agency's answer to the suggestion of ``response`` on its public results page,
    dated now, with the suggestion as ``suggestion`` (the operator's edit, free of personal data).

    Only an operator of the response's agency or a super admin may; the suggestion must be an
    accepted response's, not hidden. Publishing again on a suggestion that already has a
    published answer replaces its texts and date (the audit log keeps the earlier ones).
    Raises PermissionDenied for anyone else, ValidationError (keys ``suggestion``, ``answer``,
    or none for the suggestion's state) with a message for the operator.
    """
    agency = response.service.agency
    if not actor.is_active or actor.role not in PUBLISHERS:
        raise PermissionDenied
    if actor.role == Role.OPERATOR and actor.agency_id != agency.pk:
        raise PermissionDenied
    errors = {}
    texts = {}
    for field, value, limit in (
        ("suggestion", suggestion, MAX_SUGGESTION_LENGTH),
        ("answer", answer, MAX_ANSWER_LENGTH),
    ):
        try:
            texts[field] = _text(value, field=field, limit=limit)
        except ValidationError as error:
            errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # One answer per suggestion even when the form is sent twice at once.
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.status != Status.ACCEPTED or not locked.suggestion:
            raise ValidationError(_("Only a suggestion of a counted response can be answered publicly."))
        if locked.suggestion_hidden:
            raise ValidationError(_("This suggestion is hidden. Show it again before answering it publicly."))
        published = published_answer_of(locked) or SuggestionAnswer(agency=agency, response=locked)
        published.suggestion_text = texts["suggestion"]
        published.answer = texts["answer"]
        published.published_at = timezone.now()
        published.published_by = actor
        published.save()
    return published


def suggestion_answer_unpublish(*, answer: SuggestionAnswer, reason: str, actor: User) -> SuggestionAnswer:
    """Take a published answer off the public page, saying why (an evaluator or super admin).
    The answer is kept, with who took it down, when and why; the agency may answer anew.
    Raises PermissionDenied for anyone else, ValidationError (key ``reason``, or none when the
    answer is no longer published)."""
    if not actor.is_active or actor.role not in UNPUBLISHERS:
        raise PermissionDenied
    reason = _text(reason, field="reason", limit=MAX_REASON_LENGTH, personal_check=False)
    with transaction.atomic():
        locked = SuggestionAnswer.objects.select_for_update().get(pk=answer.pk)
        if not locked.is_published:
            raise ValidationError(_("This answer is no longer published."))
        locked.unpublished_at = timezone.now()
        locked.unpublished_by = actor
        locked.unpublish_reason = reason
        locked.save()
    return locked
