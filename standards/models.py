from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, code_validator

# The 14 components of PermenPANRB 15/2014, in the order of the regulation, with the column
# name each has in catalog files. Public components first: citizens read those.
PUBLIC_COMPONENTS = ("requirements", "procedure", "duration", "cost", "product", "complaints")
INTERNAL_COMPONENTS = (
    "legal_basis",
    "facilities",
    "competence",
    "supervision",
    "staff_count",
    "service_guarantee",
    "safety_guarantee",
    "performance_evaluation",
)
CATALOG_COLUMNS = {
    "requirements": "persyaratan",
    "procedure": "prosedur",
    "duration": "waktu",
    "cost": "biaya",
    "product": "produk",
    "complaints": "pengaduan",
    "legal_basis": "dasar_hukum",
    "facilities": "sarana",
    "competence": "kompetensi",
    "supervision": "pengawasan",
    "staff_count": "jumlah_pelaksana",
    "service_guarantee": "jaminan_pelayanan",
    "safety_guarantee": "jaminan_keamanan",
    "performance_evaluation": "evaluasi",
    "online_url": "tautan_online",
}


class Service(models.Model):
    """One public service of an agency, with its published service standard."""

    AGENCY_FIELD = "agency"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="services", verbose_name=_("agency"))
    code = models.CharField(_("service code"), max_length=60, unique=True, validators=[code_validator])
    name = models.CharField(_("service name"), max_length=255)
    unit = models.CharField(_("delivering unit"), max_length=200, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    online_url = models.URLField(_("online service link"), blank=True)
    is_published = models.BooleanField(_("published"), default=True, help_text=_("Drafts are visible to staff only."))

    requirements = models.TextField(_("requirements"), blank=True, help_text=_("One requirement per line."))
    procedure = models.TextField(
        _("system, mechanism and procedure"), blank=True, help_text=_("One step per line, in order.")
    )
    duration = models.TextField(_("service time"), blank=True)
    cost = models.TextField(_("cost or tariff"), blank=True)
    product = models.TextField(_("service product"), blank=True)
    complaints = models.TextField(_("handling of complaints, suggestions and feedback"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    facilities = models.TextField(_("facilities and infrastructure"), blank=True)
    competence = models.TextField(_("competence of the staff"), blank=True)
    supervision = models.TextField(_("internal supervision"), blank=True)
    staff_count = models.TextField(_("number of staff"), blank=True)
    service_guarantee = models.TextField(_("service guarantee"), blank=True)
    safety_guarantee = models.TextField(_("security and safety guarantee"), blank=True)
    performance_evaluation = models.TextField(_("evaluation of staff performance"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["agency__name", "name"]

    def __str__(self) -> str:
        return self.name
