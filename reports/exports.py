"""Exports too large to send while the browser waits: written by a task to a private file,
with their progress on the exports page, a download link for the requester only, kept for
``EXPORT_KEEP_HOURS`` and announced to the requester by email.

A small CSV (at most ``EXPORT_DIRECT_CSV_ROWS`` rows) or XLSX (``EXPORT_DIRECT_XLSX_ROWS``)
still downloads at once; the per-element recap is always small.

The regency recap PDF is prepared the same way, always: its making reads every agency, which
grows with the regency, so it is never built while the browser waits.
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

from accounts.access import OVERSEERS
from accounts.models import Role, User
from agencies.models import Agency
from outbox.services import emails_queue
from reports.exporters import EXPORTERS, ROW_CHUNK, Exporter, ResponsesExporter, csv_chunks, xlsx_write
from reports.issue import regency_recap_issue
from reports.models import ExportJob, ExportStatus
from surveys import selectors
from surveys.periods import Period, parse

log = logging.getLogger(__name__)
FORMATS = ("csv", "xlsx")
RECAP = "rekap-ikm"
"""The ``identifier`` of a prepared regency recap (a PDF, not one of the EXPORTERS)."""


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
        return _failed(job, error)
    return _done(job, rows=rows)


def _failed(job: ExportJob, error: Exception) -> ExportJob:
    """Mark the job failed with the reason and leave no file behind."""
    log.exception("reports: export %s failed", job.pk)
    job.path.with_suffix(job.path.suffix + ".part").unlink(missing_ok=True)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000], finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def _done(job: ExportJob, *, rows: int) -> ExportJob:
    """Mark the job's file ready, kept for EXPORT_KEEP_HOURS, and email the requester."""
    now = timezone.now()
    job.status = ExportStatus.DONE
    job.rows_done = job.rows_total = rows
    job.size = job.path.stat().st_size
    job.finished_at = now
    job.expires_at = now + datetime.timedelta(hours=settings.EXPORT_KEEP_HOURS)
    with transaction.atomic():
        job.save(update_fields=["status", "rows_done", "rows_total", "size", "finished_at", "expires_at"])
        _tell_requester(job)
    return job


def recap_job_create(*, actor: User, period: Period, language: str) -> tuple[ExportJob, bool]:
    """Record a regency recap of ``period`` for ``actor`` and, once committed, hand its making
    to a task (in ``language``). A recap of the same period that ``actor`` already has waiting
    or being made is returned instead of a second one. Returns the job and whether it is new.

    Raises PermissionDenied for anyone but an active overseer (super admin, evaluator, leader)."""
    if not actor.is_active or actor.role not in OVERSEERS:
        raise PermissionDenied
    from reports import tasks

    with transaction.atomic():
        pending = ExportJob.objects.filter(
            requested_by=actor,
            identifier=RECAP,
            period_key=period.key,
            status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING],
        ).first()
        if pending is not None:
            return pending, False
        job = ExportJob.objects.create(
            requested_by=actor, identifier=RECAP, fmt="pdf", period_key=period.key, filename=f"{RECAP}-{period.key}.pdf"
        )
        transaction.on_commit(lambda: tasks.regency_recap_run.delay(job.pk, language))
    return job, True


def recap_run(*, job_id: int, language: str | None = None) -> ExportJob:
    """Make and register the regency recap of a recorded job (issued in the requester's name,
    in ``language``) and write it to the job's private file; then as ``export_run``: ready for
    EXPORT_KEEP_HOURS and the requester emailed, or failed with the reason."""
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    if job.status != ExportStatus.QUEUED:
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING)
    path = job.path
    partial = path.with_suffix(path.suffix + ".part")
    try:
        _document, content = regency_recap_issue(
            period=parse(job.period_key), actor=job.requested_by, language=language or settings.LANGUAGE_CODE
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(content)
        partial.replace(path)
    except Exception as error:  # whatever stopped it, the requester must see the recap failed
        return _failed(job, error)
    return _done(job, rows=0)


def recap_jobs_of(user: User, *, period: Period | None = None) -> list[ExportJob]:
    """The user's own recaps still kept (or still being made), newest first; of ``period`` only
    when given."""
    jobs = ExportJob.objects.filter(requested_by=user, identifier=RECAP).exclude(expires_at__lte=timezone.now())
    if period is not None:
        jobs = jobs.filter(period_key=period.key)
    return list(jobs[:10])


def _tell_requester(job: ExportJob) -> None:
    if not job.requested_by.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        link = settings.SITE_URL.rstrip("/") + reverse("exports:job_file", args=[job.pk])
        until = formats.date_format(timezone.localtime(job.expires_at), "j F Y H:i")
        if job.identifier == RECAP:
            ready = _("Your regency recap %(name)s is ready.") % {"name": job.filename}
        else:
            ready = _("Your export %(name)s (%(rows)s rows) is ready.") % {"name": job.filename, "rows": job.rows_done}
        body = "\n".join(
            [
                ready,
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
