"""Thin views for indicator tracking: indicators/access decides, services write, selectors read."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from config.steps import form_step_run
from indicators import forms, selectors, services
from indicators.access import FigureAction, figure_allows, indicator_schedule_allows
from indicators.models import DEFAULT_CADENCE, DEFAULT_DUE_WORKING_DAYS, FigureEvidence, IndicatorFigure
from roles.models import Unit
from roles.policy import Action, plan_allows
from tasks.models import Indicator, Plan


def _plan(request, plan_id: int) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("commune"), pk=plan_id)
    if not plan_allows(user=request.user, action=Action.VIEW, plan=plan):
        raise PermissionDenied
    return plan


def _figure(request, figure_id: int, action: FigureAction = FigureAction.VIEW) -> IndicatorFigure:
    figure = get_object_or_404(IndicatorFigure.objects.select_related("indicator", "unit", "plan__commune"),
                               pk=figure_id)
    if not figure_allows(user=request.user, action=FigureAction.VIEW, figure=figure):
        raise PermissionDenied
    if action != FigureAction.VIEW and not figure_allows(user=request.user, action=action, figure=figure):
        raise PermissionDenied
    return figure


@login_required
def indicators_home(request):
    return render(request, "indicators/home.html", {
        "to_report": selectors.figures_to_report(user=request.user),
        "to_review": selectors.figures_to_review(user=request.user),
        "plans": selectors.plans_with_indicators(user=request.user),
        "today": timezone.localdate(),
    })


@login_required
def plan_indicators(request, plan_id: int):
    plan = _plan(request, plan_id)
    today = timezone.localdate()
    rows = selectors.indicator_progress_list(plan_id=plan.pk, as_of=today)
    open_figures = selectors.open_figures_by_indicator(plan_id=plan.pk)
    return render(request, "indicators/plan_indicators.html", {
        "plan": plan, "today": today, "counts": selectors.status_counts_of(rows=rows),
        "rows": [(row, open_figures.get(row.indicator.pk)) for row in rows],
    })


@login_required
def indicator_detail(request, indicator_id: int):
    indicator = get_object_or_404(Indicator.objects.select_related("plan__commune", "schedule"), pk=indicator_id)
    _plan(request, indicator.plan_id)
    today = timezone.localdate()
    progress = selectors.indicator_progress_get(indicator=indicator, as_of=today)
    schedule = getattr(indicator, "schedule", None)
    context = {"indicator": indicator, "plan": indicator.plan, "progress": progress, "today": today,
               "targets": list(indicator.targets.order_by("year")),
               "figures": selectors.figures_of_indicator(indicator=indicator),
               "schedule": schedule, "default_cadence": DEFAULT_CADENCE}
    if indicator_schedule_allows(user=request.user, indicator=indicator):
        context["schedule_form"] = forms.ScheduleForm(
            units=Unit.objects.filter(commune_id=indicator.plan.commune_id).order_by("name"),
            initial={"cadence": schedule.cadence if schedule else DEFAULT_CADENCE,
                     "due_working_days": schedule.due_working_days if schedule else DEFAULT_DUE_WORKING_DAYS,
                     "reporting_unit": schedule.reporting_unit_id if schedule else None})
    return render(request, "indicators/indicator_detail.html", context)


@login_required
@require_POST
def indicator_schedule_edit(request, indicator_id: int):
    indicator = get_object_or_404(Indicator.objects.select_related("plan__commune"), pk=indicator_id)
    if not indicator_schedule_allows(user=request.user, indicator=indicator):
        raise PermissionDenied
    form = forms.ScheduleForm(request.POST, units=Unit.objects.filter(commune_id=indicator.plan.commune_id))
    return form_step_run(request=request, form=form, back_to=reverse("indicator_detail", args=[indicator.pk]),
                         perform=lambda data: services.indicator_schedule_set(
                             indicator=indicator, actor=request.user, cadence=data["cadence"],
                             due_working_days=data["due_working_days"], reporting_unit=data["reporting_unit"]))


@login_required
def figure_detail(request, figure_id: int):
    figure = _figure(request, figure_id)
    can = {action.value: figure_allows(user=request.user, action=action, figure=figure)
           for action in (FigureAction.SUBMIT, FigureAction.REVIEW)}
    needs = services.figure_needs(figure=figure)
    initial = {"value": figure.value, "rank": figure.rank, "assessment": figure.assessment, "note": figure.note,
               "done": {True: "yes", False: "no"}.get(figure.done, "")}
    return render(request, "indicators/figure_detail.html", {
        **selectors.figure_page_get(figure=figure), "can": can, "needs": needs,
        "figure_form": forms.FigureForm(needs=needs, initial=initial),
        "review_form": forms.FigureReviewForm(),
    })


def _back(figure: IndicatorFigure) -> str:
    return reverse("figure_detail", args=[figure.pk])


@login_required
@require_POST
def figure_submit(request, figure_id: int):
    figure = _figure(request, figure_id, FigureAction.SUBMIT)
    form = forms.FigureForm(request.POST, request.FILES, needs=services.figure_needs(figure=figure))
    return form_step_run(request=request, form=form, back_to=_back(figure), perform=lambda data: services.figure_submit(
        figure=figure, actor=request.user, files=data["files"], report=services.FigureReport(
            value=data.get("value"), rank=data.get("rank"), done=data.get("done"),
            assessment=data.get("assessment") or "", note=data.get("note") or "")))


@login_required
@require_POST
def figure_review(request, figure_id: int):
    figure = _figure(request, figure_id, FigureAction.REVIEW)
    form = forms.FigureReviewForm(request.POST)
    return form_step_run(request=request, form=form, back_to=_back(figure), perform=lambda data: services.figure_review(
        figure=figure, actor=request.user, approve=data["decision"] == "approve", reason=data["reason"]))


@login_required
def figure_file(request, figure_id: int, file_id: int):
    from workflow.uploads import upload_response

    figure = _figure(request, figure_id)
    evidence = FigureEvidence.objects.filter(figure=figure, file_id=file_id).select_related("file").first()
    if evidence is None:
        raise Http404
    stored = evidence.file
    return upload_response(relative_path=stored.relative_path, content_type=stored.content_type,
                           original_name=stored.original_name)
