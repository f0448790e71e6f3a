from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency


class DispatchStatus(models.TextChoices):
    OK = "ok", _("Sent")
    FAILED = "failed", _("Failed")


class ReportDispatch(models.Model):
    """One "email this report" send of an agency's SKM report: who sent which period to whom,
    and whether the mail server took it."""

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
