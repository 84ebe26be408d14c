from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.models import Assessment, Cadence
from workflow.forms import MultipleFileField, _files_read


class DecimalCommaField(forms.CharField):
    """A number as Vietnamese write it: "65,5" or "65.5"; "1.000" (grouped thousands) is refused as unclear."""

    def to_python(self, value):
        text = (super().to_python(value) or "").strip().replace(" ", "").replace("%", "")
        if not text:
            return None
        if len(text) > 30:
            raise forms.ValidationError(_("Write a number, such as 65,5."))
        if "," in text and "." in text:
            raise forms.ValidationError(_("Write the number with one decimal comma, such as 65,5."))
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise forms.ValidationError(_("Write a number, such as 65,5.")) from None
        if not number.is_finite():
            raise forms.ValidationError(_("Write a number, such as 65,5."))
        return number


class FigureForm(forms.Form):
    value = DecimalCommaField(label=_("Figure"), required=False)
    rank = forms.IntegerField(label=_("Rank"), required=False, min_value=1)
    done = forms.TypedChoiceField(label=_("Done?"), required=False, choices=[
        ("", "—"), ("yes", _("Yes, done")), ("no", _("Not yet"))],
        coerce=lambda v: {"yes": True, "no": False}.get(v), empty_value=None)
    assessment = forms.ChoiceField(label=_("Assessment"), required=False,
                                   choices=[("", "—"), *Assessment.choices])
    note = forms.CharField(label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Evidence (PDF, Word, Excel, ODT or images)"), required=False)

    def __init__(self, *args, needs: str = "any", **kwargs):
        super().__init__(*args, **kwargs)
        # Show what the target measures first; the rest stays available for a fuller report.
        hidden = {"value": ("rank", "done"), "rank": ("value", "done"), "done": ("rank",),
                  "assessment": ("rank", "done")}.get(needs, ())
        for name in hidden:
            del self.fields[name]
        if needs in self.fields:
            self.fields[needs].widget.attrs["required"] = "required"

    def clean_files(self):
        return _files_read(self.cleaned_data.get("files"))


class FigureReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("return", _("Return"))],
                                 widget=forms.RadioSelect, label=_("Decision"))
    reason = forms.CharField(label=_("Reason (required when returning)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))


class ScheduleForm(forms.Form):
    cadence = forms.ChoiceField(label=_("Reported"), choices=Cadence.choices)
    due_working_days = forms.IntegerField(label=_("Due this many working days after the period"),
                                          min_value=0, max_value=60)
    reporting_unit = forms.ModelChoiceField(label=_("Reporting unit"), queryset=None, required=False,
                                            empty_label=_("The first monitoring unit the plan names"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reporting_unit"].queryset = units
