"""The workspace's search form: every choice limited to the commune, so no filter reaches another's history."""
from __future__ import annotations

import re

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from audit.workspace import EVENT_KINDS, PATTERNS, SHOW_EVENTS, SHOW_OCCURRENCES, WorkspaceFilters
from roles.models import Commune, Post, Unit, User
from tasks.models import Plan, Task

_PERIOD = re.compile(r"once|\d{4}(-(Q[1-4]|H[12]|0[1-9]|1[0-2]))?")
_DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} ({obj.username})" if obj.full_name else obj.username


class _TaskChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)[:90]


class WorkspaceFilterForm(forms.Form):
    show = forms.ChoiceField(label=_("Show"), required=False, initial=SHOW_OCCURRENCES, choices=[
        (SHOW_OCCURRENCES, _("tasks (each with its timeline)")), (SHOW_EVENTS, _("events"))])
    pattern = forms.ChoiceField(label=_("Pattern"), required=False, choices=[("", "—"), *PATTERNS.items()])
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    person = _PersonChoice(label=_("Person"), queryset=User.objects.none(), required=False)
    post = forms.ModelChoiceField(label=_("Post"), queryset=Post.objects.none(), required=False)
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=Plan.objects.none(), required=False)
    task = _TaskChoice(label=_("Task"), queryset=Task.objects.none(), required=False)
    occurrence = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    period = forms.CharField(label=_("Period (2025, 2025-Q3, 2025-H1, 2025-09 or once)"), required=False,
                             max_length=16)
    date_from = forms.DateField(label=_("From (dd/mm/yyyy)"), required=False, input_formats=_DATE_FORMATS,
                                widget=forms.DateInput(format="%d/%m/%Y"))
    date_to = forms.DateField(label=_("Until (dd/mm/yyyy)"), required=False, input_formats=_DATE_FORMATS,
                              widget=forms.DateInput(format="%d/%m/%Y"))
    kind = forms.ChoiceField(label=_("Kind of event"), required=False, choices=[("", "—"), *EVENT_KINDS.items()])

    def __init__(self, *args, commune: Commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(commune=commune).order_by("name")
        acted = AuditEvent.objects.filter(chain=commune.pk, actor_id=OuterRef("pk"))
        self.fields["person"].queryset = User.objects.filter(  # the same people as a person's timeline accepts
            Q(commune=commune) | Q(role_grants__commune=commune) | Q(Exists(acted))).distinct().order_by(
            "full_name", "username")
        self.fields["post"].queryset = Post.objects.filter(commune=commune).order_by("title")
        self.fields["plan"].queryset = Plan.objects.filter(commune=commune).order_by("-imported_at")
        self.fields["task"].queryset = Task.objects.filter(plan__commune=commune).order_by("plan_id", "position")

    def clean_period(self) -> str:
        period = self.cleaned_data["period"].strip()
        if period and not _PERIOD.fullmatch(period):
            raise forms.ValidationError(_("Write the period as 2025, 2025-Q3, 2025-H1, 2025-09 or once."))
        return period

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The first date must not be after the second."))
        return cleaned

    def filters(self) -> WorkspaceFilters:
        data = self.cleaned_data

        def pk(name):
            return data[name].pk if data.get(name) is not None else None

        return WorkspaceFilters(
            unit_id=pk("unit"), person_id=pk("person"), post_id=pk("post"), plan_id=pk("plan"), task_id=pk("task"),
            occurrence_id=data.get("occurrence"), period_key=data.get("period", ""), date_from=data.get("date_from"),
            date_to=data.get("date_to"), kind=data.get("kind", ""), pattern=data.get("pattern", ""))

    def shown(self) -> str:
        return self.cleaned_data.get("show") or SHOW_OCCURRENCES


def filters_query(*, filters: WorkspaceFilters, show: str) -> list[tuple[str, str]]:
    """The search as the form's (name, value) pairs: the hidden fields of an export, the links to the next page."""
    pairs = [("show", show)]
    for field, name in (("pattern", "pattern"), ("unit_id", "unit"), ("person_id", "person"), ("post_id", "post"),
                        ("plan_id", "plan"), ("task_id", "task"), ("occurrence_id", "occurrence"),
                        ("period_key", "period"), ("kind", "kind")):
        value = getattr(filters, field)
        if value:
            pairs.append((name, str(value)))
    for field in ("date_from", "date_to"):
        value = getattr(filters, field)
        if value:
            pairs.append((field, value.strftime("%d/%m/%Y")))
    return pairs
