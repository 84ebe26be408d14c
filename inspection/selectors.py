"""Reads for inspection cases: the list and the case page, each in a fixed number of queries."""
from __future__ import annotations

from audit.selectors import case_events_get, occurrence_events_get
from inspection.models import InspectionCase
from roles.models import User
from roles.policy import cases_visible


def cases_list(*, user: User) -> list[InspectionCase]:
    queryset = InspectionCase.objects.select_related("occurrence__task", "occurrence__unit", "commune")
    return list(cases_visible(user=user, queryset=queryset).order_by("-opened_at", "-pk")[:500])


def case_page_get(*, case_id: int) -> dict:
    case = InspectionCase.objects.select_related(
        "commune", "closed_by", "occurrence__task", "occurrence__unit", "occurrence__assignee").get(pk=case_id)
    occurrence = case.occurrence
    return {
        "case": case,
        "occurrence": occurrence,
        "occurrence_events": occurrence_events_get(occurrence_id=occurrence.pk),
        "outputs": list(occurrence.outputs.prefetch_related("files", "reviews__reviewer").select_related(
            "submitted_by").order_by("-version")),
        "explanations": list(case.explanations.select_related("requested_by", "answered_by")
                             .order_by("requested_at", "pk")),
        "case_events": case_events_get(case_id=case.pk),
    }
