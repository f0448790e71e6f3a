"""Celery tasks of the outbox; the logic is in outbox.services."""

from celery import shared_task

from outbox import services


@shared_task(name="outbox.deliver", ignore_result=True)
def email_deliver(email_id: int) -> bool:
    return services.email_deliver(email_id=email_id)


@shared_task(name="outbox.retry_due", ignore_result=True)
def emails_retry_due() -> int:
    return services.emails_retry_due()
