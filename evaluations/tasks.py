"""Scheduled work of the evaluation loop (see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.conf import settings

from evaluations.services import reminders_send


@shared_task(name="evaluations.send_reminders", ignore_result=True)
def send_reminders() -> int:
    """Every morning: mail each agency what is due soon or overdue."""
    return reminders_send(within_days=settings.REMINDER_DAYS)
