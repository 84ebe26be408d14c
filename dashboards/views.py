"""Thin views for the dashboards: dashboards.access decides, dashboards.selectors counts, charts draw."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from dashboards import access, selectors
from dashboards.charts import commune_charts, figures_charts
from roles.models import Commune, Post, Unit


@login_required
def dashboards_index(request):
    return render(request, "dashboards/index.html", selectors.dashboards_index_get(user=request.user))


@login_required
def commune_dashboard(request, slug: str):
    commune = get_object_or_404(Commune, slug=slug)
    if not access.commune_wide_allows(user=request.user, commune=commune):
        raise PermissionDenied
    context = selectors.commune_dashboard_get(user=request.user, commune=commune, today=timezone.localdate())
    context["charts"] = {**figures_charts(figures=context["figures"], prefix="commune"),
                         **commune_charts(units=context["units"], indicators=context["indicators"])}
    return render(request, "dashboards/commune.html", context)


@login_required
def unit_scorecard(request, slug: str, unit_id: int):
    unit = get_object_or_404(Unit.objects.select_related("commune"), pk=unit_id, commune__slug=slug)
    if not access.unit_scorecard_allows(user=request.user, unit=unit):
        raise PermissionDenied
    context = selectors.unit_scorecard_get(user=request.user, unit=unit, today=timezone.localdate())
    context["charts"] = figures_charts(figures=context["figures"], prefix="unit")
    return render(request, "dashboards/unit.html", context)


@login_required
def directing_area(request, slug: str, post_id: int):
    post = get_object_or_404(Post.objects.select_related("commune"), pk=post_id, commune__slug=slug)
    if not access.directing_area_allows(user=request.user, post=post):
        raise PermissionDenied
    context = selectors.directing_area_get(user=request.user, post=post, today=timezone.localdate())
    context["charts"] = figures_charts(figures=context["figures"], prefix="area")
    return render(request, "dashboards/directing.html", context)


@login_required
def province_overview(request):
    provinces = access.provinces_visible(user=request.user)
    if not provinces:
        raise PermissionDenied
    today = timezone.localdate()
    return render(request, "dashboards/province.html", {
        "today": today, "provinces": selectors.province_overview_get(user=request.user, provinces=provinces,
                                                                     today=today)})
