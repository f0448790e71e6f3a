from django import forms
from django.utils.translation import gettext_lazy as _


class PaperUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Paper survey file (CSV or XLSX)"),
        help_text=_("Use the template: one row per filled paper form."),
    )

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload
