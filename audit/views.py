"""Thin views of the inspectors' workspace: audit/access.py decides, audit/workspace.py reads, audit/bundle.py exports.

Every page an inspector opens and every bundle exported is itself recorded in the commune's history.
"""
from __future__ import annotations

import tempfile
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.access import audit_workspace_allows, audit_workspace_communes
from audit.bundle import bundle_export, case_selection_get, search_selection_get
from audit.forms import WorkspaceFilterForm, filters_query
from audit.workspace import (
    SHOW_EVENTS, SHOW_OCCURRENCES, WorkspaceFilters, filters_describe, timeline_get, timeline_subject_get,
    workspace_page_get, workspace_view_record,
)
from roles.models import Commune


def _commune(request, slug: str) -> Commune:
    commune = get_object_or_404(Commune, slug=slug)
    if not audit_workspace_allows(user=request.user, commune=commune):
        raise PermissionDenied
    return commune


@login_required
def workspace_home(request):
    """The menu's entry: straight to the commune when there is one, else the list to choose from."""
    communes = list(audit_workspace_communes(user=request.user).order_by("name"))
    if not communes:
        raise PermissionDenied
    if len(communes) == 1:
        return redirect("audit_workspace", slug=communes[0].slug)
    return render(request, "audit/home.html", {"communes": communes})


def _search(request, commune: Commune, data) -> tuple[WorkspaceFilterForm, WorkspaceFilters, str]:
    form = WorkspaceFilterForm(data, commune=commune)
    if form.is_bound and form.is_valid():
        return form, form.filters(), form.shown()
    return form, WorkspaceFilters(), SHOW_OCCURRENCES


@login_required
def workspace(request, slug: str):
    commune = _commune(request, slug)
    form, filters, show = _search(request, commune, request.GET or None)
    searched = not form.is_bound or form.is_valid()  # a first visit lists everything; a bad search lists nothing
    context = {"commune": commune, "form": form, "filters": filters, "show": show, "searched": searched,
               "described": filters_describe(commune=commune, filters=filters, show=show)[1:],
               "query": filters_query(filters=filters, show=show)}
    if searched:
        context.update(workspace_page_get(commune=commune, filters=filters, show=show,
                                          page_number=request.GET.get("page"), today=timezone.localdate()))
    workspace_view_record(actor=request.user, commune=commune, detail={
        "page": "search", "show": show, "searched": searched, **filters.as_detail(),
        **({"page_number": context["page"].number} if searched else {})})
    return render(request, "audit/workspace.html", context)


_SUBJECT_TEMPLATES = {"occurrence": "audit/timeline_occurrence.html", "task": "audit/timeline.html",
                      "person": "audit/timeline.html", "unit": "audit/timeline.html"}


@login_required
def timeline(request, slug: str, subject: str, subject_id: int):
    commune = _commune(request, slug)
    found = timeline_subject_get(commune=commune, subject=subject, subject_id=subject_id)
    if found is None:
        raise Http404
    context = {"commune": commune, "subject": subject, "found": found,
               **timeline_get(commune=commune, subject=subject, subject_id=subject_id,
                              page_number=request.GET.get("page"), today=timezone.localdate())}
    context["query"] = filters_query(filters=context["filters"], show=SHOW_EVENTS)
    workspace_view_record(actor=request.user, commune=commune, detail={
        "page": "timeline", "subject": subject, "id": subject_id, "page_number": context["page"].number})
    return render(request, _SUBJECT_TEMPLATES[subject], context)


def _sent(result_file, *, filename: str) -> FileResponse:
    response = FileResponse(result_file, as_attachment=True, filename=filename, content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


@login_required
@require_POST
def bundle_export_view(request, slug: str):
    """Export what the search (or the timeline) shows; the form's fields say which."""
    commune = _commune(request, slug)
    form, filters, show = _search(request, commune, request.POST)
    back = f'{reverse("audit_workspace", kwargs={"slug": slug})}?{urlencode(filters_query(filters=filters, show=show))}'
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    out = tempfile.TemporaryFile()
    try:
        bundle_export(selection=search_selection_get(commune=commune, filters=filters, show=show,
                                                     today=timezone.localdate()),
                      actor=request.user, out=out)
    except ValidationError as refused:
        out.close()
        for message in refused.messages:
            messages.error(request, message)
        return redirect(request.POST.get("back") if _is_local(request.POST.get("back")) else back)
    return _sent(out, filename=f"ho-so-chung-cu-{commune.slug}-{_stamp()}.zip")


def _is_local(url: str | None) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    return bool(url) and url_has_allowed_host_and_scheme(url, allowed_hosts=None)


@login_required
@require_POST
def case_bundle_export(request, case_id: int):
    from inspection.models import InspectionCase

    case = get_object_or_404(InspectionCase.objects.select_related("commune", "occurrence__task", "occurrence__unit"),
                             pk=case_id)
    if not audit_workspace_allows(user=request.user, commune=case.commune):
        raise PermissionDenied
    out = tempfile.TemporaryFile()
    try:
        bundle_export(selection=case_selection_get(case=case), actor=request.user, out=out)
    except ValidationError as refused:
        out.close()
        for message in refused.messages:
            messages.error(request, message)
        return redirect("case_detail", case_id=case.pk)
    return _sent(out, filename=f"ho-so-vu-viec-{case.pk}-{_stamp()}.zip")
