"""Commands on the schedule run through one task, and only the listed ones."""

import pytest
from django.conf import settings
from django.utils import translation

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


def test_every_scheduled_command_is_allowed_and_every_task_exists():
    from siputri.celery import app

    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name
        if entry["task"] == "operations.run_command":
            assert entry["args"][0] in settings.SCHEDULED_COMMANDS, name
