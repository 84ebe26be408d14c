"""A person's deadlines as an iCalendar feed: one all-day event per open step waiting for them.

The steps are exactly those of "My work" (workflow.selectors.my_work_get), so the calendar and
the page never disagree. UIDs are stable per occurrence and step, so a calendar app updates an
event in place when a due date moves, and drops it once the step is done.
"""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from icalendar import Calendar, Event

from api.serializers import web_url
from roles.models import User
from workflow.selectors import my_work_get
from workflow.templatetags.occurrences import period_label


def _step_label(step: str) -> str:
    # The same words as the "Your step" column of My work.
    return {
        "accept": _("Accept and assign"), "submit": _("Submit the output"), "review": _("Review the output"),
        "directing_review": _("Approve as directing comrade"), "decide_extension": _("Decide an extension"),
        "contribute": _("Contribute"),
    }.get(step, step)


def _uid_domain() -> str:
    return settings.SAURO_BASE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "sauro"


def calendar_build(*, person: User, language: str = "vi") -> bytes:
    """The feed of `person`'s open steps, in `language` (calendar apps send no language of their own)."""
    with override(language):
        work = my_work_get(user=person)
        calendar = Calendar()
        calendar.add("prodid", "-//Sau Ro//Deadlines//VI")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", _("Deadlines of %(person)s") % {"person": person})
        calendar.add("x-wr-timezone", settings.TIME_ZONE)
        now = timezone.now()
        domain = _uid_domain()
        for row in work["rows"]:
            event = Event()
            event.add("uid", f"occurrence-{row.pk}-{row.my_step}@{domain}")
            event.add("dtstamp", now)
            event.add("dtstart", row.due_on)
            event.add("dtend", row.due_on + timedelta(days=1))
            event.add("summary", row.task.name)
            event.add("description", "\n".join([
                _("Your step: %(step)s") % {"step": _step_label(row.my_step)},
                _("Unit: %(unit)s") % {"unit": row.unit.name},
                _("Period: %(period)s") % {"period": period_label(row.period_key)},
                _("Plan: %(plan)s") % {"plan": row.plan},
                _("Due on %(date)s") % {"date": row.due_on.strftime("%d/%m/%Y")},
            ]))
            event.add("url", web_url(name="occurrence_detail", pk=row.pk))
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
        return calendar.to_ical()
