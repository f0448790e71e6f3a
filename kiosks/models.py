from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from standards.models import Service


class Kiosk(models.Model):
    """A registered survey device at a service counter (a shared tablet).

    It is enrolled once with a one-time code; the browser then holds a long random credential
    whose hash is kept here. Revoking clears the hash, so the credential stops at once.
    """

    AGENCY_FIELD = "agency"

    name = models.CharField(_("name"), max_length=100)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="kiosks", verbose_name=_("agency"))
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kiosks",
        verbose_name=_("service"),
        help_text=_("Leave empty to let citizens choose any service of the agency."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    enrolment_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    enrolment_expires_at = models.DateTimeField(_("enrolment code valid until"), null=True, blank=True)
    credential_hash = models.CharField(max_length=64, blank=True, editable=False)
    enrolled_at = models.DateTimeField(_("enrolled"), null=True, blank=True)
    last_submission_at = models.DateTimeField(_("last submission"), null=True, blank=True)
    submission_count = models.PositiveIntegerField(_("submissions"), default=0)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("kiosk")
        verbose_name_plural = _("kiosks")
        ordering = ["agency__code", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency_id})"
