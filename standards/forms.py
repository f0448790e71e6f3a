from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from evaluations.files import MAX_UPLOAD_BYTES
from standards.models import INTERNAL_COMPONENTS, PUBLIC_COMPONENTS, Service, ServiceDocument, SupportingDocumentKind
from standards.synonyms import SynonymTextError, parse_synonyms


class ServiceForm(forms.ModelForm):
    """The standard of one service. Operators never choose the agency: it is theirs."""

    class Meta:
        model = Service
        fields = [
            "agency",
            "code",
            "name",
            "unit",
            "opening_hours",
            "online_url",
            "is_published",
            *PUBLIC_COMPONENTS,
            *INTERNAL_COMPONENTS,
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in (*PUBLIC_COMPONENTS, *INTERNAL_COMPONENTS)}

    def __init__(self, *args, choose_agency: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if choose_agency:
            self.fields["agency"].queryset = Agency.objects.filter(is_active=True)
        else:
            del self.fields["agency"]
        if self.instance.pk:
            # The code is the service's public identity (survey links, API): fixed once made.
            self.fields["code"].disabled = True

    def component_groups(self):
        return [
            (_("Service"), [self[n] for n in self.fields if n not in PUBLIC_COMPONENTS + INTERNAL_COMPONENTS]),
            (_("Public components (service delivery)"), [self[n] for n in PUBLIC_COMPONENTS]),
            (_("Internal components (service management)"), [self[n] for n in INTERNAL_COMPONENTS]),
        ]


class ServiceDocumentForm(forms.Form):
    """A supporting document of a standard; its content is checked by ``service_document_add``."""

    kind = forms.ChoiceField(label=_("Kind of document"), choices=SupportingDocumentKind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=ServiceDocument._meta.get_field("title").max_length,
        help_text=_("e.g. “Keputusan Kepala Dinas Nomor 12 Tahun 2026 tentang Standar Pelayanan”."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("A PDF, PNG or JPEG file of at most %(size)d MB.") % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}),
    )
    is_public = forms.BooleanField(
        label=_("Public: link it on the service's public page"), required=False, initial=True
    )


class CatalogUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Catalog file (CSV or XLSX)"),
        help_text=_("Columns: kode_opd, nama_opd, kode_layanan, nama_layanan and optional standard components."),
    )

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class SynonymsForm(forms.Form):
    """The whole synonym list as text, one meaning per line."""

    text = forms.CharField(
        label=_("Synonyms"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false"}),
        help_text=_(
            "One line per name services carry: the names people type, separated by commas, then “=” "
            "and the name used in the service standards. Example: e-KTP, KTP elektronik = KTP-el"
        ),
    )

    def clean_text(self):
        try:
            return parse_synonyms(self.cleaned_data["text"])
        except SynonymTextError as exc:
            raise forms.ValidationError(str(exc)) from exc
