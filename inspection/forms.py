from django import forms
from django.utils.translation import gettext_lazy as _


class ExplanationRequestForm(forms.Form):
    question = forms.CharField(label=_("What must the lead unit explain?"), widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label=_("Answer by"), input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                             widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class ExplanationAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 4}))


class CaseCloseForm(forms.Form):
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 4}))
