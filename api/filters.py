"""Query parameters of the lists: checked here, so a wrong value is refused with a sentence saying why.

The same serializers describe the parameters in the OpenAPI schema.
"""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers

from tasks.models import PlanStatus
from workflow.models import OccurrenceStatus

BIGINT_MAX = 2**63 - 1
OPEN = "open"


class _IdField(serializers.IntegerField):
    def to_internal_value(self, data):
        text = str(data)
        if len(text) <= self.MAX_STRING_LENGTH and not self.re_decimal.sub("", text).lstrip("-").isdigit():
            self.fail("invalid", input=text[:50])  # DRF's own message does not say what it was given
        return super().to_internal_value(data)


def _id_field(*, help_text: str) -> serializers.IntegerField:
    return _IdField(
        required=False, min_value=1, max_value=BIGINT_MAX, help_text=help_text,
        error_messages={
            "invalid": _("Must be a whole number (an id), not “{input}”."),
            "min_value": _("Ids start at {min_value}."),
            "max_value": _("No id is that large."),
            "max_string_length": _("No id is that large."),
        },
    )


def _date_field(*, help_text: str) -> serializers.DateField:
    return serializers.DateField(
        required=False, input_formats=["%Y-%m-%d"], help_text=help_text,
        error_messages={"invalid": _("Write the date as YYYY-MM-DD, for example 2026-03-31.")},
    )


def _bool_field(*, help_text: str) -> serializers.BooleanField:
    # A missing boolean stays missing (DRF would read it as false), so "not given" filters nothing.
    return serializers.BooleanField(required=False, default=None, allow_null=True, help_text=help_text,
                                    error_messages={"invalid": _("Write true or false.")})


class _QueryParams(serializers.Serializer):
    def to_internal_value(self, data):
        # Only the parameters a caller actually gave; the rest stays unset.
        return super().to_internal_value({key: data.get(key) for key in data if key in self.fields})


class PlanFilters(_QueryParams):
    status = serializers.ChoiceField(
        choices=PlanStatus.choices, required=False, help_text="draft (imported, not yet active) or active.",
        error_messages={"invalid_choice": _("Unknown status “{input}”: use draft or active.")})


def _occurrence_statuses() -> list[tuple[str, str]]:
    return [(OPEN, _("Any open status")), *OccurrenceStatus.choices]


class OccurrenceFilters(_QueryParams):
    status = serializers.ChoiceField(
        choices=_occurrence_statuses(), required=False,
        help_text="One status, or 'open' for any status that still waits for someone.",
        error_messages={"invalid_choice": _("Unknown status “{input}”: use open, assigned, in_progress, "
                                            "submitted, returned, awaiting_directing, done or cancelled.")})
    unit = _id_field(help_text="Only this lead unit's occurrences (a unit id).")
    plan = _id_field(help_text="Only this plan's occurrences (a plan id).")
    due_before = _date_field(help_text="Due on or before this day (YYYY-MM-DD).")
    due_after = _date_field(help_text="Due on or after this day (YYYY-MM-DD).")
    overdue = _bool_field(help_text="true: open and past the due date today; false: everything else.")

    def validate(self, attrs):
        before, after = attrs.get("due_before"), attrs.get("due_after")
        if before and after and after > before:
            raise exceptions.ValidationError({"due_after": [_("due_after is later than due_before: nothing can be "
                                                              "due between them.")]})
        return attrs


class NotificationFilters(_QueryParams):
    unread = _bool_field(help_text="true: only unread notifications; false: only read ones.")


def query_params_parse(*, serializer_class, params) -> dict:
    """The checked parameters; a wrong one raises ValidationError (400) naming each."""
    serializer = serializer_class(data=params)
    serializer.is_valid(raise_exception=True)
    return {key: value for key, value in serializer.validated_data.items() if value is not None}
