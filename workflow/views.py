"""Thin views for occurrences: the policy decides, services write, selectors read."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from config.steps import form_step_run
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roles.models import Unit
from roles.policy import Action, OccurrenceAction, member_unit_ids, occurrence_allows, plan_allows, unit_staff
from tasks.models import Plan
from workflow import forms, services
from workflow.models import Contribution, ExtensionRequest, Occurrence, StoredFile
from workflow.selectors import my_work_get, occurrence_page_get, unit_queue_get


def _occurrence(request, occurrence_id: int, action: OccurrenceAction = OccurrenceAction.VIEW) -> Occurrence:
    occurrence = get_object_or_404(Occurrence.objects.select_related("task", "unit"), pk=occurrence_id)
    if not occurrence_allows(user=request.user, action=OccurrenceAction.VIEW, occurrence=occurrence):
        raise PermissionDenied
    if action != OccurrenceAction.VIEW and not occurrence_allows(user=request.user, action=action,
                                                                 occurrence=occurrence):
        raise PermissionDenied
    return occurrence


@login_required
def my_work(request):
    return render(request, "workflow/my_work.html", my_work_get(user=request.user))


@login_required
def unit_queue(request, unit_id: int):
    unit = get_object_or_404(Unit.objects.select_related("commune"), pk=unit_id)
    from roles.policy import COMMUNE_WIDE_VIEWERS, commune_allows

    may_see = unit_id in member_unit_ids(user=request.user) or request.user.is_superuser or (
        commune_allows(user=request.user, action=Action.VIEW, commune=unit.commune)
        and request.user.role_grants.filter(role__in=COMMUNE_WIDE_VIEWERS, commune=unit.commune).exists())
    if not may_see:
        raise PermissionDenied
    from workflow.paging import page_number_get

    return render(request, "workflow/unit_queue.html", {"unit": unit, **unit_queue_get(
        user=request.user, unit_id=unit_id, page=page_number_get(request.GET.get("page")))})


def _actions(request, occurrence: Occurrence) -> dict:
    allowed = {action.value: occurrence_allows(user=request.user, action=action, occurrence=occurrence)
               for action in OccurrenceAction if action != OccurrenceAction.VIEW}
    return allowed


@login_required
def occurrence_detail(request, occurrence_id: int):
    occurrence = _occurrence(request, occurrence_id)
    context = occurrence_page_get(occurrence_id=occurrence.pk)
    context["can"] = _actions(request, occurrence)
    context["accept_form"] = forms.AcceptForm(staff=unit_staff(unit_id=occurrence.unit_id))
    context["output_form"] = forms.OutputForm(initial={"kind": occurrence.task.output_kind})
    context["review_form"] = forms.ReviewForm()
    context["extension_form"] = forms.ExtensionForm()
    context["decision_form"] = forms.ExtensionDecisionForm()
    context["contribution_form"] = forms.ContributionForm()
    context["my_contributions"] = [c for c in context["contributions"]
                                   if c.unit_id in member_unit_ids(user=request.user)]
    return render(request, "workflow/occurrence_detail.html", context)


def _step(request, occurrence: Occurrence, form, perform):
    return form_step_run(request=request, form=form, perform=perform,
                         back_to=reverse("occurrence_detail", kwargs={"occurrence_id": occurrence.pk}))


@login_required
@require_POST
def occurrence_accept(request, occurrence_id: int):
    occurrence = _occurrence(request, occurrence_id, OccurrenceAction.ACCEPT)
    form = forms.AcceptForm(request.POST, staff=unit_staff(unit_id=occurrence.unit_id))
    return _step(request, occurrence, form, lambda data: services.occurrence_accept(
        occurrence=occurrence, actor=request.user, assignee=data["assignee"]))


@login_required
@require_POST
def output_submit(request, occurrence_id: int):
    occurrence = _occurrence(request, occurrence_id, OccurrenceAction.SUBMIT)
    form = forms.OutputForm(request.POST, request.FILES)
    return _step(request, occurrence, form, lambda data: services.output_submit(
        occurrence=occurrence, actor=request.user, files=data["files"], document=services.OutputDocument(
            kind=data["kind"], number_symbol=data["number_symbol"], document_date=data["document_date"],
            signer=data["signer"], note=data["note"])))


@login_required
@require_POST
def output_review(request, occurrence_id: int):
    occurrence = _occurrence(request, occurrence_id)
    if not (occurrence_allows(user=request.user, action=OccurrenceAction.REVIEW, occurrence=occurrence)
            or occurrence_allows(user=request.user, action=OccurrenceAction.DIRECTING_REVIEW, occurrence=occurrence)):
        raise PermissionDenied
    form = forms.ReviewForm(request.POST)

    def perform(data):
        try:
            services.output_review(occurrence=occurrence, actor=request.user,
                                   approve=data["decision"] == "approve", reason=data["reason"])
        except PermissionDenied:
            raise ValidationError(_("This review is not yours to make at this step.")) from None

    return _step(request, occurrence, form, perform)


@login_required
@require_POST
def extension_request(request, occurrence_id: int):
    occurrence = _occurrence(request, occurrence_id, OccurrenceAction.REQUEST_EXTENSION)
    form = forms.ExtensionForm(request.POST)
    return _step(request, occurrence, form, lambda data: services.extension_request(
        occurrence=occurrence, actor=request.user, requested_due_on=data["requested_due_on"], reason=data["reason"]))


@login_required
@require_POST
def extension_decide(request, occurrence_id: int, extension_id: int):
    occurrence = _occurrence(request, occurrence_id, OccurrenceAction.DECIDE_EXTENSION)
    extension = get_object_or_404(ExtensionRequest, pk=extension_id, occurrence=occurrence)
    form = forms.ExtensionDecisionForm(request.POST)
    return _step(request, occurrence, form, lambda data: services.extension_decide(
        extension=extension, actor=request.user, approve=data["decision"] == "approve", reason=data["reason"]))


@login_required
@require_POST
def contribution_submit(request, occurrence_id: int, contribution_id: int):
    occurrence = _occurrence(request, occurrence_id, OccurrenceAction.CONTRIBUTE)
    contribution = get_object_or_404(Contribution, pk=contribution_id, occurrence=occurrence)
    if contribution.unit_id not in member_unit_ids(user=request.user):
        raise PermissionDenied
    form = forms.ContributionForm(request.POST, request.FILES)
    return _step(request, occurrence, form, lambda data: services.contribution_submit(
        contribution=contribution, actor=request.user, text=data["text"], files=data["files"]))


@login_required
def file_download(request, file_id: int):
    from workflow.uploads import upload_response

    stored = get_object_or_404(StoredFile.objects.select_related("output", "contribution"), pk=file_id)
    owner = stored.output or stored.contribution
    if owner is None:
        raise Http404
    _occurrence(request, owner.occurrence_id)
    return upload_response(relative_path=stored.relative_path, content_type=stored.content_type,
                           original_name=stored.original_name)


@login_required
@require_POST
def plan_activate(request, plan_id: int):
    plan = get_object_or_404(Plan.objects.select_related("commune"), pk=plan_id)
    if not plan_allows(user=request.user, action=Action.ACTIVATE_PLAN, plan=plan):
        raise PermissionDenied
    result = services.plan_activate(plan=plan, actor=request.user)
    messages.success(request, _("The plan is active: %(n)d task occurrences were created.") % {"n": result.occurrences})
    return redirect("plan_detail", plan_id=plan.pk)
