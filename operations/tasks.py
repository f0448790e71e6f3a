"""Management commands on the schedule (celery beat): the entry point for retention purges
and other nightly work that is a command, so the command stays the one way to do it."""

import io

from celery import shared_task
from django.conf import settings
from django.core.management import call_command


@shared_task(name="operations.run_command", ignore_result=True)
def run_command(name: str, *args: str) -> str:
    """Run ``manage.py NAME ARGS…`` and return what it printed. Only the commands listed in
    SCHEDULED_COMMANDS run: a message on the broker must not run just any command."""
    if name not in settings.SCHEDULED_COMMANDS:
        raise ValueError(f"{name!r} is not in SCHEDULED_COMMANDS")
    out = io.StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()
