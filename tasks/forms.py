from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PlanUploadForm(forms.Form):
    commune = forms.ModelChoiceField(queryset=None, label=_("Commune"))
    file = forms.FileField(label=_("Plan file (Word .docx, Excel .xlsx or CSV)"))
    create_missing = forms.BooleanField(
        required=False, label=_("Create the units and posts the plan names that this commune does not have yet")
    )

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        if communes.count() == 1:
            self.fields["commune"].initial = communes.first()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.SAURO_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB.") % {"limit": settings.SAURO_IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        return upload


class PlanHeadingForm(forms.Form):
    number_symbol = forms.CharField(label=_("Number and symbol"), max_length=100, required=False)
    issued_on = forms.DateField(label=_("Issued on (dd/mm/yyyy)"), required=False)
    issuer = forms.CharField(label=_("Issued by"), max_length=255, required=False)
    title = forms.CharField(label=_("Title"), widget=forms.Textarea(attrs={"rows": 2}))
