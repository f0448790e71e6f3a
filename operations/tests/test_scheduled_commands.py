"""Commands on the schedule run through one task, and only the listed ones."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import get_commands
from django.utils import timezone, translation

from operations.tasks import run_command


def test_a_listed_command_runs_and_its_output_is_returned(db, submit, service_a):
    submit(service_a)

    with translation.override("en"):
        printed = run_command.delay("rebuild_tallies", "--check").get()
    assert printed.strip() == "The tallies match the responses: no difference."


def test_a_command_not_listed_is_refused(db):
    assert "flush" not in settings.SCHEDULED_COMMANDS
    with pytest.raises(ValueError, match="not in SCHEDULED_COMMANDS"):
        run_command.delay("flush", "--noinput").get()


def _scheduled_commands() -> dict[str, list[str]]:
    return {
        name: entry["args"]
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if entry["task"] == "operations.run_command"
    }


def test_every_scheduled_task_exists_and_every_scheduled_command_exists_and_is_allowed():
    from siputri.celery import app

    app.loader.import_default_modules()
    commands = get_commands()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name
    for name, args in _scheduled_commands().items():
        assert args[0] in commands, f"{name}: no command {args[0]!r}"
        assert args[0] in settings.SCHEDULED_COMMANDS, name


def test_the_retention_purges_are_on_the_schedule():
    scheduled = {args[0] for args in _scheduled_commands().values()}
    assert {"purge_reply_contacts", "clearsessions"} <= scheduled
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "reports.exports_purge" in tasks  # prepared exports and recaps past their time


def _run_scheduled(command: str) -> str:
    (args,) = [args for args in _scheduled_commands().values() if args[0] == command]
    with translation.override("en"):
        return run_command.delay(*args).get()


def test_the_scheduled_contacts_purge_deletes_contacts_past_their_retention(db, client, service_a, questionnaire):
    from surveys.models import ReplyContact, Response
    from surveys.tests.test_survey_form import SURVEY_URL, filled

    for address in ("lama@mail.id", "baru@mail.id"):
        client.post(SURVEY_URL, filled(client, questionnaire, reply_contact=address, reply_consent="on"))
    old = timezone.now() - datetime.timedelta(days=settings.REPLY_CONTACT_RETENTION_DAYS + 1)
    ReplyContact.objects.filter(contact="lama@mail.id").update(consented_at=old)

    printed = _run_scheduled("purge_reply_contacts")

    assert printed.startswith("Purged 1 contact for a reply")
    assert list(ReplyContact.objects.values_list("contact", flat=True)) == ["baru@mail.id"]
    assert Response.objects.count() == 2


def test_the_scheduled_sessions_purge_signs_out_only_expired_sessions(db):
    expired, live = SessionStore(), SessionStore()
    for store in (expired, live):
        store["who"] = "staff"
        store.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(minutes=1)
    )

    _run_scheduled("clearsessions")

    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
