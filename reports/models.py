import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency


class DispatchStatus(models.TextChoices):
    QUEUED = "queued", _("Being prepared")
    OK = "ok", _("Sent")
    FAILED = "failed", _("Failed")


class ReportDispatch(models.Model):
    """One "email this report" send of an agency's SKM report: who sent which period to whom.
    A task makes the PDF and hands one message per recipient to the outbox (``ok``), which
    delivers and retries them; ``failed`` means the report could not be made."""

    AGENCY_FIELD = "agency"

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="report_dispatches", verbose_name=_("agency")
    )
    period_key = models.CharField(_("period"), max_length=30)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.TextField(_("recipients"), help_text=_("Email addresses, separated by commas."))
    status = models.CharField(_("status"), max_length=10, choices=DispatchStatus.choices)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("report dispatch")
        verbose_name_plural = _("report dispatches")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["agency", "-sent_at"])]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.period_key} {self.sent_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def recipient_list(self) -> list[str]:
        return [address.strip() for address in self.recipients.split(",") if address.strip()]


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportJob(models.Model):
    """A large export written by a task to a private file, kept for ``EXPORT_KEEP_HOURS`` and
    served only to the staff member who asked for it. The file's name on disk is a random
    token, never the export's name."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    identifier = models.CharField(_("export"), max_length=30)
    fmt = models.CharField(_("format"), max_length=10)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("agency")
    )
    period_key = models.CharField(_("period"), max_length=30)
    filename = models.CharField(_("file name"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows expected"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("kept until"), null=True, blank=True)

    class Meta:
        verbose_name = _("export file")
        verbose_name_plural = _("export files")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created_at"]), models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)

    @property
    def path(self):
        return Path(settings.PRIVATE_MEDIA_ROOT) / "exports" / f"{self.token}.{self.fmt}"
