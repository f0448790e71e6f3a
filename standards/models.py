from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
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
    reviewed_on = models.DateField(
        _("last reviewed"), null=True, blank=True, help_text=_("When the agency last reviewed this standard.")
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["agency__name", "name"]
        # The dashboard's recently changed services: the newest few, however many services exist.
        indexes = [models.Index(fields=["updated_at"], name="service_recent")]

    def __str__(self) -> str:
        return self.name


def document_storage() -> FileSystemStorage:
    """Supporting documents live outside the web root, served only by a view that checks who
    may see them."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


class SupportingDocumentKind(models.TextChoices):
    SK = "sk", _("Decree adopting the standard (SK)")
    SOP = "sop", _("Standard operating procedure (SOP)")
    FLOWCHART = "flowchart", _("Flowchart")


class ServiceDocument(models.Model):
    """A supporting document of a service's standard: the decree adopting it, its SOP or its
    flowchart, as a PDF or an image checked by content. Public ones are linked on the service's
    public page; the others are shown to the agency's staff and overseers only."""

    AGENCY_FIELD = "service__agency"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="documents", verbose_name=_("service"))
    kind = models.CharField(_("kind of document"), max_length=20, choices=SupportingDocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), storage=document_storage, upload_to="standards/%Y/%m/")
    file_name = models.CharField(max_length=200, editable=False)
    file_type = models.CharField(max_length=50, editable=False)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Public documents are linked on the service's public page.")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("supporting document")
        verbose_name_plural = _("supporting documents")
        ordering = ["kind", "-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class SearchEntry(models.Model):
    """The search terms of one service (see ``standards.search_text``), kept in step with the
    service and its agency. PostgreSQL searches them through a GIN full-text index, SQLite
    through an FTS5 table; both are made by migration 0002."""

    service = models.OneToOneField(Service, on_delete=models.CASCADE, primary_key=True, related_name="search_entry")
    name_terms = models.TextField()
    agency_terms = models.TextField()
    body_terms = models.TextField()

    def __str__(self) -> str:
        return self.name_terms


class Synonym(models.Model):
    """A name people use for what services call otherwise: searching ``term`` also searches
    ``replacement`` (e-KTP → KTP-el). Edited by the super admin."""

    term = models.CharField(_("what people type"), max_length=100, unique=True)
    replacement = models.CharField(_("what services call it"), max_length=200)

    class Meta:
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        ordering = ["replacement", "term"]

    def __str__(self) -> str:
        return f"{self.term} → {self.replacement}"


class ServiceViewCount(models.Model):
    """Visits to a service's public page per month, for the home page's most-used services."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text=_("First day of the month."))
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "month"], name="service_view_month")]
        indexes = [models.Index(fields=["month"], name="service_view_read")]

    def __str__(self) -> str:
        return f"{self.service_id} {self.month}: {self.count}"
