"""Writes that change the state of responses: hold, accept, void and restore, one response or
a group (a burst, a paper batch) at a time.

A response is ``accepted`` (counted), ``held`` (stored, under review, not counted) or ``void``
(stored, never counted). Each change records who, when and why on the response, writes one
audit entry per response and moves the tallies, all in one transaction. Responses are locked
before they are read, so two people acting on the same group at once change each response once
and count it once.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from surveys.models import PaperBatch, Response, Status
from surveys.tallies import tallies_add, tallies_remove

MAX_REASON_LENGTH = 1000

# Which states each action moves a response from, and to.
_MOVES = {
    "hold": ((Status.ACCEPTED,), Status.HELD),
    "accept": ((Status.HELD,), Status.ACCEPTED),
    "void": ((Status.ACCEPTED, Status.HELD), Status.VOID),
    "restore": ((Status.VOID,), Status.ACCEPTED),
}


@dataclass(frozen=True)
class StateChange:
    """What one call changed: ``changed`` responses moved, ``skipped`` were already elsewhere."""

    changed: int
    skipped: int


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Please give a reason.")]})
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            {"reason": [_("The reason may be at most %(max)d characters long.") % {"max": MAX_REASON_LENGTH}]}
        )
    if "\x00" in reason:
        raise ValidationError({"reason": [_("The reason contains characters that are not allowed.")]})
    return reason


def _serials_in_use(responses: list[Response]) -> list[str]:
    """Serials of ``responses`` that another counted or held response already carries."""
    serials = {r.form_serial for r in responses if r.form_serial}
    if not serials:
        return []
    others = Response.objects.filter(form_serial__in=serials).exclude(status=Status.VOID)
    return sorted(set(others.exclude(pk__in=[r.pk for r in responses]).values_list("form_serial", flat=True)))


def _move(*, action: str, pks: Iterable[int], actor: User | None, reason: str, rule: str = "") -> StateChange:
    sources, target = _MOVES[action]
    reason = _clean_reason(reason)
    pks = sorted(set(pks))
    with transaction.atomic():
        # Locked in primary-key order, so concurrent groups never deadlock.
        # Only the responses are locked (not their services); the service gives the agency.
        chosen = Response.objects.select_for_update(of=("self",)).select_related("service")
        locked = list(chosen.filter(pk__in=pks).order_by("pk"))
        moving = [r for r in locked if r.status in sources]
        if target != Status.VOID and (clash := _serials_in_use(moving)):
            raise ValidationError(
                {"__all__": [_("Form serial already counted: %(serials)s.") % {"serials": ", ".join(clash)}]}
            )
        counted_before = [r for r in moving if r.status == Status.ACCEPTED]
        now = timezone.now()
        old = {r.pk: r.status for r in moving}
        for response in moving:
            response.status = target
            response.status_reason = reason
            response.status_changed_at = now
            response.status_changed_by = actor
            if action == "hold":
                response.held_rule = rule
        if moving:
            Response.objects.filter(pk__in=[r.pk for r in moving]).update(
                status=target,
                status_reason=reason,
                status_changed_at=now,
                status_changed_by=actor,
                **({"held_rule": rule} if action == "hold" else {}),
            )
        if counted_before:
            tallies_remove(counted_before)
        if target == Status.ACCEPTED and moving:
            tallies_add(moving)
        for response in moving:
            LogEntry.objects.log_create(
                response,
                action=LogEntry.Action.UPDATE,
                changes={"status": [old[response.pk], target], "reason": ["", reason]},
                actor=actor,
                force_log=True,
            )
    return StateChange(changed=len(moving), skipped=len(pks) - len(moving))


def responses_hold(*, responses: Iterable[int], actor: User | None, reason: str, rule: str = "manual") -> StateChange:
    """Take accepted responses out of the count for review."""
    return _move(action="hold", pks=responses, actor=actor, reason=reason, rule=rule)


def responses_accept(*, responses: Iterable[int], actor: User, reason: str) -> StateChange:
    """Count held responses after review."""
    return _move(action="accept", pks=responses, actor=actor, reason=reason)


def responses_void(*, responses: Iterable[int], actor: User | None, reason: str) -> StateChange:
    """Never count these accepted or held responses; they stay stored and can be restored."""
    return _move(action="void", pks=responses, actor=actor, reason=reason)


def responses_restore(*, responses: Iterable[int], actor: User | None, reason: str) -> StateChange:
    """Count void responses again. Refused when one carries a form serial that another
    counted or held response now has."""
    return _move(action="restore", pks=responses, actor=actor, reason=reason)


def batch_void(*, batch: PaperBatch, actor: User | None, reason: str) -> StateChange:
    """Void every response of a paper batch in one action."""
    return responses_void(responses=batch.responses.values_list("pk", flat=True), actor=actor, reason=reason)


def batch_restore(*, batch: PaperBatch, actor: User | None, reason: str) -> StateChange:
    """Count the voided responses of a paper batch again."""
    return responses_restore(responses=batch.responses.values_list("pk", flat=True), actor=actor, reason=reason)
