from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agencies.letter_numbers import DEFAULT_PATTERN, pattern_check

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    _("Use letters, digits, dots, hyphens or underscores only, starting with a letter or digit."),
)

# A civil servant's NIP: 18 digits (birth date, appointment month, sex, sequence).
nip_validator = RegexValidator(r"^\d{18}$", _("A NIP has exactly 18 digits."))


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
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    head_name = models.CharField(_("head of agency"), max_length=200, blank=True)
    head_nip = models.CharField(_("head's NIP"), max_length=18, blank=True, validators=[nip_validator])
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
    adopted_on = models.DateField(
        _("adopted on"), null=True, blank=True, help_text=_("The date the head of agency signed the pledge.")
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("service pledge")
        verbose_name_plural = _("service pledges")

    def __str__(self) -> str:
        return str(self.agency)


def identity_storage():
    """Logos are served by a view that sets safe headers, never straight from disk."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


class RegencyIdentity(models.Model):
    """The regency's identity on every page, letter and report: set once by the super admin.

    There is at most one row (id 1). Until it is saved, ``agencies.selectors.regency_identity``
    gives an unsaved one whose empty fields read as neutral defaults."""

    name = models.CharField(
        _("name of the regional government"),
        max_length=200,
        blank=True,
        help_text=_("As it follows the word “Pemerintah”, e.g. “Kabupaten Ogan Komering Ilir”."),
    )
    address = models.TextField(_("address"), blank=True)
    place = models.CharField(
        _("place of signing"), max_length=100, blank=True, help_text=_("The town letters are dated in, e.g. Kayuagung.")
    )
    phone = models.CharField(_("telephone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    evaluating_office = models.CharField(
        _("evaluating office"),
        max_length=200,
        blank=True,
        help_text=_("The office that evaluates the agencies, e.g. “Bagian Organisasi Sekretariat Daerah”."),
    )
    survey_regulation = models.CharField(
        _("regional regulation on the survey"),
        max_length=300,
        blank=True,
        help_text=_(
            "The regent's or mayor's regulation under which the survey is run, cited in the legal basis of "
            "every SKM report, e.g. “Peraturan Bupati Ogan Komering Ilir Nomor 91 Tahun 2021”. Leave empty "
            "if there is none."
        ),
    )
    letter_number_pattern = models.CharField(
        _("letter number pattern"),
        max_length=100,
        default=DEFAULT_PATTERN,
        validators=[pattern_check],
        help_text=_(
            "How letter numbers are written. {seq} is the letter's number in its year (from 1 each January); "
            "also {year}, {month}, {roman_month} and {agency} (the agency's code)."
        ),
    )
    letter_nature = models.CharField(
        _("nature of letters (Sifat)"), max_length=50, default="Penting", help_text=_("e.g. Penting, Biasa, Segera.")
    )
    logo = models.FileField(_("logo"), storage=identity_storage, upload_to="identity/", blank=True)
    logo_type = models.CharField(max_length=40, blank=True, editable=False)
    logo_hash = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("regency identity")
        verbose_name_plural = _("regency identity")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="one_regency_identity")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name, or a neutral "Regional Government" while none is set."""
        return self.name or str(_("Regional Government"))

    @property
    def government(self) -> str:
        """The first line of a letterhead: "Pemerintah Kabupaten …"."""
        return str(_("Government of %(name)s") % {"name": self.name}) if self.name else self.display_name

    @property
    def office(self) -> str:
        return self.evaluating_office or str(_("Evaluating office"))

    @property
    def logo_url(self) -> str:
        """The logo's address, changing with its content so browsers never show an old one."""
        if not self.logo:
            return ""
        return reverse("agencies:regency_logo") + f"?v={self.logo_hash[:12]}"
