"""Forms of the reports pages."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import ReportDraft
from reports.periods import Period, period_of
from reports.services import NARRATIVE_FIELDS
from workflow.templatetags.occurrences import period_label


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = ReportDraft
        fields = list(NARRATIVE_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in
                   ("overall_assessment", "difficulties", "proposals", "recipients")}
        help_texts = {"number": _("The number the report is registered under, e.g. 12."),
                      "recipients": _("One recipient per line.")}


class PrepareForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"))

    def __init__(self, *args, periods: list[Period], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(f"{p.kind}:{p.key}", period_label(p.key)) for p in periods]

    def chosen_period(self) -> Period:
        kind, key = self.cleaned_data["period"].split(":", 1)
        return period_of(kind=kind, key=key)
