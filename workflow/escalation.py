"""The reminder and escalation sweep: set-based over indexed due dates, safe to run twice.

A rung fires for an open occurrence once its due date is `offset` working days away (negative:
before it). Reminder rungs (offset <= 0) send only the most advanced one reached, so a late sweep
does not send three reminders at once; escalation rungs (offset > 0) each fire, to different
people. Each notification is recorded under (occurrence, rung, recipient): a sweep that runs
twice, or on two workers at once, records nothing twice, and the deliveries are queued in the
same transaction, sent by the worker after it commits.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from notifications.services import NotificationDraft, deliveries_queue, notifications_record
from workflow.calendar import calendar_build
from workflow.models import OPEN_STATUSES, EscalationPolicy, Occurrence, OccurrenceStatus, SweepRun, escalation_rungs_default
from workflow.recipients import RungRecipients

IMMEDIATE_EMAILS_PER_PERSON = 3  # beyond this in one sweep, the rest wait for the daily digest
_MESSAGES = {"due": "occurrence_due_today"}


@dataclass
class SweepReport:
    as_of: date
    dry_run: bool
    per_rung: dict[str, int] = field(default_factory=dict)
    emails_queued: int = 0

    def as_json(self) -> dict:
        return {"as_of": self.as_of.strftime("%d/%m/%Y"), "dry_run": self.dry_run, "per_rung": self.per_rung,
                "notifications": sum(self.per_rung.values()), "emails_queued": self.emails_queued}


def _message_key(rung: dict) -> str:
    if rung["key"] in _MESSAGES:
        return _MESSAGES[rung["key"]]
    return "occurrence_overdue" if rung["offset"] > 0 else "occurrence_due_soon"


def _policy_groups() -> list[tuple[list[dict], object, dict]]:
    """(rungs, calendar, which communes): communes with their own rungs or calendar are swept on
    their own; every other commune together, with the defaults and the national calendar."""
    from workflow.calendars import commune_calendars_get

    policies = {cid: (rungs, working) for cid, rungs, working in
                EscalationPolicy.objects.values_list("commune_id", "rungs", "counts_working_days")}
    calendars = commune_calendars_get()
    special = set(policies) | set(calendars)
    national = calendar_build()
    groups = [(escalation_rungs_default(), national, {"exclude": sorted(special)})]
    for cid in sorted(special):
        rungs, working = policies.get(cid, (escalation_rungs_default(), True))
        calendar = calendars.get(cid, national) if working else _EVERY_DAY
        groups.append((rungs, calendar, {"only": cid}))
    return groups


class _EveryDayCounts:
    """A calendar in which every day counts: for communes that set their deadlines in calendar days."""

    @staticmethod
    def working_days_add(*, start: date, days: int) -> date:
        from datetime import timedelta

        return start + timedelta(days=days)


_EVERY_DAY = _EveryDayCounts()


def _thresholds(*, rungs: list[dict], calendar, today: date) -> list[tuple[dict, date, date | None]]:
    """(rung, latest due date that reached it, due date from which a later reminder rung applies)."""
    ordered = sorted(rungs, key=lambda rung: rung["offset"])
    limits = [(rung, calendar.working_days_add(start=today, days=-rung["offset"])) for rung in ordered]
    result = []
    for index, (rung, limit) in enumerate(limits):
        later = limits[index + 1][1] if rung["offset"] <= 0 and index + 1 < len(limits) else None
        result.append((rung, limit, later))
    return result


def sweep_steps_get(*, today: date) -> list[tuple[dict, date, date | None, dict]]:
    """(rung, limit, later, which communes) for every rung owed a look today, in rung order.

    Communes whose own rules give the same thresholds today as the national ones are swept with
    the rest, and the others are swept together wherever their thresholds agree, so the number of
    queries follows the number of distinct rules, not of communes that have rules.
    """
    shared: dict[tuple, dict] = {}
    order: list[tuple] = []
    for rungs, calendar, communes in _policy_groups():
        for rung, limit, later in _thresholds(rungs=rungs, calendar=calendar, today=today):
            key = (json.dumps(rung, sort_keys=True), limit, later)
            if "exclude" in communes:
                shared[key] = {"exclude": set(communes["exclude"]), "rung": rung}
                order.append(key)
                continue
            cid = communes["only"]
            national = shared.get(key)
            if national is not None and "exclude" in national:
                national["exclude"].discard(cid)  # same thresholds today: swept with the rest
                continue
            if key not in shared:
                shared[key] = {"only": set(), "rung": rung}
                order.append(key)
            shared[key]["only"].add(cid)
    steps = []
    for key in sorted(order, key=lambda k: shared[k]["rung"]["offset"]):
        entry = shared[key]
        communes = {"exclude": sorted(entry["exclude"])} if "exclude" in entry else {"only": sorted(entry["only"])}
        steps.append((entry["rung"], key[1], key[2], communes))
    return steps


def step_window(*, queryset, limit: date, later: date | None, communes: dict):
    """Rows of a sweep step: due by `limit`, after `later` (a later reminder's start), in its communes."""
    queryset = queryset.filter(due_on__lte=limit)
    if "only" in communes:
        queryset = queryset.filter(commune_id__in=communes["only"])
    elif communes.get("exclude"):
        queryset = queryset.exclude(commune_id__in=communes["exclude"])
    if later is not None:
        queryset = queryset.filter(due_on__gt=later)
    return queryset


def _due_occurrences(*, rung: dict, limit: date, later: date | None, communes: dict) -> list[dict]:
    already = Notification.objects.filter(occurrence=OuterRef("pk"), rung=rung["key"])
    queryset = step_window(queryset=Occurrence.objects.filter(status__in=OPEN_STATUSES), limit=limit, later=later,
                           communes=communes)
    # Most overdue first: a person's few immediate emails are about the oldest work (see _emails_queue).
    return list(queryset.filter(~Exists(already)).order_by("due_on", "pk").values(
        "pk", "commune_id", "unit_id", "assignee_id", "directing_post_id", "status", "due_on",
        "task__name", "task__number", "unit__name", "task_id", "plan_id", "period_key"))


def _person(occurrence: dict) -> int | None:
    """The staff member once the work is accepted; before that, nobody (the unit head answers)."""
    accepted = occurrence["status"] != OccurrenceStatus.ASSIGNED and occurrence["assignee_id"]
    return occurrence["assignee_id"] if accepted else None


def _drafts(*, rung: dict, occurrences: list[dict],
            recipients: RungRecipients) -> list[tuple[NotificationDraft, str]]:
    from roles.models import Commune, User

    drafts = []
    for occurrence in occurrences:
        params = {"task": occurrence["task__name"][:200], "unit": occurrence["unit__name"],
                  "due_on": occurrence["due_on"].isoformat()}
        for who in rung["to"]:
            for person_id in dict.fromkeys(recipients.of(row=occurrence, who=who, person=_person(occurrence))):
                drafts.append((NotificationDraft(
                    recipient=User(pk=person_id), commune=Commune(pk=occurrence["commune_id"]),
                    occurrence=Occurrence(pk=occurrence["pk"]), rung=rung["key"], kind="escalation" if rung["offset"] > 0
                    else "reminder", message_key=_message_key(rung), params=params,
                    url=reverse("occurrence_detail", args=[occurrence["pk"]])), who))
    return drafts


DIGEST_ONLY = {"party_office"}  # the Party Office reads overdue work in its daily digest


def _emails_queue(*, recorded: list[Notification]) -> int:
    """Email at once, up to a few per person per sweep; the rest wait for the daily digest."""
    per_person: dict[int, int] = defaultdict(int)
    immediate = []
    for notification in recorded:
        if per_person[notification.recipient_id] >= IMMEDIATE_EMAILS_PER_PERSON:
            continue
        per_person[notification.recipient_id] += 1
        immediate.append(notification)
    deliveries_queue(notifications=immediate)
    # Sent one by one, so the digest gathers only the rest.
    Notification.objects.filter(pk__in=[n.pk for n in immediate]).update(digest_at=timezone.now())
    return len(immediate)


def _told(drafts: list[tuple[NotificationDraft, str]]) -> dict[int, list[str]]:
    """Who was told of each occurrence, in the rung's order."""
    told: dict[int, list[str]] = defaultdict(list)
    for draft, who in drafts:
        if who not in told[draft.occurrence.pk]:
            told[draft.occurrence.pk].append(who)
    return told


def _escalations_audit(*, rung: dict, occurrences: list[dict], told: dict[int, list[str]]) -> None:
    """An overdue rung firing is part of the occurrence's history: the "escalated" pattern inspectors search."""
    from audit.services import AuditDraft, audit_record_many
    from roles.models import Unit

    audit_record_many(drafts=[
        AuditDraft(kind="escalated", object_type="occurrence", object_id=o["pk"], commune_id=o["commune_id"],
                   unit=Unit(pk=o["unit_id"], name=o["unit__name"]), plan_id=o["plan_id"], task_id=o["task_id"],
                   occurrence_id=o["pk"], period_key=o["period_key"],
                   detail={"rung": rung["key"], "offset": rung["offset"], "to": told[o["pk"]],
                           "due_on": o["due_on"].isoformat()})
        for o in occurrences
    ])


def _rung_sweep(*, rung: dict, limit: date, later: date | None, communes: dict, today: date,
                report: SweepReport) -> None:
    report.per_rung.setdefault(rung["key"], 0)
    if connection.vendor == "postgresql":
        from workflow.escalation_pg import rung_sweep_pg

        notified, told, recorded, emails = rung_sweep_pg(
            rung=rung, limit=limit, later=later, communes=communes, today=today,
            kind="escalation" if rung["offset"] > 0 else "reminder", message_key=_message_key(rung),
            digest_only=DIGEST_ONLY, per_person=IMMEDIATE_EMAILS_PER_PERSON)
    else:
        notified, told, recorded, emails = _rung_record(rung=rung, limit=limit, later=later, communes=communes,
                                                        today=today)
    report.per_rung[rung["key"]] += recorded
    report.emails_queued += emails
    if rung["offset"] > 0:
        _escalations_audit(rung=rung, occurrences=notified, told=told)
    if rung.get("opens_case"):
        from inspection.services import inspection_cases_open

        # Only where this sweep recorded a new notification: a closed case is not reopened by the next sweep.
        inspection_cases_open(occurrences=notified, reason=rung["key"])


def _rung_record(*, rung: dict, limit: date, later: date | None, communes: dict,
                 today: date) -> tuple[list[dict], dict, int, int]:
    """The portable path (SQLite): (notified occurrences, who was told of each, notifications, emails)."""
    occurrences = _due_occurrences(rung=rung, limit=limit, later=later, communes=communes)
    if not occurrences:
        return [], {}, 0, 0
    recipients = RungRecipients(rows=occurrences, today=today, directing_key="directing_post_id")
    drafts = _drafts(rung=rung, occurrences=occurrences, recipients=recipients)
    digest = notifications_record(rows=[draft for draft, who in drafts if who in DIGEST_ONLY])
    immediate = notifications_record(rows=[draft for draft, who in drafts if who not in DIGEST_ONLY])
    emails = _emails_queue(recorded=immediate)
    notified = {notification.occurrence_id for notification in digest + immediate}
    return [o for o in occurrences if o["pk"] in notified], _told(drafts), len(digest) + len(immediate), emails


def escalations_run(*, now: datetime | None = None, dry_run: bool = False) -> SweepReport:
    """Record and queue every reminder and escalation owed as of `now`."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = SweepReport(as_of=today, dry_run=dry_run)
    with transaction.atomic():
        run = SweepRun.objects.create(as_of=now, dry_run=dry_run)
        for rung, limit, later, communes in sweep_steps_get(today=today):
            _rung_sweep(rung=rung, limit=limit, later=later, communes=communes, today=today, report=report)
        from indicators.escalation import figure_escalations_sweep  # indicator figures, on the same rungs

        figure_escalations_sweep(today=today, report=report)
        run.counts = report.as_json()
        run.finished_at = timezone.now()
        run.save(update_fields=["counts", "finished_at"])
        if dry_run:
            transaction.set_rollback(True)
        else:
            transaction.on_commit(_deliveries_send_later)
    return report


def _deliveries_send_later() -> None:
    from kombu.exceptions import OperationalError as BrokerUnavailable

    from notifications.jobs import deliveries_send_job

    try:
        deliveries_send_job.delay("email")
    except BrokerUnavailable:
        # The deliveries are committed: beat's every-minute deliveries_send sends them once the broker
        # is back (issue 8). Failing here would report a sweep that did its work as failed.
        import logging

        logging.getLogger(__name__).warning("Broker unavailable; the deliveries wait for the next scheduled send.")
