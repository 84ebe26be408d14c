"""Reminders and escalations for indicator figures, on the commune's own rungs.

The sweep of workflow.escalation calls `figure_escalations_sweep` inside its transaction, so a
dry run rolls this back too. The same rungs, calendars and thresholds apply as for occurrences:
a figure not yet approved whose due date is `offset` working days away gets the rung's
notifications (reminders: only the most advanced one reached; escalations: each). Each is keyed
(figure, rung, recipient) in FigureNotice, so a sweep that runs twice sends nothing twice.

Who "the person" is for a figure: the unit head while nothing is submitted or while a submission
waits for review, the person who submitted it once it is returned. A rung that opens an
inspection case for an occurrence does not open one for a figure (cases are about occurrences);
the Inspection Committee is still notified.
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date

from django.db.models import Exists, OuterRef
from django.urls import reverse

from indicators.models import OPEN_FIGURE_STATUSES, FigureNotice, FigureStatus, IndicatorFigure
from indicators.periods import period_label
from notifications.services import NotificationDraft, notifications_record
from roles.models import Commune, User
from workflow.recipients import RungRecipients

_MESSAGES = {"due": "figure_due_today"}


def _message_key(rung: dict) -> str:
    if rung["key"] in _MESSAGES:
        return _MESSAGES[rung["key"]]
    return "figure_overdue" if rung["offset"] > 0 else "figure_due_soon"


def _due_figures(*, rung: dict, limit: date, later: date | None, communes: dict) -> list[dict]:
    already = FigureNotice.objects.filter(figure=OuterRef("pk"), rung=rung["key"])
    from workflow.escalation import step_window

    queryset = step_window(queryset=IndicatorFigure.objects.filter(status__in=OPEN_FIGURE_STATUSES), limit=limit,
                           later=later, communes=communes)
    return list(queryset.filter(~Exists(already)).values(
        "pk", "commune_id", "unit_id", "status", "due_on", "submitted_by_id", "plan_id", "period_key",
        "indicator_id", "indicator__name", "indicator__directing_post_id", "unit__name"))


def _person(figure: dict) -> int | None:
    """Whoever submitted a returned figure; otherwise nobody (the unit head answers)."""
    return figure["submitted_by_id"] if figure["status"] == FigureStatus.RETURNED else None


def _notices_claim(*, rung: dict, figures: list[dict], recipients: RungRecipients) -> list[tuple[FigureNotice, str]]:
    """Insert the (figure, rung, recipient) keys; return only the new ones, each with who they are."""
    batch = uuid.uuid4()
    rows, roles = [], {}
    for figure in figures:
        for who in rung["to"]:
            for person_id in recipients.of(row=figure, who=who, person=_person(figure)):
                if (figure["pk"], person_id) not in roles:
                    roles[(figure["pk"], person_id)] = who
                    rows.append(FigureNotice(figure_id=figure["pk"], rung=rung["key"], recipient_id=person_id,
                                             batch=batch))
    FigureNotice.objects.bulk_create(rows, ignore_conflicts=True)
    created = FigureNotice.objects.filter(batch=batch).order_by("pk")
    return [(notice, roles[(notice.figure_id, notice.recipient_id)]) for notice in created]


def _record(*, rung: dict, claimed: list[tuple[FigureNotice, str]], by_pk: dict[int, dict]) -> list:
    drafts = []
    for notice, _who in claimed:
        figure = by_pk[notice.figure_id]
        drafts.append(NotificationDraft(
            recipient=User(pk=notice.recipient_id), commune=Commune(pk=figure["commune_id"]), rung=rung["key"],
            kind="escalation" if rung["offset"] > 0 else "reminder", message_key=_message_key(rung),
            params={"indicator": figure["indicator__name"][:200], "unit": figure["unit__name"],
                    "period": period_label(key=figure["period_key"]), "period_key": figure["period_key"],
                    "due_on": figure["due_on"].isoformat()},
            url=reverse("figure_detail", args=[figure["pk"]])))
    # Figures have no occurrence, so notifications_record keys nothing: FigureNotice did. Rows come
    # back in insertion order, which is the drafts' order.
    recorded = notifications_record(rows=drafts)
    for (notice, _who), notification in zip(claimed, recorded, strict=True):
        notice.notification = notification
    FigureNotice.objects.bulk_update([notice for notice, _who in claimed], ["notification"])
    return recorded


def _escalations_audit(*, rung: dict, claimed: list[tuple[FigureNotice, str]], by_pk: dict[int, dict]) -> None:
    from audit.services import AuditDraft, audit_record_many
    from roles.models import Unit

    told: dict[int, list[str]] = defaultdict(list)
    for notice, who in claimed:
        if who not in told[notice.figure_id]:
            told[notice.figure_id].append(who)
    audit_record_many(drafts=[
        AuditDraft(kind="escalated", object_type="figure", object_id=pk, commune_id=by_pk[pk]["commune_id"],
                   unit=Unit(pk=by_pk[pk]["unit_id"], name=by_pk[pk]["unit__name"]), plan_id=by_pk[pk]["plan_id"],
                   period_key=by_pk[pk]["period_key"],
                   detail={"rung": rung["key"], "offset": rung["offset"], "to": who_list,
                           "indicator_id": by_pk[pk]["indicator_id"], "due_on": by_pk[pk]["due_on"].isoformat()})
        for pk, who_list in told.items()
    ])


def figure_escalations_sweep(*, today: date, report) -> None:
    """Record and queue every figure reminder and escalation owed (the figures themselves are created
    ahead of time by the indicators.figures_generate job).

    `report` is the occurrence sweep's SweepReport: figure notifications are counted under
    "figure_<rung>" and their immediate emails with the rest.
    """
    from workflow.escalation import DIGEST_ONLY, _emails_queue, sweep_steps_get

    for rung, limit, later, communes in sweep_steps_get(today=today):
        figures = _due_figures(rung=rung, limit=limit, later=later, communes=communes)
        if not figures:
            continue
        by_pk = {figure["pk"]: figure for figure in figures}
        recipients = RungRecipients(rows=figures, today=today, directing_key="indicator__directing_post_id")
        claimed = _notices_claim(rung=rung, figures=figures, recipients=recipients)
        if not claimed:
            continue
        recorded = _record(rung=rung, claimed=claimed, by_pk=by_pk)
        key = f"figure_{rung['key']}"
        report.per_rung[key] = report.per_rung.get(key, 0) + len(recorded)
        immediate = [n for n, (_notice, who) in zip(recorded, claimed, strict=True) if who not in DIGEST_ONLY]
        report.emails_queued += _emails_queue(recorded=immediate)
        if rung["offset"] > 0:
            _escalations_audit(rung=rung, claimed=claimed, by_pk=by_pk)
