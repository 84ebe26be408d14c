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

from inspection.models import CaseEvent, CaseStatus, Explanation, InspectionCase
from roles.models import User
from roles.policy import CaseAction, case_allows
from workflow.models import Occurrence


def case_event_record(*, case: InspectionCase, actor: User | None, kind: str, **detail) -> CaseEvent:
    return CaseEvent.objects.create(case=case, actor=actor, kind=kind, detail=detail)


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
        case_event_record(case=case, actor=actor, kind="opened", reason=reason)
    return case, True


def case_acknowledge(*, case: InspectionCase, actor: User) -> InspectionCase:
    with transaction.atomic():
        case = _locked(case)
        _require(user=actor, action=CaseAction.ACKNOWLEDGE, case=case)
        _require_status(case, CaseStatus.OPEN)
        case.status = CaseStatus.ACKNOWLEDGED
        case.save(update_fields=["status"])
        case_event_record(case=case, actor=actor, kind="acknowledged")
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
        case.status = CaseStatus.EXPLANATION_REQUESTED
        case.save(update_fields=["status"])
        case_event_record(case=case, actor=actor, kind="explanation_requested", explanation_id=explanation.pk,
                          due_on=due_on.isoformat())
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
                          late=timezone.localdate() > explanation.due_on)
    return explanation


def case_close(*, case: InspectionCase, actor: User, conclusion: str) -> InspectionCase:
    with transaction.atomic():
        case = _locked(case)
        _require(user=actor, action=CaseAction.CLOSE, case=case)
        _require_status(case, CaseStatus.OPEN, CaseStatus.ACKNOWLEDGED, CaseStatus.EXPLANATION_REQUESTED,
                        CaseStatus.EXPLAINED)
        if not conclusion.strip():
            raise ValidationError(_("Write the conclusion before closing the case."))
        case.status = CaseStatus.CLOSED
        case.conclusion = conclusion.strip()
        case.closed_by = actor
        case.closed_at = timezone.now()
        case.save(update_fields=["status", "conclusion", "closed_by", "closed_at"])
        case_event_record(case=case, actor=actor, kind="closed")
    return case
