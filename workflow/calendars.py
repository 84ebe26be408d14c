"""Each commune's working-day calendar: Viet Nam's holidays plus the commune's own overrides."""
from __future__ import annotations

from workflow.calendar import WorkingCalendar, calendar_build
from workflow.models import CalendarOverride


def commune_calendars_get(*, commune_ids: set[int] | None = None) -> dict[int, WorkingCalendar]:
    """The calendars of communes that have overrides (one query); others use the national one."""
    overrides = CalendarOverride.objects.all()
    if commune_ids is not None:
        overrides = overrides.filter(commune_id__in=commune_ids)
    days: dict[int, tuple[set, set]] = {}
    for commune_id, day, working in overrides.values_list("commune_id", "day", "is_working_day"):
        off, on = days.setdefault(commune_id, (set(), set()))
        (on if working else off).add(day)
    return {cid: calendar_build(extra_days_off=off, extra_working_days=on) for cid, (off, on) in days.items()}


def commune_calendar_get(*, commune_id: int) -> WorkingCalendar:
    return commune_calendars_get(commune_ids={commune_id}).get(commune_id) or calendar_build()
