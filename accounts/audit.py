"""The audit log in plain words: each recorded change as its action, its object and its fields
with old and new values the way staff read them (translated field names, "yes"/"no", choice
labels, names instead of ids, one date format), never auditlog's raw strings."""

import datetime
import json
import re
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
EMPTY = "—"
MAX_VALUE = 200
# What auditlog records for a relation it cannot show ("evaluations.AnnouncementRead.None").
_RELATION_PLACEHOLDER = re.compile(r"^[\w]+\.[\w]+\.None$")


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


def action_label(entry: LogEntry) -> str:
    return {
        LogEntry.Action.CREATE: pgettext("audit", "created"),
        LogEntry.Action.UPDATE: pgettext("audit", "changed"),
        LogEntry.Action.DELETE: pgettext("audit", "deleted"),
        LogEntry.Action.ACCESS: pgettext("audit", "viewed"),
    }.get(entry.action, str(entry.action))


def object_label(entry: LogEntry) -> str:
    model = entry.content_type.model_class() if entry.content_type_id else None
    kind = capfirst(model._meta.verbose_name) if model else entry.content_type.name
    return f"{kind}: {entry.object_repr}"


def _when(value: datetime.datetime) -> str:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, DATETIME_FORMAT)


def _plain(field: models.Field | None, raw: str, shown: str) -> str:
    """One recorded value as staff read it."""
    if raw in ("None", "") or raw is None:
        return EMPTY
    if isinstance(field, models.BooleanField):
        return _("yes") if raw == "True" else _("no") if raw == "False" else raw
    if isinstance(field, models.DateTimeField):
        parsed = parse_datetime(raw)
        return _when(parsed) if parsed else shown
    if isinstance(field, models.DateField):
        parsed = parse_date(raw)
        return formats.date_format(parsed, DATE_FORMAT) if parsed else shown
    if isinstance(field, models.JSONField):
        return _json_text(raw)
    text = shown if shown not in ("None", "") else raw
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _json_text(raw: str) -> str:
    try:
        value = json.loads(raw)
    except ValueError:
        return raw
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items()) or EMPTY
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or EMPTY
    return str(value)


def changes(entry: LogEntry) -> list[Change]:
    """The fields ``entry`` changed, labelled and valued in the reader's language; ids and
    relations auditlog cannot show are left out."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    shown = {}
    try:
        shown = entry.changes_display_dict
    except Exception:
        shown = {}
    rows = []
    for name, (old, new) in (entry.changes_dict or {}).items():
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            field = None
        if field is not None and (not field.concrete or field.primary_key):
            continue
        if field is None and model is not None:
            continue  # a relation or a field the model no longer has
        if _RELATION_PLACEHOLDER.match(str(new)) or _RELATION_PLACEHOLDER.match(str(old)):
            continue
        label = capfirst(field.verbose_name) if field is not None else name.replace("_", " ")
        display_old, display_new = shown.get(str(field.verbose_name) if field else name, (old, new))
        rows.append(Change(str(label), _plain(field, old, str(display_old)), _plain(field, new, str(display_new))))
    return rows
