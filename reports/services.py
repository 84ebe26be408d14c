"""Writes for periodic reports: prepare a draft, refresh its figures, edit its narrative, finalise, export.

Each change and its audit event go in one transaction. Preparing is idempotent per plan and
period (a unique key), so the scheduler may run twice, or on two workers, and one draft exists
and the Party Office is told once: only the call that created the draft notifies.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.acting import acting_post_get
from audit.selectors import chain_head_get
from audit.services import audit_record, changes
from notifications.services import NotificationDraft, notifications_record
from reports.access import ReportAction, report_allows
from reports.models import ReportDraft, ReportStatus
from reports.periods import Period, period_of, periods_due
from reports.selectors import Reckoning, plan_standing_get
from roles.models import Commune, Role, RoleGrant, User
from tasks.models import Plan, PlanKind, PlanStatus

logger = logging.getLogger(__name__)
NARRATIVE_FIELDS = ("number", "overall_assessment", "difficulties", "proposals", "recipients", "signer_name")


def _require(*, user: User | None, action: ReportAction, plan: Plan) -> None:
    # None is the scheduler (or the command line), run by whoever operates the server.
    if user is not None and not report_allows(user=user, action=action, plan=plan):
        raise PermissionDenied


def _require_draft(draft: ReportDraft) -> None:
    if draft.status != ReportStatus.DRAFT:
        raise ValidationError(_("This report is final and can no longer change."))


def recipients_default(*, plan: Plan) -> str:
    with translation.override("vi"):
        if plan.kind == PlanKind.PARTY:
            return _("- The Standing Board of the Party Committee (to report),\n- The higher steering committee "
                     "(to report),\n- The agencies and units,\n- Filed at the Party Office.")
        return _("- The Standing Committee of the Party Committee (to report),\n- The chairman and vice-chairmen "
                 "of the People's Committee,\n- The agencies and units,\n- Filed: Records.")


def _audit(*, draft: ReportDraft, kind: str, actor: User | None, before: dict | None = None,
           after: dict | None = None, detail: dict | None = None) -> None:
    audit_record(kind=kind, object_type="report", object_id=draft.pk, commune_id=draft.plan.commune_id, actor=actor,
                 post=acting_post_get(actor=actor), plan_id=draft.plan_id, period_key=draft.period_key,
                 before=before or {}, after=after or {}, detail=detail or {})


def _chain_capture(draft: ReportDraft) -> None:
    """Pin the commune's history as it stands now, this report's own event included."""
    head = chain_head_get(commune_id=draft.plan.commune_id)
    draft.chain_seq, draft.chain_hash = head.seq, head.head_hash
    draft.save(update_fields=["chain_seq", "chain_hash"])


def _figures(*, plan: Plan, period: Period, today: date) -> dict:
    return plan_standing_get(plan=plan, reckoning=Reckoning.for_period(period=period, today=today), period=period)


def report_prepare(*, plan: Plan, period: Period, actor: User | None, today: date | None = None
                   ) -> tuple[ReportDraft, bool]:
    """The plan's report for `period`: the existing one, or a new draft from live data. (draft, created)."""
    _require(user=actor, action=ReportAction.EDIT, plan=plan)
    today = today or timezone.localdate()
    key = {"plan": plan, "period_kind": period.kind, "period_key": period.key}
    with transaction.atomic():
        existing = ReportDraft.objects.filter(**key).first()
        if existing is not None:
            return existing, False
        figures = _figures(plan=plan, period=period, today=today)
        try:
            with transaction.atomic():
                draft = ReportDraft.objects.create(
                    **key, due_on=period.due_on, figures=figures, generated_on=today, prepared_by=actor,
                    recipients=recipients_default(plan=plan))
        except IntegrityError:  # another worker prepared it a moment ago
            return ReportDraft.objects.get(**key), False
        _audit(draft=draft, kind="prepared", actor=actor, after={"status": draft.status, "period": period.key},
               detail={"period_kind": period.kind, "due_on": period.due_on.isoformat(),
                       "until": figures["until"], "totals": figures["totals"]})
        _chain_capture(draft)
    return draft, True


def _locked(draft: ReportDraft) -> ReportDraft:
    return ReportDraft.objects.select_for_update().select_related("plan__commune").get(pk=draft.pk)


def report_refresh(*, draft: ReportDraft, actor: User, today: date | None = None) -> ReportDraft:
    """Read the draft's figures again from live data; the narrative stays."""
    today = today or timezone.localdate()
    with transaction.atomic():
        draft = _locked(draft)
        _require(user=actor, action=ReportAction.EDIT, plan=draft.plan)
        _require_draft(draft)
        before = {"generated_on": draft.generated_on, "totals": draft.figures.get("totals")}
        draft.figures = _figures(plan=draft.plan, period=period_of(kind=draft.period_kind, key=draft.period_key),
                                 today=today)
        draft.generated_on, draft.refreshed_at = today, timezone.now()
        draft.save(update_fields=["figures", "generated_on", "refreshed_at", "updated_at"])
        _audit(draft=draft, kind="regenerated", actor=actor, before=before,
               after={"generated_on": today, "totals": draft.figures["totals"]})
        _chain_capture(draft)
    return draft


def report_narrative_update(*, draft: ReportDraft, actor: User, **fields: str) -> ReportDraft:
    """The parts the Party Office writes; only the fields that changed go into the history."""
    unknown = set(fields) - set(NARRATIVE_FIELDS)
    if unknown:
        raise ValueError(f"Not a narrative field: {sorted(unknown)}")
    with transaction.atomic():
        draft = _locked(draft)
        _require(user=actor, action=ReportAction.EDIT, plan=draft.plan)
        _require_draft(draft)
        current = {name: getattr(draft, name) for name in fields}
        new = {name: (value or "").strip() for name, value in fields.items()}
        before, after = changes(before=current, after=new)
        if not after:
            return draft
        for name, value in after.items():
            setattr(draft, name, value)
        draft.save(update_fields=[*after, "updated_at"])
        _audit(draft=draft, kind="edited", actor=actor, before=before, after=after)
    return draft


def report_finalise(*, draft: ReportDraft, actor: User) -> ReportDraft:
    with transaction.atomic():
        draft = _locked(draft)
        _require(user=actor, action=ReportAction.EDIT, plan=draft.plan)
        _require_draft(draft)
        draft.status = ReportStatus.FINAL
        draft.save(update_fields=["status", "updated_at"])
        _audit(draft=draft, kind="finalised", actor=actor, before={"status": ReportStatus.DRAFT},
               after={"status": ReportStatus.FINAL})
    return draft


@dataclass(frozen=True)
class ExportedFile:
    name: str
    content_type: str
    data: bytes


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_export(*, draft: ReportDraft, actor: User, file_format: str) -> ExportedFile:
    """The report as Word ("docx") or its appendix workbook ("xlsx"); the download is recorded."""
    from reports.docx import report_docx_build
    from reports.xlsx import report_xlsx_build

    _require(user=actor, action=ReportAction.VIEW, plan=draft.plan)
    if file_format == "docx":
        exported = ExportedFile(name=f"bao-cao-{draft.period_key}.docx", content_type=DOCX,
                                data=report_docx_build(draft=draft))
    elif file_format == "xlsx":
        exported = ExportedFile(name=f"bao-cao-{draft.period_key}-phu-luc.xlsx", content_type=XLSX,
                                data=report_xlsx_build(draft=draft))
    else:
        raise ValueError(file_format)
    with transaction.atomic():
        _audit(draft=draft, kind="exported", actor=actor, detail={
            "format": file_format, "status": draft.status, "sha256": hashlib.sha256(exported.data).hexdigest(),
            "chain_seq": draft.chain_seq, "chain_hash": draft.chain_hash})
    return exported


def appendix_export(*, plan: Plan, actor: User, today: date | None = None) -> ExportedFile:
    """The plan's appendix with its live status columns, at any time, for anyone who may see the plan."""
    from reports.xlsx import appendix_xlsx_build
    from roles.policy import Action, plan_allows

    if not plan_allows(user=actor, action=Action.VIEW, plan=plan):
        raise PermissionDenied
    today = today or timezone.localdate()
    standing = plan_standing_get(plan=plan, reckoning=Reckoning.live(today=today))
    data = appendix_xlsx_build(plan=plan, standing=standing, generated_on=today)
    with transaction.atomic():
        audit_record(kind="exported", object_type="report", object_id=f"appendix-{plan.pk}",
                     commune_id=plan.commune_id, actor=actor, post=acting_post_get(actor=actor), plan_id=plan.pk,
                     detail={"what": "appendix", "format": "xlsx", "as_of": today.isoformat(),
                             "sha256": hashlib.sha256(data).hexdigest()})
    return ExportedFile(name=f"phu-luc-{plan.pk}-{today:%Y%m%d}.xlsx", content_type=XLSX, data=data)


# The scheduler


def _party_office_notify(*, draft: ReportDraft, period: Period) -> int:
    people = RoleGrant.objects.filter(commune_id=draft.plan.commune_id, role=Role.PARTY_OFFICE,
                                      person__is_active=True).values_list("person_id", flat=True)
    params = {"plan": str(draft.plan)[:200], "period": period.label_vi, "due_on": period.due_on.isoformat()}
    url = reverse("report_detail", args=[draft.pk])
    return len(notifications_record(rows=[
        NotificationDraft(recipient=User(pk=person_id), commune=Commune(pk=draft.plan.commune_id), rung="report",
                          kind="report", message_key="report_draft_ready", params=params, url=url)
        for person_id in dict.fromkeys(people)]))


@dataclass
class PreparationRun:
    prepared: list[ReportDraft]
    notified: int


def report_drafts_prepare_due(*, today: date | None = None) -> PreparationRun:
    """From the 1st to the 9th: every active plan's draft of the periods just ended, and a word to its Party Office.

    A draft and its notifications commit together, and only the call that created the draft
    notifies: a second run (or a second worker) finds the draft and says nothing.
    """
    today = today or timezone.localdate()
    run = PreparationRun(prepared=[], notified=0)
    periods = periods_due(today=today)
    if not periods:
        return run
    for plan in Plan.objects.filter(status=PlanStatus.ACTIVE).select_related("commune").order_by("pk"):
        for period in periods:
            try:
                with transaction.atomic():
                    draft, created = report_prepare(plan=plan, period=period, actor=None, today=today)
                    if created:
                        run.prepared.append(draft)
                        run.notified += _party_office_notify(draft=draft, period=period)
            except Exception:  # noqa: BLE001 - one plan's failure must not hold back every other commune's report
                logger.exception("Could not prepare the %s report %s of plan %s", period.kind, period.key, plan.pk)
    return run
