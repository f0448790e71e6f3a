"""Writes of the survey: responses (with their tallies), questionnaire versions, populations
and the moderation of suggestions."""

import datetime
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from agencies.models import Agency
from kiosks.models import Kiosk
from kiosks.services import kiosk_count_submission
from standards.models import Service
from surveys.models import (
    MAX_AGE,
    MIN_AGE,
    Channel,
    Education,
    Element,
    Gender,
    Occupation,
    PaperBatch,
    Questionnaire,
    Response,
    SamplePopulation,
    Status,
)
from surveys.presets import PRESETS
from surveys.privacy import mask_personal_data
from surveys.stamps import CATALOG, memo, stamp
from surveys.tallies import tallies_add
from surveys.tokens import token_read, token_refused_as_stale

MAX_SUGGESTION_LENGTH = 2000


@dataclass(frozen=True)
class Profile:
    gender: str
    age: int
    education: str
    occupation: str


def current_questionnaire() -> Questionnaire:
    """The questionnaire version new responses answer (with its elements), read once per
    process and again only after a questionnaire, service or agency changed (one query for
    the stamp instead of two). Raises Questionnaire.DoesNotExist when none is in use."""
    return memo(
        "current_questionnaire",
        stamp(CATALOG),
        lambda: Questionnaire.objects.prefetch_related("elements").get(is_current=True),
    )


UNANSWERED = ("", "0", "-")
"""What a paper file writes for an element the respondent left blank."""


def response_validate(
    *,
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    profile: Mapping[str, Any],
    suggestion: Any = "",
    allow_unanswered: bool = False,
) -> tuple[dict[str, int], Profile, str]:
    """Check a submission against the questionnaire and the allowed profile values.

    Returns the cleaned answers, profile and suggestion, or raises ValidationError whose keys
    are ``gender``, ``age``, ``education``, ``occupation``, ``suggestion`` and ``answers.<code>``
    (``answers`` for codes the questionnaire does not have), each with a message a citizen
    understands. Every element must be answered, except with ``allow_unanswered`` (paper
    forms), where a blank, ``0`` or ``-`` leaves the element out of the answers and only a
    form with no answer at all is refused.
    """
    errors: dict[str, list[str]] = {}
    choices = {"gender": Gender.values, "education": Education.values, "occupation": Occupation.values}
    cleaned_profile: dict[str, Any] = {}
    for field, allowed in choices.items():
        value = profile.get(field)
        if value in (None, ""):
            errors[field] = [_("Please choose one.")]
        elif not isinstance(value, str) or value not in allowed:
            errors[field] = [_("Choose one of the listed options.")]
        else:
            cleaned_profile[field] = value
    age = profile.get("age")
    age_number: int | None = None
    if age in (None, ""):
        errors["age"] = [_("Please fill in your age.")]
    elif isinstance(age, bool) or (isinstance(age, float) and not age.is_integer()):
        errors["age"] = [_("Age must be a whole number of years.")]
    else:
        try:
            age_number = int(age) if isinstance(age, float) else int(str(age).strip())
        except ValueError:
            errors["age"] = [_("Age must be a whole number of years.")]
    if age_number is not None:
        if MIN_AGE <= age_number <= MAX_AGE:
            cleaned_profile["age"] = age_number
        else:
            errors["age"] = [_("Age must be between %(min)d and %(max)d years.") % {"min": MIN_AGE, "max": MAX_AGE}]

    if not isinstance(answers, Mapping):
        answers = {}
        errors["answers"] = [_("Answers must be given per element.")]
    codes = [element.code for element in questionnaire.elements.all()]
    cleaned_answers: dict[str, int] = {}
    for code in codes:
        value = answers.get(code)
        if allow_unanswered and (value is None or str(value).strip() in UNANSWERED):
            continue
        if value in (None, ""):
            errors[f"answers.{code}"] = [_("Please choose an answer.")]
            continue
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            errors[f"answers.{code}"] = [_("Choose an answer from 1 to 4.")]
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if number not in (1, 2, 3, 4):
            errors[f"answers.{code}"] = [_("Choose an answer from 1 to 4.")]
        else:
            cleaned_answers[code] = number
    if allow_unanswered and not cleaned_answers and not any(key.startswith("answers.") for key in errors):
        errors["answers"] = [_("No element is answered.")]
    unknown = sorted(str(code) for code in answers if code not in codes)
    if unknown:
        errors.setdefault("answers", []).append(_("Unknown elements: %(codes)s.") % {"codes": ", ".join(unknown)})

    if suggestion is None:
        suggestion = ""
    if not isinstance(suggestion, str):
        errors["suggestion"] = [_("The suggestion must be text.")]
        suggestion = ""
    suggestion = suggestion.replace("\r\n", "\n").strip()
    if "\x00" in suggestion:
        errors["suggestion"] = [_("The suggestion contains characters that are not allowed.")]
        suggestion = ""
    if len(suggestion) > MAX_SUGGESTION_LENGTH:
        errors["suggestion"] = [
            _("The suggestion may be at most %(max)d characters long.") % {"max": MAX_SUGGESTION_LENGTH}
        ]
    if errors:
        raise ValidationError(errors)
    # Personal data is masked here, on the one path every submission takes (web, kiosk, paper).
    return cleaned_answers, Profile(**cleaned_profile), mask_personal_data(suggestion)


def response_submit(
    *,
    service: Service,
    answers: Mapping[str, Any],
    profile: Mapping[str, Any],
    channel: str,
    suggestion: Any = "",
    form_token: str | None = None,
    day: datetime.date | None = None,
    questionnaire: Questionnaire | None = None,
    hold_rule: str = "",
    screen: Callable[[dict[str, int]], str] | None = None,
    kiosk: Kiosk | None = None,
    assisted: bool = False,
) -> Response:
    """Validate and store one response and count it into the tallies, in one transaction.

    ``form_token`` (issued by ``surveys.tokens.token_issue``) makes a submission idempotent:
    the same token again returns the response it first stored (a double tap, a resubmitted
    page, an offline copy sent twice) instead of storing a second one; the returned response's
    ``is_repeat`` says which. A token the server did not sign, of another form, or expired is
    refused (key ``form_token``) and nothing is stored. ``day``
    is for paper surveys; otherwise the server's date in Asia/Jakarta is used. ``kiosk`` (with
    the channel ``kiosk``) counts the response against that kiosk and its minimum interval; a
    kiosk serves its own agency only. With ``hold_rule`` (the suspicion rule that matched) the
    response is stored held for review and not counted until an evaluator accepts it;
    ``screen``, when given, is asked with the cleaned answers of a new (not repeated)
    submission for such a rule (the public limits and burst rules, ``surveys.suspicion``).
    ``assisted`` records that staff helped the respondent fill the survey in; it is counted in
    the ``assisted`` profile tallies like the channel.
    """
    if not service.is_published or not service.agency.is_active:
        raise ValidationError({"service": [_("This service does not take survey responses.")]})
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if (kiosk is not None) != (channel == Channel.KIOSK):
        raise ValueError("the kiosk channel and a kiosk go together")
    if kiosk is not None and (kiosk.agency_id != service.agency_id or kiosk.service_id not in (None, service.pk)):
        raise ValidationError({"service": [_("This kiosk does not take responses for this service.")]})
    questionnaire = questionnaire or current_questionnaire()
    token = None
    token_error = None
    if form_token is not None:
        try:
            token = token_read(form_token, questionnaire_version=questionnaire.version, service_code=service.code)
        except ValidationError as error:
            token_error = error
    try:
        cleaned_answers, cleaned_profile, cleaned_suggestion = response_validate(
            questionnaire=questionnaire, answers=answers, profile=profile, suggestion=suggestion
        )
    except ValidationError as error:
        if token_error is not None:
            error.error_dict.update(token_error.error_dict)
        raise
    if token_error is not None:
        raise token_error
    if token is not None:
        existing = Response.objects.filter(form_token=token.nonce).first()
        if existing is not None:
            existing.is_repeat = True
            return existing
        if not token.fresh:
            raise token_refused_as_stale()
    if screen is not None and not hold_rule:
        hold_rule = screen(cleaned_answers)
    now = timezone.now()
    response = Response(
        service=service,
        questionnaire=questionnaire,
        submitted_at=now,
        day=day or timezone.localdate(now),
        channel=channel,
        gender=cleaned_profile.gender,
        age=cleaned_profile.age,
        education=cleaned_profile.education,
        occupation=cleaned_profile.occupation,
        answers=cleaned_answers,
        suggestion=cleaned_suggestion,
        form_token=token.nonce if token else None,
        status=Status.HELD if hold_rule else Status.ACCEPTED,
        held_rule=hold_rule,
        status_changed_at=now if hold_rule else None,
        kiosk=kiosk,
        assisted=bool(assisted),
    )
    try:
        with transaction.atomic():
            if kiosk is not None:
                kiosk_count_submission(kiosk=kiosk, now=now)
            response.save()
            if response.status == Status.ACCEPTED:
                tallies_add([response])
    except IntegrityError:
        if token and (existing := Response.objects.filter(form_token=token.nonce).first()):
            existing.is_repeat = True
            return existing  # the same form, submitted twice at the same moment
        raise
    response.is_repeat = False
    return response


@dataclass(frozen=True)
class PaperRow:
    """One checked row of a paper file, ready to store."""

    service: Service
    questionnaire: Questionnaire
    answers: dict[str, int]
    profile: Profile
    suggestion: str
    day: datetime.date
    form_serial: str | None = None
    assisted: bool = False


class BatchAlreadyImported(Exception):
    """The same file content was stored as ``batch`` before."""

    def __init__(self, batch: PaperBatch):
        super().__init__(f"already imported as batch {batch.pk}")
        self.batch = batch


def paper_batch_for_content(sha256: str) -> PaperBatch | None:
    """The earlier batch of a file with this content hash, if any."""
    return PaperBatch.objects.filter(sha256=sha256).first()


def responses_import(
    *,
    rows: Sequence[PaperRow],
    filename: str,
    sha256: str,
    actor: User | None = None,
    agency: Agency | None = None,
) -> PaperBatch:
    """Store already-validated paper responses as one batch, all or none, with their tallies,
    and record in the audit log who entered how many responses for which service.

    Raises BatchAlreadyImported when a file with the same content hash was imported before
    (also when two imports of it race), and stores nothing then."""
    now = timezone.now()
    per_service = Counter(row.service for row in rows)
    try:
        with transaction.atomic():
            batch = PaperBatch.objects.create(
                created_at=now, created_by=actor, agency=agency, filename=filename[:255], sha256=sha256, rows=len(rows)
            )
            responses = [
                Response(
                    service=row.service,
                    questionnaire=row.questionnaire,
                    submitted_at=now,
                    day=row.day,
                    channel=Channel.PAPER,
                    gender=row.profile.gender,
                    age=row.profile.age,
                    education=row.profile.education,
                    occupation=row.profile.occupation,
                    answers=row.answers,
                    suggestion=row.suggestion,
                    batch=batch,
                    form_serial=row.form_serial,
                    assisted=row.assisted,
                )
                for row in rows
            ]
            Response.objects.bulk_create(responses, batch_size=500)
            tallies_add(responses)
            for service, count in per_service.items():
                LogEntry.objects.log_create(
                    service,
                    action=LogEntry.Action.UPDATE,
                    changes={"paper_responses": ["", str(count)], "batch": ["", str(batch.pk)]},
                    actor=actor,
                    force_log=True,
                )
    except IntegrityError:
        earlier = paper_batch_for_content(sha256)
        if earlier is not None:
            raise BatchAlreadyImported(earlier) from None
        raise
    return batch


def questionnaire_create_version(
    *, name: str, elements: Sequence[Mapping[str, Any]], actor: User | None
) -> Questionnaire:
    """Make a new questionnaire version from ``elements`` (dicts with code, name_id, name_en,
    question_id, question_en, labels_id, labels_en) and put it in use. Earlier versions stay as they were,
    so every response keeps the meaning it was given."""
    errors = []
    codes = [element["code"] for element in elements]
    if not elements:
        errors.append(_("A questionnaire needs at least one element."))
    if len(set(codes)) != len(codes):
        errors.append(_("Each element code may appear only once."))
    for element in elements:
        if not all(str(element.get(key) or "").strip() for key in ("name_id", "name_en")):
            errors.append(
                _("Element “%(code)s” needs a name in Indonesian and in English.") % {"code": element.get("code")}
            )
        for key in ("labels_id", "labels_en"):
            labels = element.get(key) or []
            if len(labels) != 4 or not all(isinstance(label, str) and label.strip() for label in labels):
                errors.append(_("Element “%(code)s” needs four answer labels.") % {"code": element.get("code")})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for previous in Questionnaire.objects.select_for_update().filter(is_current=True):
            previous.is_current = False
            previous.save(update_fields=["is_current"])  # a save, so the audit log records it
        last = Questionnaire.objects.aggregate(last=Max("version"))["last"] or 0
        questionnaire = Questionnaire.objects.create(version=last + 1, name=name, is_current=True, created_by=actor)
        for position, element in enumerate(elements, start=1):
            item = Element(
                questionnaire=questionnaire,
                position=position,
                code=element["code"],
                name_id=element["name_id"].strip(),
                name_en=element["name_en"].strip(),
                question_id=element["question_id"].strip(),
                question_en=element["question_en"].strip(),
                labels_id=[label.strip() for label in element["labels_id"]],
                labels_en=[label.strip() for label in element["labels_en"]],
            )
            item.full_clean(exclude=["questionnaire"])
            item.save()
    return questionnaire


def questionnaire_from_preset(*, preset: str, actor: User | None) -> Questionnaire:
    name, elements = PRESETS[preset]
    return questionnaire_create_version(name=name, elements=elements, actor=actor)


def population_set(
    *,
    agency: Agency,
    service: Service | None,
    start: datetime.date,
    end: datetime.date,
    population: int,
    actor: User,
) -> SamplePopulation:
    """Record how many people used a service (or the whole agency) in a period."""
    if service is not None and service.agency_id != agency.pk:
        raise ValidationError({"service": [_("The service belongs to another agency.")]})
    if end < start:
        raise ValidationError({"end": [_("The end date is before the start date.")]})
    if population < 1:
        raise ValidationError({"population": [_("Enter at least 1.")]})
    with transaction.atomic():
        record, _created = SamplePopulation.objects.update_or_create(
            agency=agency,
            service=service,
            start=start,
            end=end,
            defaults={"population": population, "updated_by": actor},
        )
    return record


def suggestion_set_hidden(*, response: Response, hidden: bool, actor: User) -> Response:
    """Hide (or show again) an abusive suggestion without deleting it."""
    response.suggestion_hidden = hidden
    response.suggestion_hidden_by = actor if hidden else None
    with transaction.atomic():
        response.save(update_fields=["suggestion_hidden", "suggestion_hidden_by"])
    return response
