from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tasks.models import OutputKind


class AcceptForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=None, label=_("Give it to"))

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        files = data if isinstance(data, (list, tuple)) else [data]
        return [single(item, initial) for item in files if item]


def _files_read(files) -> list[tuple[str, bytes]]:
    limit = settings.SAURO_UPLOAD_MAX_BYTES
    read = []
    for upload in files or []:
        if upload.size > limit:
            raise forms.ValidationError(_("%(name)s is larger than %(limit)s MB.")
                                        % {"name": upload.name, "limit": limit // (1024 * 1024)})
        read.append((upload.name, upload.read()))
    return read


class OutputForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of output"), choices=[
        (kind, label) for kind, label in OutputKind.choices if kind not in (OutputKind.NONE,)])
    number_symbol = forms.CharField(label=_("Number and symbol"), max_length=100, required=False)
    document_date = forms.DateField(label=_("Document date (dd/mm/yyyy)"), required=False)
    signer = forms.CharField(label=_("Signed by"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Files (PDF, Word, Excel, ODT or images)"), required=False)

    def clean_files(self):
        return _files_read(self.cleaned_data.get("files"))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("return", _("Return"))],
                                 widget=forms.RadioSelect, label=_("Decision"))
    reason = forms.CharField(label=_("Reason (required when returning)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))


class ContributionForm(forms.Form):
    text = forms.CharField(label=_("Contribution"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("Files"), required=False)

    def clean_files(self):
        return _files_read(self.cleaned_data.get("files"))


class ExtensionForm(forms.Form):
    requested_due_on = forms.DateField(label=_("New due date (dd/mm/yyyy)"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
                                 widget=forms.RadioSelect, label=_("Decision"))
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
