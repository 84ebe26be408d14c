from django import forms
from django.utils.translation import gettext_lazy as _

from workflow.models import escalation_rungs_default

RUNG_LABELS = {
    "remind_7": _("First reminder to the person (working days before the due date, negative)"),
    "remind_3": _("Second reminder to the person"),
    "remind_1": _("Last reminder to the person"),
    "due": _("On the due date, to the person and the unit head"),
    "overdue_3": _("Overdue: to the directing comrade and the Party Office's digest (working days after)"),
    "overdue_10": _("Overdue: to the Inspection Committee, which opens a case"),
}


class EscalationPolicyForm(forms.Form):
    counts_working_days = forms.TypedChoiceField(
        label=_("Count the days in"), coerce=lambda value: value == "1", initial="1",
        choices=[("1", _("working days (weekends, holidays and the commune's days off skipped)")),
                 ("0", _("calendar days"))])

    def __init__(self, *args, rungs: list[dict], counts_working_days: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counts_working_days"].initial = "1" if counts_working_days else "0"
        current = {rung["key"]: rung["offset"] for rung in rungs}
        for rung in escalation_rungs_default():
            self.fields[rung["key"]] = forms.IntegerField(
                label=RUNG_LABELS.get(rung["key"], rung["key"]), required=False, min_value=-60, max_value=120,
                initial=current.get(rung["key"]),
                help_text=_("Leave empty to switch this rung off."))

    def offsets(self) -> dict[str, int | None]:
        return {key: self.cleaned_data.get(key) for key in self.fields if key != "counts_working_days"}


class CalendarOverrideForm(forms.Form):
    day = forms.DateField(label=_("Day (dd/mm/yyyy)"))
    is_working_day = forms.TypedChoiceField(
        label=_("That day is"), coerce=lambda value: value == "1",
        choices=[("0", _("a day off")), ("1", _("a working day"))])
    reason = forms.CharField(label=_("Reason (e.g. the decision that moved it)"), max_length=255, required=False)
