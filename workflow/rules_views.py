"""The commune administrator's page: escalation rungs and the working-day calendar."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roles.models import Commune
from roles.policy import Action, commune_allows
from workflow import services
from workflow.models import CalendarOverride, EscalationPolicy, escalation_rungs_default
from workflow.rules_forms import CalendarOverrideForm, EscalationPolicyForm


def _commune(request, slug: str) -> Commune:
    commune = get_object_or_404(Commune, slug=slug)
    if not commune_allows(user=request.user, action=Action.ADMINISTER, commune=commune):
        raise PermissionDenied
    return commune


def _policy_initial(commune: Commune) -> dict:
    policy = EscalationPolicy.objects.filter(commune=commune).first()
    if policy is None:
        return {"rungs": escalation_rungs_default(), "counts_working_days": True}
    return {"rungs": policy.rungs, "counts_working_days": policy.counts_working_days}


def _report(request, perform) -> None:
    try:
        perform()
    except ValidationError as invalid:
        for message in invalid.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Saved."))


@login_required
def commune_rules(request, slug: str):
    commune = _commune(request, slug)
    return render(request, "workflow/commune_rules.html", {
        "commune": commune,
        "policy_form": EscalationPolicyForm(**_policy_initial(commune)),
        "override_form": CalendarOverrideForm(),
        "overrides": CalendarOverride.objects.filter(commune=commune).order_by("day"),
    })


@login_required
@require_POST
def commune_policy_edit(request, slug: str):
    commune = _commune(request, slug)
    form = EscalationPolicyForm(request.POST, **_policy_initial(commune))
    if form.is_valid():
        _report(request, lambda: services.escalation_policy_update(
            commune=commune, actor=request.user, offsets=form.offsets(),
            counts_working_days=form.cleaned_data["counts_working_days"]))
    else:
        messages.error(request, _("Check the numbers: whole working days between -60 and 120."))
    return redirect("commune_rules", slug=slug)


@login_required
@require_POST
def calendar_override_add(request, slug: str):
    commune = _commune(request, slug)
    form = CalendarOverrideForm(request.POST)
    if form.is_valid():
        _report(request, lambda: services.calendar_override_set(commune=commune, actor=request.user, **form.cleaned_data))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("commune_rules", slug=slug)


@login_required
@require_POST
def calendar_override_delete(request, slug: str, override_id: int):
    commune = _commune(request, slug)
    override = get_object_or_404(CalendarOverride, pk=override_id, commune=commune)
    services.calendar_override_remove(override=override, actor=request.user)
    messages.success(request, _("Saved."))
    return redirect("commune_rules", slug=slug)


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


@login_required
def board(request, slug: str):
    """The Party Office's board of overdue and due-soon work (also for the administrator and inspectors)."""
    from django.utils import timezone

    from roles.models import Role
    from workflow.board import BoardFilters, board_choices_get, board_get
    from workflow.paging import page_number_get

    commune = get_object_or_404(Commune, slug=slug)
    allowed = request.user.is_superuser or request.user.role_grants.filter(
        commune=commune, role__in=[Role.PARTY_OFFICE, Role.COMMUNE_ADMIN, Role.INSPECTION]).exists()
    if not allowed:
        raise PermissionDenied
    filters = BoardFilters(**{name: _int_or_none(request.GET.get(name)) for name in BoardFilters.__dataclass_fields__})
    page = page_number_get(request.GET.get("page"))
    context = {"commune": commune, "filters": filters, **board_get(commune=commune, filters=filters,
                                                                   today=timezone.localdate(), page=page),
               **board_choices_get(commune=commune)}
    return render(request, "workflow/board.html", context)
