"""Thin views for periodic reports and the appendix export: reports.access decides, services write."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from config.steps import form_step_run
from reports import services
from reports.access import ReportAction, report_allows
from reports.forms import NarrativeForm, PrepareForm
from reports.models import ReportDraft
from reports.periods import periods_recent
from reports.selectors import plans_reportable, reports_of_plan
from tasks.models import Plan


def _plan(request, plan_id: int, action: ReportAction = ReportAction.VIEW) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("commune"), pk=plan_id)
    if not report_allows(user=request.user, action=action, plan=plan):
        raise PermissionDenied
    return plan


def _draft(request, report_id: int, action: ReportAction = ReportAction.VIEW) -> ReportDraft:
    draft = get_object_or_404(ReportDraft.objects.select_related("plan__commune"), pk=report_id)
    if not report_allows(user=request.user, action=action, plan=draft.plan):
        raise PermissionDenied
    return draft


def _file(exported: services.ExportedFile) -> HttpResponse:
    response = HttpResponse(exported.data, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.name}"'
    return response


@login_required
def reports_index(request):
    return render(request, "reports/index.html", {"plans": plans_reportable(user=request.user)})


@login_required
def plan_reports(request, plan_id: int):
    plan = _plan(request, plan_id)
    can_edit = report_allows(user=request.user, action=ReportAction.EDIT, plan=plan)
    return render(request, "reports/plan_reports.html", {
        "plan": plan, "reports": reports_of_plan(plan=plan), "can_edit": can_edit,
        "prepare_form": PrepareForm(periods=periods_recent(today=timezone.localdate())) if can_edit else None})


@login_required
@require_POST
def report_prepare(request, plan_id: int):
    plan = _plan(request, plan_id, ReportAction.EDIT)
    form = PrepareForm(request.POST, periods=periods_recent(today=timezone.localdate()))
    if not form.is_valid():
        return form_step_run(request=request, form=form, perform=None, back_to=reverse("plan_reports", args=[plan.pk]))
    draft, _created = services.report_prepare(plan=plan, period=form.chosen_period(), actor=request.user)
    return redirect("report_detail", report_id=draft.pk)


@login_required
def report_detail(request, report_id: int):
    draft = _draft(request, report_id)
    can_edit = draft.is_draft and report_allows(user=request.user, action=ReportAction.EDIT, plan=draft.plan)
    return render(request, "reports/report_detail.html", {
        "report": draft, "plan": draft.plan, "figures": draft.figures, "can_edit": can_edit,
        "form": NarrativeForm(instance=draft) if can_edit else None})


def _step(request, draft: ReportDraft, form, perform):
    return form_step_run(request=request, form=form, perform=perform,
                         back_to=reverse("report_detail", args=[draft.pk]))


@login_required
@require_POST
def report_narrative_edit(request, report_id: int):
    draft = _draft(request, report_id, ReportAction.EDIT)
    form = NarrativeForm(request.POST)
    return _step(request, draft, form, lambda data: services.report_narrative_update(
        draft=draft, actor=request.user, **data))


@login_required
@require_POST
def report_refresh(request, report_id: int):
    draft = _draft(request, report_id, ReportAction.EDIT)
    return _step(request, draft, None, lambda data: services.report_refresh(draft=draft, actor=request.user))


@login_required
@require_POST
def report_finalise(request, report_id: int):
    draft = _draft(request, report_id, ReportAction.EDIT)
    return _step(request, draft, None, lambda data: services.report_finalise(draft=draft, actor=request.user))


@login_required
def report_download(request, report_id: int, file_format: str):
    if file_format not in ("docx", "xlsx"):
        raise Http404
    draft = _draft(request, report_id)
    return _file(services.report_export(draft=draft, actor=request.user, file_format=file_format))


@login_required
def appendix_download(request, plan_id: int):
    plan = get_object_or_404(Plan.objects.select_related("commune"), pk=plan_id)
    return _file(services.appendix_export(plan=plan, actor=request.user))
