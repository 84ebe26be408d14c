"""Thin views for inspection cases: the policy decides, services write, selectors read."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from config.steps import form_step_run

from inspection import forms, services
from inspection.models import Explanation, InspectionCase
from inspection.selectors import case_page_get, cases_list
from roles.policy import CaseAction, case_allows, cases_any_visible


def _case(request, case_id: int, action: CaseAction = CaseAction.VIEW) -> InspectionCase:
    case = get_object_or_404(InspectionCase.objects.select_related("occurrence"), pk=case_id)
    if not case_allows(user=request.user, action=CaseAction.VIEW, case=case):
        raise PermissionDenied
    if action != CaseAction.VIEW and not case_allows(user=request.user, action=action, case=case):
        raise PermissionDenied
    return case


@login_required
def case_list(request):
    if not cases_any_visible(user=request.user):
        raise PermissionDenied
    return render(request, "inspection/case_list.html", {"cases": cases_list(user=request.user)})


@login_required
def case_detail(request, case_id: int):
    case = _case(request, case_id)
    context = case_page_get(case_id=case.pk)
    context["can"] = {action.value: case_allows(user=request.user, action=action, case=case)
                      for action in CaseAction if action != CaseAction.VIEW}
    context["request_form"] = forms.ExplanationRequestForm()
    context["answer_form"] = forms.ExplanationAnswerForm()
    context["close_form"] = forms.CaseCloseForm()
    return render(request, "inspection/case_detail.html", context)


def _step(request, case: InspectionCase, form, perform):
    return form_step_run(request=request, form=form, perform=perform,
                         back_to=reverse("case_detail", kwargs={"case_id": case.pk}))


@login_required
@require_POST
def case_acknowledge(request, case_id: int):
    case = _case(request, case_id, CaseAction.ACKNOWLEDGE)
    return _step(request, case, None, lambda data: services.case_acknowledge(case=case, actor=request.user))


@login_required
@require_POST
def explanation_request(request, case_id: int):
    case = _case(request, case_id, CaseAction.REQUEST_EXPLANATION)
    form = forms.ExplanationRequestForm(request.POST)
    return _step(request, case, form, lambda data: services.explanation_request(
        case=case, actor=request.user, question=data["question"], due_on=data["due_on"]))


@login_required
@require_POST
def explanation_answer(request, case_id: int, explanation_id: int):
    case = _case(request, case_id, CaseAction.ANSWER)
    explanation = get_object_or_404(Explanation, pk=explanation_id, case=case)
    form = forms.ExplanationAnswerForm(request.POST)
    return _step(request, case, form, lambda data: services.explanation_answer(
        explanation=explanation, actor=request.user, answer=data["answer"]))


@login_required
@require_POST
def case_close(request, case_id: int):
    case = _case(request, case_id, CaseAction.CLOSE)
    form = forms.CaseCloseForm(request.POST)
    return _step(request, case, form, lambda data: services.case_close(
        case=case, actor=request.user, conclusion=data["conclusion"]))
