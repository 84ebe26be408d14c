"""Writes for occurrences: activation, generation and every step of the flow.

Each function checks the access policy, changes state and writes its event in one transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.acting import acting_post_get
from audit.models import AuditEvent
from audit.services import AuditDraft, audit_record, audit_record_many
from roles.models import Post, User
from roles.policy import Action, OccurrenceAction, commune_allows, occurrence_allows
from tasks.models import OutputKind, Plan, PlanStatus, Task
from tasks.parsing.timeline import timeline_due_dates, timeline_from_dict
from workflow.calendar import calendar_build
from workflow.engine import flow_task_cancel, flow_task_complete, flow_task_give, open_flow_task, processes_bulk_start
from workflow.flows import OccurrenceFlow
from workflow.models import (
    Contribution, ContributionStatus, ExtensionRequest, ExtensionStatus, Occurrence, OccurrenceStatus, Output,
    Review, ReviewDecision, ReviewLevel,
)

GENERATION_HORIZON_DAYS = 45
_RECURRING = {"annual", "monthly", "quarterly", "semiannual", "ongoing", "open_ended"}


def _require(*, user: User, action: OccurrenceAction, occurrence: Occurrence) -> None:
    if not occurrence_allows(user=user, action=action, occurrence=occurrence):
        raise PermissionDenied


def _require_status(occurrence: Occurrence, *statuses: str) -> None:
    if occurrence.status not in statuses:
        raise ValidationError(_("This step is not open: the task is “%(status)s”.")
                              % {"status": occurrence.get_status_display()})


def occurrence_draft(*, occurrence: Occurrence, actor: User | None, kind: str, before: dict | None = None,
                     after: dict | None = None, reason: str = "", post=None, **detail) -> AuditDraft:
    """An audit event about an occurrence; `detail` is what the timeline shows beside before and after."""
    if post is None:
        post = acting_post_get(actor=actor, unit_id=occurrence.unit_id, directing_post_id=occurrence.directing_post_id)
    return AuditDraft(
        kind=kind, object_type="occurrence", object_id=occurrence.pk, commune_id=occurrence.commune_id, actor=actor,
        post=post, unit=occurrence.unit, plan_id=occurrence.plan_id, task_id=occurrence.task_id,
        occurrence_id=occurrence.pk, period_key=occurrence.period_key, before=before or {}, after=after or {},
        detail=detail, reason=reason,
    )


def event_record(**fields) -> AuditEvent:
    return audit_record_many(drafts=[occurrence_draft(**fields)])[0]


def _locked(occurrence: Occurrence) -> Occurrence:
    return Occurrence.objects.select_for_update().select_related("task", "unit").get(pk=occurrence.pk)


# Generation


def period_key_for(*, kind: str, due: date) -> str:
    if kind in ("annual", "open_ended"):
        return f"{due.year}"
    if kind in ("quarterly", "ongoing"):
        return f"{due.year}-Q{(due.month - 1) // 3 + 1}"
    if kind == "semiannual":
        return f"{due.year}-H{1 if due.month <= 6 else 2}"
    if kind == "monthly":
        return f"{due.year}-{due.month:02d}"
    return "once"


def task_due_periods(*, task: Task, calendar, today: date, horizon_days: int) -> list[tuple[str, date]]:
    """The (period, due date) pairs to exist by `today`: a one-off's date, else the next due and those near."""
    kind = (task.timeline or {}).get("kind", "unreadable")
    if kind == "once":
        return [("once", task.first_due_on)] if task.first_due_on else []
    if kind not in _RECURRING:
        return []
    timeline = timeline_from_dict(data=task.timeline)
    dates = set(timeline_due_dates(timeline=timeline, calendar=calendar, start=today,
                                   end=today + timedelta(days=horizon_days)))
    upcoming = timeline_due_dates(timeline=timeline, calendar=calendar, start=today, end=today + timedelta(days=400))
    if upcoming:
        dates.add(upcoming[0])
    return sorted((period_key_for(kind=kind, due=due), due) for due in dates)


def _needs_directing(task: Task) -> bool:
    if task.directing_post_id is None:
        return False
    if task.needs_directing_approval is not None:
        return task.needs_directing_approval
    return task.output_kind in (task.plan.commune.directing_approval_kinds or [])


def occurrences_generate(*, today: date | None = None, plan_ids: list[int] | None = None,
                         horizon_days: int = GENERATION_HORIZON_DAYS) -> int:
    """Create the occurrences now owed for active plans and start their processes.

    Safe to run twice or on two workers at once: the (task, unit, period) key lets a row exist
    once, and processes start only for occurrences this run claims (SKIP LOCKED).
    """
    from workflow.calendars import commune_calendars_get

    today = today or timezone.localdate()
    national = calendar_build()
    plans = Plan.objects.filter(status=PlanStatus.ACTIVE)
    if plan_ids is not None:
        plans = plans.filter(pk__in=plan_ids)
    tasks = Task.objects.filter(plan__in=plans).select_related("plan__commune").prefetch_related("lead_units")
    calendars = commune_calendars_get(commune_ids=set(plans.values_list("commune_id", flat=True)))
    rows = []
    for task in tasks:
        calendar = calendars.get(task.plan.commune_id, national)
        for period, due in task_due_periods(task=task, calendar=calendar, today=today, horizon_days=horizon_days):
            for unit in task.lead_units.all():
                rows.append(Occurrence(
                    commune_id=task.plan.commune_id, plan_id=task.plan_id, task=task, unit=unit, period_key=period,
                    due_on=due, original_due_on=due, directing_post_id=task.directing_post_id,
                    needs_directing_approval=_needs_directing(task),
                ))
    with transaction.atomic():
        Occurrence.objects.bulk_create(rows, ignore_conflicts=True)
        return _processes_start_unclaimed(plans=plans)


def _processes_start_unclaimed(*, plans) -> int:
    claimed = list(
        Occurrence.objects.select_for_update(skip_locked=True)
        .filter(plan__in=plans, process__isnull=True, status=OccurrenceStatus.ASSIGNED)
        .select_related("unit").order_by("pk")
    )
    if not claimed:
        return 0
    supporting = Task.supporting_units.through.objects.filter(task_id__in={o.task_id for o in claimed})
    supporters: dict[int, list[int]] = {}
    for link in supporting:
        supporters.setdefault(link.task_id, []).append(link.unit_id)
    contributions = Contribution.objects.bulk_create([
        Contribution(occurrence=occ, unit_id=unit_id)
        for occ in claimed for unit_id in supporters.get(occ.task_id, []) if unit_id != occ.unit_id
    ])
    by_occurrence: dict[int, list[Contribution]] = {}
    for contribution in contributions:
        by_occurrence.setdefault(contribution.occurrence_id, []).append(contribution)
    processes_bulk_start(occurrences=claimed, contributions_by_occurrence=by_occurrence)
    audit_record_many(drafts=[
        AuditDraft(kind="created", object_type="occurrence", object_id=occ.pk, commune_id=occ.commune_id,
                   unit=occ.unit, plan_id=occ.plan_id, task_id=occ.task_id, occurrence_id=occ.pk,
                   period_key=occ.period_key, after={"status": occ.status, "due_on": occ.due_on},
                   detail={"due_on": occ.due_on.isoformat()})
        for occ in claimed
    ])
    return len(claimed)


@dataclass(frozen=True)
class PlanActivation:
    plan: Plan
    occurrences: int


def plan_activate(*, plan: Plan, actor: User | None, today: date | None = None) -> PlanActivation:
    """Activate a plan; `actor` None is the command line, run by whoever operates the server."""
    if actor is not None and not commune_allows(user=actor, action=Action.ACTIVATE_PLAN, commune=plan.commune):
        raise PermissionDenied
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        before = plan.status
        plan.status = PlanStatus.ACTIVE
        plan.save(update_fields=["status"])
        created = occurrences_generate(today=today, plan_ids=[plan.pk])
        audit_record(kind="activated", object_type="plan", object_id=plan.pk, commune_id=plan.commune_id,
                     actor=actor, post=acting_post_get(actor=actor), plan_id=plan.pk,
                     before={"status": before}, after={"status": plan.status}, detail={"occurrences": created})
    return PlanActivation(plan=plan, occurrences=created)


# The flow's steps


def occurrence_accept(*, occurrence: Occurrence, actor: User, assignee: User) -> Occurrence:
    from roles.policy import unit_staff

    with transaction.atomic():
        occurrence = _locked(occurrence)
        _require(user=actor, action=OccurrenceAction.ACCEPT, occurrence=occurrence)
        _require_status(occurrence, OccurrenceStatus.ASSIGNED)
        if not unit_staff(unit_id=occurrence.unit_id).filter(pk=assignee.pk).exists():
            raise ValidationError(_("%(person)s is not a member of %(unit)s.")
                                  % {"person": assignee, "unit": occurrence.unit})
        flow_task_complete(task=open_flow_task(process_id=occurrence.process_id, node=OccurrenceFlow.accept),
                           actor=actor)
        flow_task_give(process_id=occurrence.process_id, node=OccurrenceFlow.work, owner=assignee)
        occurrence.assignee = assignee
        occurrence.status = OccurrenceStatus.IN_PROGRESS
        occurrence.accepted_at = timezone.now()
        occurrence.save(update_fields=["assignee", "status", "accepted_at"])
        event_record(occurrence=occurrence, actor=actor, kind="accepted", assignee=str(assignee),
                     assignee_id=assignee.pk, before={"status": OccurrenceStatus.ASSIGNED, "assignee": None},
                     after={"status": occurrence.status, "assignee": assignee.pk})
    return occurrence


@dataclass(frozen=True)
class OutputDocument:
    kind: str
    number_symbol: str = ""
    document_date: date | None = None
    signer: str = ""
    note: str = ""


_DOCUMENT_KINDS = {OutputKind.DECISION, OutputKind.PLAN, OutputKind.REPORT, OutputKind.DOCUMENT}


def _document_check(*, occurrence: Occurrence, document: OutputDocument, files: list) -> None:
    required = occurrence.task.output_kind
    if required in (OutputKind.DECISION, OutputKind.PLAN, OutputKind.REPORT, OutputKind.DATA) and document.kind != required:
        raise ValidationError(_("This task requires a %(required)s, not a %(given)s.") % {
            "required": OutputKind(required).label, "given": OutputKind(document.kind).label})
    if document.kind in _DOCUMENT_KINDS and not (document.number_symbol and document.document_date and document.signer):
        raise ValidationError(_("A decision, plan, report or official document needs its number and symbol, "
                                "its date and its signer."))
    if not files:
        raise ValidationError(_("Attach the signed document (or the evidence for the figures)."))


def output_submit(*, occurrence: Occurrence, actor: User, document: OutputDocument, files: list) -> Output:
    """Submit the output; `files` are (name, bytes) pairs, checked by content before anything is stored."""
    from workflow.storage import files_store

    with transaction.atomic():
        occurrence = _locked(occurrence)
        _require(user=actor, action=OccurrenceAction.SUBMIT, occurrence=occurrence)
        _require_status(occurrence, OccurrenceStatus.IN_PROGRESS, OccurrenceStatus.RETURNED)
        status_before = occurrence.status
        _document_check(occurrence=occurrence, document=document, files=files)
        version = occurrence.outputs.count() + 1
        output = Output.objects.create(
            occurrence=occurrence, version=version, kind=document.kind, number_symbol=document.number_symbol,
            document_date=document.document_date, signer=document.signer, note=document.note, submitted_by=actor,
        )
        files_store(files=files, uploaded_by=actor, output=output)
        flow_task_complete(task=open_flow_task(process_id=occurrence.process_id, node=OccurrenceFlow.work),
                           actor=actor)
        occurrence.status = OccurrenceStatus.SUBMITTED
        occurrence.submitted_at = timezone.now()
        occurrence.save(update_fields=["status", "submitted_at"])
        event_record(occurrence=occurrence, actor=actor, kind="submitted", version=version,
                     number_symbol=document.number_symbol, output_id=output.pk,
                     files=[{"name": f.original_name, "sha256": f.sha256} for f in output.files.all()],
                     before={"status": status_before}, after={"status": occurrence.status})
    return output


def _late_contributions_close(occurrence: Occurrence) -> list[str]:
    """Close contributions never made: the lead unit went on without them, and the record says so."""
    from viewflow.workflow.models import Task as FlowTask

    from workflow.engine import OPEN_TASK_STATUSES

    missing = list(occurrence.contributions.filter(status=ContributionStatus.REQUESTED).select_related("unit"))
    for contribution in missing:
        task = FlowTask.objects.filter(pk=contribution.flow_task_id, status__in=OPEN_TASK_STATUSES).first()
        if task is not None:
            flow_task_cancel(task=task)
        contribution.status = ContributionStatus.NOT_RECEIVED
        contribution.save(update_fields=["status"])
    return [contribution.unit.name for contribution in missing]


def _finish(occurrence: Occurrence, actor: User) -> None:
    today = timezone.localdate()
    occurrence.status = OccurrenceStatus.DONE
    occurrence.finished_at = timezone.now()
    occurrence.finished_on = today
    occurrence.finished_on_time = today <= occurrence.original_due_on
    occurrence.save(update_fields=["status", "finished_at", "finished_on", "finished_on_time", "went_on_without"])
    event_record(occurrence=occurrence, actor=actor, kind="done", on_time=occurrence.finished_on_time,
                 went_on_without=occurrence.went_on_without, after={"status": occurrence.status,
                                                                    "finished_on": occurrence.finished_on})


def output_review(*, occurrence: Occurrence, actor: User, approve: bool, reason: str = "") -> Occurrence:
    """The unit head's or the directing comrade's decision on the latest output."""
    from roles.policy import held_post_ids

    with transaction.atomic():
        occurrence = _locked(occurrence)
        level = ReviewLevel.DIRECTING if occurrence.status == OccurrenceStatus.AWAITING_DIRECTING else ReviewLevel.UNIT_HEAD
        action = OccurrenceAction.DIRECTING_REVIEW if level == ReviewLevel.DIRECTING else OccurrenceAction.REVIEW
        _require(user=actor, action=action, occurrence=occurrence)
        _require_status(occurrence, OccurrenceStatus.SUBMITTED, OccurrenceStatus.AWAITING_DIRECTING)
        if not approve and not reason.strip():
            raise ValidationError(_("Say why the output is returned."))
        output = occurrence.outputs.order_by("-version").first()
        post_id = (occurrence.directing_post_id if level == ReviewLevel.DIRECTING
                   else occurrence.unit.posts.filter(is_unit_head=True).values_list("pk", flat=True).first())
        Review.objects.create(output=output, level=level, reviewer=actor,
                              reviewer_post_id=post_id if post_id in held_post_ids(user=actor) else None,
                              decision=ReviewDecision.APPROVED if approve else ReviewDecision.RETURNED, reason=reason)
        node = OccurrenceFlow.directing_review if level == ReviewLevel.DIRECTING else OccurrenceFlow.review
        final = approve and (level == ReviewLevel.DIRECTING or not occurrence.needs_directing_approval)
        if final:
            occurrence.went_on_without = _late_contributions_close(occurrence)
        flow_task_complete(task=open_flow_task(process_id=occurrence.process_id, node=node), actor=actor,
                           decision="approved" if approve else "returned")
        event_record(occurrence=occurrence, actor=actor, kind="approved" if approve else "returned",
                     level=level, version=output.version, reason=reason,
                     post=Post.objects.filter(pk=post_id).first() if post_id else None,
                     before={"status": occurrence.status, "return_count": occurrence.return_count},
                     after={"status": OccurrenceStatus.RETURNED if not approve else (
                         OccurrenceStatus.DONE if final else OccurrenceStatus.AWAITING_DIRECTING),
                         "return_count": occurrence.return_count + (0 if approve else 1)})
        if not approve:
            occurrence.return_count += 1
            occurrence.status = OccurrenceStatus.RETURNED
            occurrence.save(update_fields=["return_count", "status"])
            flow_task_give(process_id=occurrence.process_id, node=OccurrenceFlow.work, owner=occurrence.assignee)
        elif final:
            _finish(occurrence, actor)
        else:
            occurrence.status = OccurrenceStatus.AWAITING_DIRECTING
            occurrence.save(update_fields=["status"])
    return occurrence


def contribution_submit(*, contribution: Contribution, actor: User, text: str, files: list) -> Contribution:
    from roles.policy import member_unit_ids
    from workflow.storage import files_store

    occurrence = contribution.occurrence
    if contribution.unit_id not in member_unit_ids(user=actor):
        raise PermissionDenied
    with transaction.atomic():
        contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
        if contribution.status != ContributionStatus.REQUESTED or not occurrence.is_open:
            raise ValidationError(_("This contribution is closed."))
        if not text.strip() and not files:
            raise ValidationError(_("Write the contribution or attach a file."))
        contribution.text = text
        contribution.status = ContributionStatus.SUBMITTED
        contribution.submitted_by = actor
        contribution.submitted_at = timezone.now()
        contribution.save()
        files_store(files=files, uploaded_by=actor, contribution=contribution)
        from viewflow.workflow.models import Task as FlowTask

        flow_task_complete(task=FlowTask.objects.get(pk=contribution.flow_task_id), actor=actor)
        event_record(occurrence=occurrence, actor=actor, kind="contributed", unit_name=contribution.unit.name,
                     contribution_id=contribution.pk, before={"contribution": ContributionStatus.REQUESTED},
                     after={"contribution": ContributionStatus.SUBMITTED},
                     post=acting_post_get(actor=actor, unit_id=contribution.unit_id))
    return contribution


def extension_request(*, occurrence: Occurrence, actor: User, requested_due_on: date, reason: str) -> ExtensionRequest:
    with transaction.atomic():
        occurrence = _locked(occurrence)
        _require(user=actor, action=OccurrenceAction.REQUEST_EXTENSION, occurrence=occurrence)
        if not occurrence.is_open:
            raise ValidationError(_("A finished task cannot be extended."))
        if requested_due_on <= occurrence.due_on:
            raise ValidationError(_("The new due date must be after the current one (%(due)s).")
                                  % {"due": occurrence.due_on.strftime("%d/%m/%Y")})
        if not reason.strip():
            raise ValidationError(_("Give the reason for the extension."))
        if occurrence.extension_requests.filter(status=ExtensionStatus.PENDING).exists():
            raise ValidationError(_("An extension request is already waiting for a decision."))
        request = ExtensionRequest.objects.create(occurrence=occurrence, requested_by=actor,
                                                  current_due_on=occurrence.due_on,
                                                  requested_due_on=requested_due_on, reason=reason)
        event_record(occurrence=occurrence, actor=actor, kind="extension_requested",
                     requested_due_on=requested_due_on.isoformat(), reason=reason, extension_id=request.pk)
    return request


def extension_decide(*, extension: ExtensionRequest, actor: User, approve: bool, reason: str = "") -> ExtensionRequest:
    with transaction.atomic():
        occurrence = _locked(extension.occurrence)
        _require(user=actor, action=OccurrenceAction.DECIDE_EXTENSION, occurrence=occurrence)
        extension = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
        if extension.status != ExtensionStatus.PENDING:
            raise ValidationError(_("This request has already been decided."))
        extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
        extension.decided_by, extension.decided_at, extension.decision_reason = actor, timezone.now(), reason
        extension.save()
        due_before, count_before = occurrence.due_on, occurrence.extension_count
        if approve:
            # The original due date stays: "on time" is always measured against it.
            occurrence.due_on = extension.requested_due_on
            occurrence.extension_count += 1
            occurrence.save(update_fields=["due_on", "extension_count"])
        event_record(occurrence=occurrence, actor=actor,
                     kind="extension_approved" if approve else "extension_refused",
                     due_on=occurrence.due_on.isoformat(), reason=reason, extension_id=extension.pk,
                     before={"due_on": due_before, "extension_count": count_before},
                     after={"due_on": occurrence.due_on, "extension_count": occurrence.extension_count})
    return extension


def post_hand_over(*, post, person: User, started_on: date, actor: User | None = None):
    """Hand a post to a person; open work that the post answers for follows it, and each says so."""
    from roles.models import PostHolding
    from roles.services import post_assign
    from workflow.models import OPEN_STATUSES

    with transaction.atomic():
        previous = PostHolding.objects.filter(post=post, ended_on__isnull=True).select_related("person").first()
        holding = post_assign(post=post, person=person, started_on=started_on, actor=actor)
        if previous is None or previous.person_id == person.pk:
            return holding
        affected = Occurrence.objects.filter(status__in=OPEN_STATUSES)
        affected = affected.filter(directing_post=post) | (
            affected.filter(unit_id=post.unit_id) if post.is_unit_head and post.unit_id else affected.none())
        audit_record_many(drafts=[
            occurrence_draft(occurrence=occ, actor=actor, kind="handed_over", post=post, before={"holder": previous.person_id},
                             after={"holder": person.pk}, **{"post_title": post.title, "from": str(previous.person),
                                                               "to": str(person), "on": started_on.isoformat()})
            for occ in affected.distinct().select_related("unit")
        ])
    return holding


# The commune's own rules: escalation rungs and working-day calendar


def _require_administrator(*, actor: User, commune) -> None:
    if not commune_allows(user=actor, action=Action.ADMINISTER, commune=commune):
        raise PermissionDenied


def escalation_policy_update(*, commune, actor: User, offsets: dict[str, int | None], counts_working_days: bool = True):
    """Set each default rung's offset (in working or calendar days); None switches the rung off."""
    from workflow.models import EscalationPolicy, escalation_rungs_default

    _require_administrator(actor=actor, commune=commune)
    rungs = []
    for rung in escalation_rungs_default():
        offset = offsets.get(rung["key"], rung["offset"])
        if offset is not None:
            rungs.append({**rung, "offset": offset})
    offsets_used = [rung["offset"] for rung in rungs]
    if len(set(offsets_used)) != len(offsets_used):
        raise ValidationError(_("Two rungs cannot fire on the same working day."))
    with transaction.atomic():
        previous = EscalationPolicy.objects.select_for_update().filter(commune=commune).first()
        before = ({"rungs": previous.rungs, "counts_working_days": previous.counts_working_days} if previous
                  else {"rungs": escalation_rungs_default(), "counts_working_days": True})
        policy, _created = EscalationPolicy.objects.update_or_create(
            commune=commune, defaults={"rungs": rungs, "updated_by": actor, "counts_working_days": counts_working_days})
        audit_record(kind="policy_changed", object_type="escalation_policy", object_id=policy.pk,
                     commune_id=commune.pk, actor=actor, post=acting_post_get(actor=actor), before=before,
                     after={"rungs": rungs, "counts_working_days": counts_working_days})
    return policy


def calendar_override_set(*, commune, actor: User, day: date, is_working_day: bool, reason: str):
    from workflow.calendar import calendar_build
    from workflow.models import CalendarOverride

    _require_administrator(actor=actor, commune=commune)
    if calendar_build().is_working_day(day) == is_working_day:
        raise ValidationError(_("%(day)s is already a %(kind)s in the national calendar.") % {
            "day": day.strftime("%d/%m/%Y"), "kind": _("working day") if is_working_day else _("day off")})
    with transaction.atomic():
        override, _created = CalendarOverride.objects.update_or_create(
            commune=commune, day=day, defaults={"is_working_day": is_working_day, "reason": reason})
        audit_record(kind="calendar_changed", object_type="calendar", object_id=override.pk, commune_id=commune.pk,
                     actor=actor, post=acting_post_get(actor=actor), reason=reason,
                     after={"day": day, "is_working_day": is_working_day})
    return override


def calendar_override_remove(*, override, actor: User) -> None:
    _require_administrator(actor=actor, commune=override.commune)
    with transaction.atomic():
        audit_record(kind="calendar_changed", object_type="calendar", object_id=override.pk,
                     commune_id=override.commune_id, actor=actor, post=acting_post_get(actor=actor),
                     before={"day": override.day, "is_working_day": override.is_working_day})
        override.delete()
