"""The evaluation loop: recommendations, their follow-up (RTL), requests and announcements.

Every state change goes through one of these functions; each checks the actor's role and the
current state, records a FollowUpEvent (who, when, what) in the same transaction, and tells the
other side by email once the transaction has committed. An illegal step raises ValidationError
with a message for the person who tried it.
"""

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from agencies.letter_numbers import letter_number_format
from agencies.models import Agency
from agencies.selectors import regency_identity
from evaluations import notifications
from evaluations.files import checked_upload, display_name, stored
from evaluations.models import (
    AGENCY_OWES,
    ActionStatus,
    Announcement,
    AnnouncementRead,
    EventKind,
    FollowUpEvent,
    OperatorRequest,
    Recommendation,
    RecommendationAction,
    RecommendationStatus,
    RequestComment,
    RequestStatus,
)
from evaluations.numbering import letter_sequence_next
from surveys.index import round_half_up
from surveys.periods import Period
from surveys.selectors import Scope, results

EVALUATORS = (Role.EVALUATOR, Role.SUPER_ADMIN)
MAX_NOTE = 5000


def _require(actor: User, roles: Iterable[str], agency: Agency | None = None) -> None:
    """Only these roles may take this step; an operator only for their own agency."""
    if not actor.is_active or actor.role not in roles:
        raise PermissionDenied
    if actor.role == Role.OPERATOR and (agency is None or actor.agency_id != agency.pk):
        raise PermissionDenied


def _note(text: str, *, required: bool = False, field: str = "note") -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise ValidationError({field: [_("Please write something here.")]})
    if len(text) > MAX_NOTE:
        raise ValidationError({field: [_("At most %(max)d characters.") % {"max": MAX_NOTE}]})
    return text


def _after_commit(function, *args, **kwargs) -> None:
    transaction.on_commit(lambda: function(*args, **kwargs))


def _mail_after_commit(recipients: Iterable[str], compose, link: str = "") -> None:
    """Once committed, send ``compose()`` → (subject, body), composed in the site's language."""

    def send_now():
        with translation.override(settings.LANGUAGE_CODE):
            subject, body = compose()
            notifications.send_in_site_language(recipients, subject, body, link)

    transaction.on_commit(send_now)


def results_snapshot(*, agency: Agency, period: Period) -> dict[str, Any]:
    """The agency's results for the period, frozen as plain JSON for a recommendation: the
    period's key, the element codes and the figures, never words. Names, questions, the period's
    label and the performance of each grade are worded when shown (``snapshot_elements``), so
    the same recommendation reads in Indonesian to one person and in English to another, and a
    snapshot taken by an evaluator browsing in English never puts English into the letter."""
    found = results(scope=Scope(agency=agency), start=period.start, end=period.end)
    index = found.index

    def shown(value, places):
        return None if value is None else str(round_half_up(value, places))

    return {
        "period": period.key,
        "respondents": index.respondents,
        "index": shown(index.index, 4),
        "score": None if index.score is None else str(index.score),
        "grade": index.grade,
        "elements": [
            {
                "code": element.code,
                "nrr": shown(element.nrr, 3),
                "score": None if element.score is None else str(element.score),
                "grade": element.grade,
            }
            for element in index.elements
        ],
        "national": None
        if index.national is None or index.national.score is None
        else {"score": str(index.national.score), "grade": index.national.grade},
    }


def recommendation_issue(
    *,
    agency: Agency,
    period: Period,
    title: str,
    findings: str,
    actions: Sequence[dict[str, str]],
    due_date: datetime.date,
    actor: User,
) -> Recommendation:
    """Issue a recommendation with its actions to ``agency`` for ``period``, keeping a snapshot
    of the results it was based on and a letter number from the identity's pattern (the
    year's next sequence number, taken in the same transaction), and tell the agency's
    operators."""
    _require(actor, EVALUATORS)
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("Please give the recommendation a title.")]
    elif len(title) > 200:
        errors["title"] = [_("At most %(max)d characters.") % {"max": 200}]
    try:
        findings = _note(findings, required=True, field="findings")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    cleaned = []
    for item in actions:
        text = (item.get("text") or "").strip()
        if text:
            cleaned.append({"element_code": (item.get("element_code") or "").strip(), "text": text[:MAX_NOTE]})
    if not cleaned:
        errors["actions"] = [_("Give at least one recommended action.")]
    if due_date is None:
        errors["due_date"] = [_("Give a due date.")]
    elif due_date < timezone.localdate():
        errors["due_date"] = [_("The due date is in the past.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        today = timezone.localdate()
        sequence = letter_sequence_next(year=today.year)
        pattern = regency_identity().letter_number_pattern
        recommendation = Recommendation.objects.create(
            letter_year=today.year,
            letter_sequence=sequence,
            letter_number=letter_number_format(pattern, seq=sequence, day=today, agency_code=agency.code),
            agency=agency,
            period_key=period.key,
            period_start=period.start,
            period_end=period.end,
            title=title,
            findings=findings,
            due_date=due_date,
            snapshot=results_snapshot(agency=agency, period=period),
            issued_by=actor,
        )
        RecommendationAction.objects.bulk_create(
            RecommendationAction(recommendation=recommendation, position=number, **item)
            for number, item in enumerate(cleaned, start=1)
        )
        FollowUpEvent.objects.create(recommendation=recommendation, kind=EventKind.ISSUED, actor=actor)
    _after_commit(
        notifications.notify,
        recommendation,
        notifications.operators_of(agency),
        gettext_lazy("New recommendation"),
        findings,
    )
    return recommendation


def recommendation_acknowledge(*, recommendation: Recommendation, actor: User) -> Recommendation:
    """The agency's operator confirms they have read the recommendation."""
    _require(actor, (Role.OPERATOR, Role.SUPER_ADMIN), recommendation.agency)
    with transaction.atomic():
        recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if recommendation.status != RecommendationStatus.ISSUED:
            raise ValidationError(_("This recommendation has already been acknowledged."))
        recommendation.status = RecommendationStatus.ACKNOWLEDGED
        recommendation.acknowledged_by = actor
        recommendation.acknowledged_at = timezone.now()
        recommendation.save()
        FollowUpEvent.objects.create(recommendation=recommendation, kind=EventKind.ACKNOWLEDGED, actor=actor)
    _after_commit(
        notifications.notify,
        recommendation,
        [recommendation.issued_by.email],
        gettext_lazy("Recommendation acknowledged"),
    )
    return recommendation


def _locked_action(action: RecommendationAction) -> RecommendationAction:
    return RecommendationAction.objects.select_for_update().select_related("recommendation").get(pk=action.pk)


def _refresh_status(recommendation: Recommendation) -> None:
    """Derive the recommendation's status from its actions after a step."""
    statuses = set(recommendation.actions.values_list("status", flat=True))
    if statuses == {ActionStatus.VERIFIED}:
        status = RecommendationStatus.VERIFIED
    elif statuses <= {ActionStatus.COMPLETED, ActionStatus.VERIFIED}:
        status = RecommendationStatus.COMPLETED
    elif statuses - {ActionStatus.OPEN}:
        status = RecommendationStatus.IN_PROGRESS
    else:
        status = RecommendationStatus.ACKNOWLEDGED
    if recommendation.status != status:
        recommendation.status = status
        recommendation.save(update_fields=["status", "updated_at"])


def _operator_step(
    action: RecommendationAction, actor: User, allowed: Iterable[str], message: str
) -> RecommendationAction:
    _require(actor, (Role.OPERATOR, Role.SUPER_ADMIN), action.recommendation.agency)
    locked = _locked_action(action)
    if locked.recommendation.status == RecommendationStatus.ISSUED:
        raise ValidationError(_("Acknowledge the recommendation first."))
    if locked.status not in allowed:
        raise ValidationError(message)
    return locked


def _checked_evidence(evidence: UploadedFile | None) -> None:
    if evidence is not None:
        try:
            checked_upload(evidence)
        except ValidationError as exc:
            raise ValidationError({"evidence": exc.messages}) from None


def _event(action: RecommendationAction, kind: str, actor: User, note: str = "", evidence: UploadedFile | None = None):
    event = FollowUpEvent(recommendation=action.recommendation, action=action, kind=kind, actor=actor, note=note)
    if evidence is not None:
        event.evidence_type = checked_upload(evidence)
        event.evidence_name = display_name(evidence.name)
        stored(event.evidence, evidence, event.evidence_type, form_field="evidence")
    event.save()
    return event


def action_plan(
    *, action: RecommendationAction, activity: str, responsible: str, target_date: datetime.date, actor: User
) -> RecommendationAction:
    """Set (or revise) the agency's plan for an action: programme or activity, who, by when."""
    errors: dict[str, list[str]] = {}
    activity = (activity or "").strip()
    responsible = (responsible or "").strip()
    if not activity:
        errors["activity"] = [_("Describe the programme or activity.")]
    elif len(activity) > MAX_NOTE:
        errors["activity"] = [_("At most %(max)d characters.") % {"max": MAX_NOTE}]
    if not responsible:
        errors["responsible"] = [_("Name the person responsible.")]
    elif len(responsible) > 200:
        errors["responsible"] = [_("At most %(max)d characters.") % {"max": 200}]
    if target_date is None:
        errors["target_date"] = [_("Give a target date.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        action = _operator_step(
            action,
            actor,
            (ActionStatus.OPEN, ActionStatus.PLANNED, ActionStatus.RETURNED),
            _("This action is reported complete; its plan can no longer change."),
        )
        action.plan_activity = activity
        action.plan_responsible = responsible
        action.plan_target_date = target_date
        action.status = ActionStatus.PLANNED
        action.save()
        _event(action, EventKind.PLANNED, actor)
        _refresh_status(action.recommendation)
    return action


def action_progress(
    *, action: RecommendationAction, note: str, evidence: UploadedFile | None, actor: User
) -> FollowUpEvent:
    """Report progress on a planned action, with an optional evidence file."""
    note = _note(note, required=True)
    _checked_evidence(evidence)
    with transaction.atomic():
        action = _operator_step(
            action,
            actor,
            (ActionStatus.PLANNED, ActionStatus.RETURNED),
            _("Set a plan before reporting progress; completed actions take no more progress."),
        )
        if action.status == ActionStatus.RETURNED:
            action.status = ActionStatus.PLANNED
            action.save(update_fields=["status", "updated_at"])
        event = _event(action, EventKind.PROGRESS, actor, note, evidence)
        _refresh_status(action.recommendation)
    return event


def action_complete(
    *, action: RecommendationAction, note: str, evidence: UploadedFile | None, actor: User
) -> RecommendationAction:
    """Report an action done; the evaluators are told and verify it or return it."""
    note = _note(note, required=True)
    _checked_evidence(evidence)
    with transaction.atomic():
        action = _operator_step(
            action,
            actor,
            (ActionStatus.PLANNED, ActionStatus.RETURNED),
            _("Only a planned or returned action can be reported complete."),
        )
        action.status = ActionStatus.COMPLETED
        action.save()
        _event(action, EventKind.COMPLETED, actor, note, evidence)
        _refresh_status(action.recommendation)
    _after_commit(
        notifications.notify,
        action.recommendation,
        [action.recommendation.issued_by.email, *notifications.evaluators()],
        gettext_lazy("Follow-up reported complete"),
        f"{action.text}\n\n{note}",
    )
    return action


def _evaluator_step(action: RecommendationAction, actor: User) -> RecommendationAction:
    _require(actor, EVALUATORS)
    locked = _locked_action(action)
    if locked.status != ActionStatus.COMPLETED:
        raise ValidationError(_("Only an action reported complete can be verified or returned."))
    return locked


def action_verify(*, action: RecommendationAction, actor: User, note: str = "") -> RecommendationAction:
    """The evaluator confirms the follow-up of an action."""
    note = _note(note)
    with transaction.atomic():
        action = _evaluator_step(action, actor)
        action.status = ActionStatus.VERIFIED
        action.return_reason = ""
        action.save()
        _event(action, EventKind.VERIFIED, actor, note)
        _refresh_status(action.recommendation)
    _after_commit(
        notifications.notify,
        action.recommendation,
        notifications.operators_of(action.recommendation.agency),
        gettext_lazy("Follow-up verified"),
        action.text,
    )
    return action


def action_return(*, action: RecommendationAction, reason: str, actor: User) -> RecommendationAction:
    """The evaluator sends an action back to the agency, saying why."""
    reason = _note(reason, required=True, field="reason")
    with transaction.atomic():
        action = _evaluator_step(action, actor)
        action.status = ActionStatus.RETURNED
        action.return_reason = reason
        action.save()
        _event(action, EventKind.RETURNED, actor, reason)
        _refresh_status(action.recommendation)
    _after_commit(
        notifications.notify,
        action.recommendation,
        notifications.operators_of(action.recommendation.agency),
        gettext_lazy("Follow-up returned"),
        f"{action.text}\n\n{reason}",
    )
    return action


def reminders_send(*, today: datetime.date | None = None, within_days: int = 7) -> int:
    """Email each agency's operators about its open recommendations due within ``within_days``
    days or already overdue. Returns the number of messages sent."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=within_days)
    due = (
        Recommendation.objects.filter(status__in=AGENCY_OWES, due_date__lte=horizon)
        .select_related("agency")
        .order_by("agency__name", "due_date")
    )
    sent = 0
    for recommendation in due:
        overdue = recommendation.due_date < today
        what = gettext_lazy("Overdue recommendation") if overdue else gettext_lazy("Recommendation due soon")
        recipients = notifications.operators_of(recommendation.agency)
        if overdue and recommendation.issued_by.is_active:
            recipients.append(recommendation.issued_by.email)
        sent += notifications.notify(recommendation, [r for r in recipients if r], what)
    return sent


def request_create(
    *, actor: User, category: str, subject: str, description: str, attachment: UploadedFile | None = None
) -> OperatorRequest:
    """An operator asks the super admin for a feature, a fix or a correction."""
    _require(actor, (Role.OPERATOR,), actor.agency)
    request = OperatorRequest(
        agency=actor.agency,
        created_by=actor,
        category=category,
        subject=(subject or "").strip(),
        description=_note(description, required=True, field="description"),
    )
    if attachment is not None:
        try:
            request.attachment_type = checked_upload(attachment)
        except ValidationError as exc:
            raise ValidationError({"attachment": exc.messages}) from None
        request.attachment_name = display_name(attachment.name)
    request.full_clean(exclude=["attachment"])
    with transaction.atomic():
        if attachment is not None:
            stored(request.attachment, attachment, request.attachment_type, form_field="attachment")
        request.save()
    admins = User.objects.filter(role=Role.SUPER_ADMIN, is_active=True).exclude(email="")
    _mail_after_commit(
        list(admins.values_list("email", flat=True)),
        lambda: (
            _("New request from %(agency)s: %(subject)s") % {"agency": actor.agency.name, "subject": request.subject},
            request.description,
        ),
        notifications.absolute_url("coordination:request_detail", request.pk),
    )
    return request


def request_comment(
    *, request: OperatorRequest, actor: User, text: str, status: str | None = None
) -> RequestComment | None:
    """Add a comment to a request (its operator or the super admin) and, for the super admin,
    set its status."""
    _require(actor, (Role.OPERATOR, Role.SUPER_ADMIN), request.agency)
    text = _note(text, required=status is None, field="text")
    if status is not None and actor.role != Role.SUPER_ADMIN:
        raise PermissionDenied
    if status is not None and status not in RequestStatus.values:
        raise ValidationError({"status": [_("Choose one of the listed options.")]})
    comment = None
    with transaction.atomic():
        if text:
            comment = RequestComment.objects.create(request=request, author=actor, text=text)
        if status is not None and status != request.status:
            request.status = status
            request.save(update_fields=["status", "updated_at"])
    params = {"agency": request.agency.name, "subject": request.subject}
    if actor.role == Role.SUPER_ADMIN:
        recipients = [request.created_by.email] if request.created_by.email else []

        def subject():
            return _("Reply to your request: %(subject)s") % params
    else:
        admins = User.objects.filter(role=Role.SUPER_ADMIN, is_active=True).exclude(email="")
        recipients = list(admins.values_list("email", flat=True))

        def subject():
            return _("New comment on a request from %(agency)s: %(subject)s") % params

    _mail_after_commit(
        recipients,
        lambda: (subject(), "\n\n".join(str(part) for part in (request.get_status_display(), text) if part)),
        notifications.absolute_url("coordination:request_detail", request.pk),
    )
    return comment


def announcement_publish(*, actor: User, title: str, body: str, agencies: Sequence[Agency] = ()) -> Announcement:
    """Post an announcement to every operator, or to the operators of ``agencies``, and email it."""
    _require(actor, (Role.SUPER_ADMIN,))
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise ValidationError({"title": [_("Give a title of at most 200 characters.")]})
    body = _note(body, required=True, field="body")
    with transaction.atomic():
        announcement = Announcement.objects.create(title=title, body=body, all_agencies=not agencies, created_by=actor)
        if agencies:
            announcement.agencies.set(agencies)
    operators = User.objects.filter(role=Role.OPERATOR, is_active=True).exclude(email="")
    if agencies:
        operators = operators.filter(agency__in=agencies)
    _mail_after_commit(
        list(operators.values_list("email", flat=True)),
        lambda: (title, body),
        notifications.absolute_url("coordination:announcement_detail", announcement.pk),
    )
    return announcement


def announcement_mark_read(*, announcement: Announcement, actor: User) -> None:
    AnnouncementRead.objects.get_or_create(announcement=announcement, user=actor)
