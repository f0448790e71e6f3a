from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    _("Use letters, digits, dots, hyphens or underscores only, starting with a letter or digit."),
)


class AgencyKind(models.TextChoices):
    DINAS = "dinas", _("Office (dinas)")
    BADAN = "badan", _("Agency (badan)")
    KECAMATAN = "kecamatan", _("District (kecamatan)")
    KELURAHAN = "kelurahan", _("Urban village (kelurahan)")
    RSUD = "rsud", _("Regional hospital (RSUD)")
    PUSKESMAS = "puskesmas", _("Community health centre (puskesmas)")
    BAGIAN = "bagian", _("Secretariat division (bagian)")

    @classmethod
    def guess(cls, name: str) -> "AgencyKind":
        """The kind an agency's Indonesian name suggests, for catalog imports."""
        lowered = name.lower()
        for prefix, kind in (
            ("kecamatan", cls.KECAMATAN),
            ("kelurahan", cls.KELURAHAN),
            ("rumah sakit", cls.RSUD),
            ("rsud", cls.RSUD),
            ("puskesmas", cls.PUSKESMAS),
            ("badan", cls.BADAN),
            ("bagian", cls.BAGIAN),
            ("inspektorat", cls.BADAN),
            ("satuan", cls.BADAN),
        ):
            if lowered.startswith(prefix):
                return kind
        return cls.DINAS


class Agency(models.Model):
    """A regional agency (OPD) that delivers public services."""

    AGENCY_FIELD = "pk"

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices, default=AgencyKind.DINAS)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("telephone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    head_name = models.CharField(_("head of agency"), max_length=200, blank=True)
    head_title = models.CharField(_("head's position"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServicePledge(models.Model):
    """An agency's Maklumat Pelayanan: its written pledge to keep its service standards."""

    AGENCY_FIELD = "agency"

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="pledge", verbose_name=_("agency"))
    text = models.TextField(_("pledge text"))
    signed_by = models.CharField(_("signed by"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("service pledge")
        verbose_name_plural = _("service pledges")

    def __str__(self) -> str:
        return str(self.agency)
