"""Exports too large to send while the browser waits: written by a task to a private file,
with their progress on the exports page, a download link for the requester only, kept for
``EXPORT_KEEP_HOURS`` and announced to the requester by email.

A small CSV (at most ``EXPORT_DIRECT_CSV_ROWS`` rows) or XLSX (``EXPORT_DIRECT_XLSX_ROWS``)
still downloads at once; the per-element recap is always small.
"""

import datetime
import logging
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from agencies.models import Agency
from outbox.services import emails_queue
from reports.exporters import EXPORTERS, ROW_CHUNK, Exporter, ResponsesExporter, csv_chunks, xlsx_write
from reports.models import ExportJob, ExportStatus
from surveys import selectors
from surveys.periods import Period, parse

log = logging.getLogger(__name__)
FORMATS = ("csv", "xlsx")


def export_rows_estimate(*, agency: Agency | None, period: Period) -> int:
    """How many rows the responses export of this scope and period holds (from the tallies)."""
    found = selectors.results(scope=selectors.Scope(agency=agency), start=period.start, end=period.end)
    return found.respondents


def export_is_large(*, identifier: str, fmt: str, rows: int) -> bool:
    """Whether this export must be prepared as a file by a task rather than sent at once."""
    if EXPORTERS[identifier] is not ResponsesExporter:
        return False
    limit = settings.EXPORT_DIRECT_CSV_ROWS if fmt == "csv" else settings.EXPORT_DIRECT_XLSX_ROWS
    return rows > limit


def export_job_create(
    *, actor: User, identifier: str, fmt: str, agency: Agency | None, period: Period, filename: str
) -> ExportJob:
    """Record an export for ``actor`` and, once committed, hand the writing to a task.

    Raises PermissionDenied when an operator asks for anything but their own agency; Http404
    for an export or format that does not exist."""
    if identifier not in EXPORTERS or fmt not in FORMATS:
        raise Http404
    if not actor.is_active or actor.role not in (Role.SUPER_ADMIN, Role.EVALUATOR, Role.LEADER, Role.OPERATOR):
        raise PermissionDenied
    if actor.role == Role.OPERATOR and (agency is None or agency.pk != actor.agency_id):
        raise PermissionDenied
    from reports import tasks

    with transaction.atomic():
        job = ExportJob.objects.create(
            requested_by=actor,
            identifier=identifier,
            fmt=fmt,
            agency=agency,
            period_key=period.key,
            filename=filename,
            rows_total=export_rows_estimate(agency=agency, period=period),
        )
        transaction.on_commit(lambda: tasks.export_run.delay(job.pk))
    return job


class _Counted(Exporter):
    """The same export, telling ``progress`` how many rows went out every ROW_CHUNK rows."""

    def __init__(self, inner: Exporter, progress) -> None:
        self.inner = inner
        self.progress = progress
        self.count = 0

    def headers(self) -> list[str]:
        return self.inner.headers()

    def rows(self) -> Iterator[list[Any]]:
        for row in self.inner.rows():
            yield row
            self.count += 1
            if self.count % ROW_CHUNK == 0:
                self.progress(self.count)


def export_run(*, job_id: int) -> ExportJob:
    """Write the export of a recorded job to its private file, keeping its progress up to date,
    then mark it ready (kept for EXPORT_KEEP_HOURS) and email the requester a link. A failure
    marks it failed with the reason and leaves no file behind."""
    job = ExportJob.objects.select_related("agency", "requested_by").get(pk=job_id)
    if job.status != ExportStatus.QUEUED:
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING)

    def progress(rows: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_done=rows)

    path = job.path
    partial = path.with_suffix(path.suffix + ".part")
    try:
        period = parse(job.period_key)
        exporter = EXPORTERS[job.identifier](selectors.Scope(agency=job.agency), period.start, period.end)
        path.parent.mkdir(parents=True, exist_ok=True)
        with translation.override(settings.LANGUAGE_CODE):
            if job.fmt == "csv":
                counted = _Counted(exporter, progress)
                with partial.open("wb") as file:
                    for chunk in csv_chunks(counted):
                        file.write(chunk)
                rows = counted.count
            else:
                rows = xlsx_write(exporter, str(partial), progress=progress)
        partial.replace(path)
    except Exception as error:  # whatever stopped it, the requester must see the export failed
        log.exception("reports: export %s failed", job.pk)
        partial.unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000], finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    now = timezone.now()
    job.status = ExportStatus.DONE
    job.rows_done = job.rows_total = rows
    job.size = path.stat().st_size
    job.finished_at = now
    job.expires_at = now + datetime.timedelta(hours=settings.EXPORT_KEEP_HOURS)
    with transaction.atomic():
        job.save(update_fields=["status", "rows_done", "rows_total", "size", "finished_at", "expires_at"])
        _tell_requester(job)
    return job


def _tell_requester(job: ExportJob) -> None:
    if not job.requested_by.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        link = settings.SITE_URL.rstrip("/") + reverse("exports:job_file", args=[job.pk])
        until = formats.date_format(timezone.localtime(job.expires_at), "j F Y H:i")
        body = "\n".join(
            [
                _("Your export %(name)s (%(rows)s rows) is ready.") % {"name": job.filename, "rows": job.rows_done},
                "",
                _("Download it (staff sign-in): %(url)s") % {"url": link},
                _("It is kept until %(time)s; only you can download it.") % {"time": until},
            ]
        )
        emails_queue(
            recipients=[job.requested_by.email],
            subject="[SI-PUTRI] " + _("Export ready: %(name)s") % {"name": job.filename},
            body=body,
        )


def export_jobs_of(user: User) -> list[ExportJob]:
    """The user's own export files that are still kept (or still being written), newest first."""
    now = timezone.now()
    jobs = ExportJob.objects.filter(requested_by=user).exclude(expires_at__lte=now)
    return list(jobs.select_related("agency")[:10])


def export_job_file(*, user: User, pk: int) -> ExportJob:
    """The ready, unexpired export ``pk`` of ``user``; Http404 for anyone else's or any other."""
    job = ExportJob.objects.filter(
        pk=pk, requested_by=user, status=ExportStatus.DONE, expires_at__gt=timezone.now()
    ).first()
    if job is None or not job.path.exists():
        raise Http404
    return job


def exports_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the files and records of exports past their time (scheduled hourly), and of
    exports that never finished within a day. Returns how many."""
    now = now or timezone.now()
    stale = ExportJob.objects.filter(expires_at__lte=now) | ExportJob.objects.filter(
        status__in=[ExportStatus.FAILED, ExportStatus.QUEUED, ExportStatus.RUNNING],
        created_at__lte=now - datetime.timedelta(days=1),
    )
    count = 0
    for job in stale:
        job.path.unlink(missing_ok=True)
        job.path.with_suffix(job.path.suffix + ".part").unlink(missing_ok=True)
        job.delete()
        count += 1
    return count
