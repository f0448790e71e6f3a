"""The Celery application: background tasks and the schedule (celery beat).

Workers and the scheduler run from the project root:

    .venv/bin/celery -A siputri worker --loglevel=INFO
    .venv/bin/celery -A siputri beat --loglevel=INFO

Without CELERY_BROKER_URL (the embedded default of `make run`) every task runs in the process
that queued it, so nothing else must be started.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siputri.settings")

app = Celery("siputri")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
