import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from standards.models import Service


class DocumentKind(models.TextChoices):
    LETTER = "letter", _("Recommendation letter")
    SKM_REPORT = "skm_report", _("SKM results report")
    RECAP = "recap", _("Regency IKM recap")
    POSTER = "poster", _("Survey QR poster")
    QUESTIONNAIRE = "questionnaire", _("Printed paper questionnaire")
    PLEDGE = "pledge", _("Service pledge poster")
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment pack")


def printed_code(code: str) -> str:
    """A verification code as printed, in two groups of four: ``K7QM-3XTA``."""
    return f"{code[:4]}-{code[4:]}"


class IssuedDocument(models.Model):
    """One issue of a printed document: what it is, for whom, which period, when, by whom, the
    SHA-256 of its bytes and the key figures it shows. Its short ``code`` is printed with a QR
    code on every page and opens ``/verifikasi/CODE/``.

    Issues of the same document (the same ``subject``: e.g. one agency's SKM report for one
    period) supersede each other: the newest is current, each older one points to the issue
    that replaced it."""

    AGENCY_FIELD = "agency"

    code = models.CharField(_("code"), max_length=12, unique=True)
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    subject = models.CharField(max_length=200, db_index=True, editable=False)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("agency")
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("service")
    )
    period_key = models.CharField(_("period"), max_length=30, blank=True)
    period_label = models.CharField(_("period"), max_length=100, blank=True)
    figures = models.JSONField(_("key figures"), default=dict)
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    content_hash = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="supersedes"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.kind} {self.subject}"

    @property
    def letter_date(self) -> datetime.date | None:
        """A letter's date (stored in the figures as YYYY-MM-DD)."""
        value = self.figures.get("letter_date")
        return datetime.date.fromisoformat(value) if value else None

    @property
    def adopted_on(self) -> datetime.date | None:
        """A service pledge's adoption date (stored in the figures as YYYY-MM-DD)."""
        value = self.figures.get("adopted_on")
        return datetime.date.fromisoformat(value) if value else None

    @property
    def as_of(self) -> datetime.date | None:
        """The day a self-assessment pack's figures were read (stored as YYYY-MM-DD)."""
        value = self.figures.get("as_of")
        return datetime.date.fromisoformat(value) if value else None

    @property
    def printed_code(self) -> str:
        """The code as printed, in two groups of four: ``K7QM-3XTA``."""
        return printed_code(self.code)
