"""Thin views: read through selectors, write through services, check access through roles.policy."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from roles.policy import Action, communes_importable, commune_allows, plan_allows
from tasks.forms import PlanHeadingForm, PlanUploadForm
from tasks.models import Plan, PlanUpload
from tasks.problems import PlanImportFailed
from tasks.selectors import plan_page_get, plans_visible
from tasks.services import PlanFile, plan_heading_update, plan_import


@login_required
def home(request):
    plans = plans_visible(user=request.user).order_by("commune__name", "-imported_at")
    can_import = communes_importable(user=request.user).exists()
    return render(request, "tasks/home.html", {"plans": plans, "can_import": can_import})


@login_required
def plan_detail(request, plan_id: int):
    plan = get_object_or_404(Plan.objects.select_related("commune"), pk=plan_id)
    if not plan_allows(user=request.user, action=Action.VIEW, plan=plan):
        raise PermissionDenied
    from workflow.selectors import plan_live_status_get

    context = plan_page_get(plan=plan)
    context["can_activate"] = plan.status == "draft" and plan_allows(
        user=request.user, action=Action.ACTIVATE_PLAN, plan=plan)
    if plan_allows(user=request.user, action=Action.IMPORT_PLAN, plan=plan):
        context["heading_form"] = PlanHeadingForm(initial={
            "number_symbol": plan.number_symbol, "issued_on": plan.issued_on, "issuer": plan.issuer,
            "title": plan.title})
    live = plan_live_status_get(plan_id=plan.pk)
    for line in context["task_lines"]:
        if line.item is not None:
            line.item.live = live.get(line.item.pk)
    return render(request, "tasks/plan_detail.html", context)


@login_required
@require_POST
def plan_heading_edit(request, plan_id: int):
    plan = get_object_or_404(Plan.objects.select_related("commune"), pk=plan_id)
    if not plan_allows(user=request.user, action=Action.IMPORT_PLAN, plan=plan):
        raise PermissionDenied
    form = PlanHeadingForm(request.POST)
    if form.is_valid():
        plan_heading_update(plan=plan, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The plan's heading was saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("plan_detail", plan_id=plan.pk)


@login_required
@require_http_methods(["GET", "POST"])
def plan_upload(request):
    communes = communes_importable(user=request.user)
    if not communes.exists():
        raise PermissionDenied
    form = PlanUploadForm(request.POST or None, request.FILES or None, communes=communes)
    if request.method == "POST" and form.is_valid():
        upload = PlanUpload.objects.create(
            commune=form.cleaned_data["commune"], uploaded_by=request.user,
            filename=form.cleaned_data["file"].name[:255], data=form.cleaned_data["file"].read(),
            create_missing=form.cleaned_data["create_missing"],
        )
        return redirect("plan_upload_preview", upload_id=upload.pk)
    return render(request, "tasks/plan_upload.html", {"form": form})


def _upload_get(request, upload_id: int) -> PlanUpload:
    upload = get_object_or_404(PlanUpload.objects.select_related("commune"), pk=upload_id)
    if upload.uploaded_by_id != request.user.pk or not commune_allows(
        user=request.user, action=Action.IMPORT_PLAN, commune=upload.commune
    ):
        raise PermissionDenied
    return upload


def _upload_import(upload: PlanUpload, *, dry_run: bool, user):
    return plan_import(
        commune_slug=upload.commune.slug, files=[PlanFile(name=upload.filename, data=bytes(upload.data))],
        create_missing=upload.create_missing, dry_run=dry_run, imported_by=user,
    )


@login_required
def plan_upload_preview(request, upload_id: int):
    upload = _upload_get(request, upload_id)
    try:
        result = _upload_import(upload, dry_run=True, user=request.user)
    except PlanImportFailed as failed:
        return render(request, "tasks/plan_upload_preview.html", {"upload": upload, "problems": failed.problems}, status=422)
    return render(request, "tasks/plan_upload_preview.html", {"upload": upload, "result": result})


@login_required
@require_POST
def plan_upload_confirm(request, upload_id: int):
    upload = _upload_get(request, upload_id)
    try:
        result = _upload_import(upload, dry_run=False, user=request.user)
    except PlanImportFailed:
        return redirect("plan_upload_preview", upload_id=upload.pk)
    upload.delete()
    messages.success(request, _("The plan was imported: %(tasks)d tasks, %(indicators)d indicators.") % {
        "tasks": result.tasks, "indicators": result.indicators})
    return redirect("plan_detail", plan_id=result.plan.pk)


@login_required
@require_POST
def plan_upload_cancel(request, upload_id: int):
    upload = _upload_get(request, upload_id)
    upload.delete()
    messages.info(request, _("The import was cancelled; nothing was saved."))
    return redirect("home")
