"""Celery tasks of the reports; the logic is in reports.services."""

from celery import shared_task

from reports import services


@shared_task(name="reports.skm_report_deliver", ignore_result=True)
def skm_report_deliver(dispatch_id: int) -> None:
    services.skm_report_deliver(dispatch_id=dispatch_id)


@shared_task(name="reports.export_run", ignore_result=True)
def export_run(job_id: int) -> None:
    from reports.exports import export_run as run

    run(job_id=job_id)


@shared_task(name="reports.regency_recap_run", ignore_result=True)
def regency_recap_run(job_id: int, language: str | None = None) -> None:
    from reports.exports import recap_run

    recap_run(job_id=job_id, language=language)


@shared_task(name="reports.exports_purge", ignore_result=True)
def exports_purge() -> int:
    from reports.exports import exports_purge as purge

    return purge()
