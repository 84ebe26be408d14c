"""Writes for inspection cases: open, acknowledge, request and answer explanations, close.

Each function checks the access policy on the locked case, changes state and writes its
CaseEvent in one transaction.
"""
from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.acting import acting_post_get
from audit.models import AuditEvent
from audit.services import audit_record
from inspection.models import CaseStatus, Explanation, InspectionCase
from roles.models import User
from roles.policy import CaseAction, case_allows
from workflow.models import Occurrence


def case_event_record(*, case: InspectionCase, actor: User | None, kind: str, before: dict | None = None,
                      after: dict | None = None, reason: str = "", **detail) -> AuditEvent:
    occurrence = Occurrence.objects.select_related("unit").get(pk=case.occurrence_id)
    return audit_record(
        kind=kind, object_type="case", object_id=case.pk, commune_id=case.commune_id, actor=actor,
        post=acting_post_get(actor=actor), unit=occurrence.unit, plan_id=occurrence.plan_id,
        task_id=occurrence.task_id, occurrence_id=occurrence.pk, case_id=case.pk, period_key=occurrence.period_key,
        before=before or {}, after=after or {}, detail=detail, reason=reason)


def _locked(case: InspectionCase) -> InspectionCase:
    return InspectionCase.objects.select_for_update().select_related("occurrence").get(pk=case.pk)


def _require(*, user: User, action: CaseAction, case: InspectionCase) -> None:
    if not case_allows(user=user, action=action, case=case):
        raise PermissionDenied


def _require_status(case: InspectionCase, *statuses: str) -> None:
    if case.status not in statuses:
        raise ValidationError(_("This step is not open: the case is “%(status)s”.")
                              % {"status": case.get_status_display()})


def inspection_case_open(*, occurrence: Occurrence, reason: str, actor: User | None = None
                         ) -> tuple[InspectionCase, bool]:
    """Open a case for `occurrence`, or return the one still open (created False).

    `actor` None is the escalation sweep. Safe to call twice or from two workers at once: the
    occurrence row is locked, and the database allows one case per occurrence while not closed.
    """
    with transaction.atomic():
        Occurrence.objects.select_for_update().filter(pk=occurrence.pk).first()
        existing = InspectionCase.objects.filter(occurrence_id=occurrence.pk).exclude(
            status=CaseStatus.CLOSED).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                case = InspectionCase.objects.create(
                    commune_id=occurrence.commune_id, occurrence_id=occurrence.pk, status=CaseStatus.OPEN,
                    opened_at=timezone.now(), opened_reason=reason)
        except IntegrityError:
            return InspectionCase.objects.exclude(status=CaseStatus.CLOSED).get(occurrence_id=occurrence.pk), False
        case_event_record(case=case, actor=actor, kind="opened", rung=reason, after={"status": case.status})
    return case, True


def inspection_cases_open(*, occurrences: list[dict], reason: str) -> int:
    """The sweep's bulk form of inspection_case_open: a case for each occurrence without an open one.

    `occurrences` are the sweep's rows (pk, commune_id, unit_id, unit__name, plan_id, task_id,
    period_key). The database's one-open-case-per-occurrence constraint drops a case another worker
    opened meanwhile, and only the cases this call created get their "opened" event.
    """
    from audit.services import AuditDraft, audit_record_many
    from roles.models import Unit

    if not occurrences:
        return 0
    ids = [row["pk"] for row in occurrences]
    with transaction.atomic():
        already = set(InspectionCase.objects.filter(occurrence_id__in=ids).exclude(status=CaseStatus.CLOSED)
                      .values_list("occurrence_id", flat=True))
        opened_at = timezone.now()
        InspectionCase.objects.bulk_create([
            InspectionCase(commune_id=row["commune_id"], occurrence_id=row["pk"], status=CaseStatus.OPEN,
                           opened_at=opened_at, opened_reason=reason)
            for row in occurrences if row["pk"] not in already
        ], ignore_conflicts=True)
        created = {case.occurrence_id: case for case in InspectionCase.objects.filter(
            occurrence_id__in=set(ids) - already, opened_at=opened_at, status=CaseStatus.OPEN)}
        audit_record_many(drafts=[
            AuditDraft(kind="opened", object_type="case", object_id=created[row["pk"]].pk,
                       commune_id=row["commune_id"], unit=Unit(pk=row["unit_id"], name=row["unit__name"]),
                       plan_id=row["plan_id"], task_id=row["task_id"], occurrence_id=row["pk"],
                       case_id=created[row["pk"]].pk, period_key=row["period_key"],
                       after={"status": CaseStatus.OPEN}, detail={"rung": reason})
            for row in occurrences if row["pk"] in created
        ])
    return len(created)


def case_acknowledge(*, case: InspectionCase, actor: User) -> InspectionCase:
    with transaction.atomic():
        case = _locked(case)
        _require(user=actor, action=CaseAction.ACKNOWLEDGE, case=case)
        _require_status(case, CaseStatus.OPEN)
        case.status = CaseStatus.ACKNOWLEDGED
        case.save(update_fields=["status"])
        case_event_record(case=case, actor=actor, kind="acknowledged", before={"status": CaseStatus.OPEN},
                          after={"status": case.status})
    return case


def explanation_request(*, case: InspectionCase, actor: User, question: str, due_on: date) -> Explanation:
    """Ask the lead unit to explain (giải trình); one request waits at a time."""
    with transaction.atomic():
        case = _locked(case)
        _require(user=actor, action=CaseAction.REQUEST_EXPLANATION, case=case)
        _require_status(case, CaseStatus.OPEN, CaseStatus.ACKNOWLEDGED, CaseStatus.EXPLAINED)
        if not question.strip():
            raise ValidationError(_("Write what the lead unit must explain."))
        if due_on < timezone.localdate():
            raise ValidationError(_("The answer date cannot be in the past."))
        explanation = Explanation.objects.create(case=case, requested_by=actor, question=question.strip(),
                                                 due_on=due_on)
        status_before = case.status
        case.status = CaseStatus.EXPLANATION_REQUESTED
        case.save(update_fields=["status"])
        case_event_record(case=case, actor=actor, kind="explanation_requested", explanation_id=explanation.pk,
                          due_on=due_on.isoformat(), question=explanation.question,
                          before={"status": status_before}, after={"status": case.status})
    return explanation


def explanation_answer(*, explanation: Explanation, actor: User, answer: str) -> Explanation:
    """The lead unit's answer: its head today, or the occurrence's assignee."""
    with transaction.atomic():
        case = _locked(explanation.case)
        _require(user=actor, action=CaseAction.ANSWER, case=case)
        explanation = Explanation.objects.select_for_update().get(pk=explanation.pk)
        if explanation.is_answered:
            raise ValidationError(_("This explanation has already been given."))
        _require_status(case, CaseStatus.EXPLANATION_REQUESTED)
        if not answer.strip():
            raise ValidationError(_("Write the explanation."))
        explanation.answer = answer.strip()
        explanation.answered_by = actor
        explanation.answered_at = timezone.now()
        explanation.save(update_fields=["answer", "answered_by", "answered_at"])
        case.status = CaseStatus.EXPLAINED
        case.save(update_fields=["status"])
        case_event_record(case=case, actor=actor, kind="explanation_answered", explanation_id=explanation.pk,
                          late=timezone.localdate() > explanation.due_on, answer=explanation.answer,
                          before={"status": CaseStatus.EXPLANATION_REQUESTED}, after={"status": case.status})
    return explanation


def case_close(*, case: InspectionCase, actor: User, conclusion: str) -> InspectionCase:
    with transaction.atomic():
        case = _locked(case)
        _require(user=actor, action=CaseAction.CLOSE, case=case)
        _require_status(case, CaseStatus.OPEN, CaseStatus.ACKNOWLEDGED, CaseStatus.EXPLANATION_REQUESTED,
                        CaseStatus.EXPLAINED)
        status_before = case.status
        if not conclusion.strip():
            raise ValidationError(_("Write the conclusion before closing the case."))
        case.status = CaseStatus.CLOSED
        case.conclusion = conclusion.strip()
        case.closed_by = actor
        case.closed_at = timezone.now()
        case.save(update_fields=["status", "conclusion", "closed_by", "closed_at"])
        case_event_record(case=case, actor=actor, kind="closed", reason=case.conclusion,
                          before={"status": status_before}, after={"status": case.status})
    return case
