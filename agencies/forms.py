from django import forms

from agencies.models import Agency, ServicePledge


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = [
            "code",
            "name",
            "kind",
            "address",
            "phone",
            "email",
            "website",
            "head_name",
            "head_title",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The code identifies the agency in links and files: fixed once made.
            self.fields["code"].disabled = True


class PledgeForm(forms.ModelForm):
    class Meta:
        model = ServicePledge
        fields = ["text", "signed_by"]
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}
