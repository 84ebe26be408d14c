"""Small display helpers for the indicator pages."""
from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils import timezone

from indicators.periods import period_label as _period_label
from indicators.selectors import figure_value_text

register = template.Library()

DUE_SOON_DAYS = 7


@register.filter
def figure_urgency(figure) -> str:
    """overdue / due_soon / '' for an open figure, from its due date (never stored)."""
    if not figure.is_open:
        return ""
    today = timezone.localdate()
    if figure.due_on < today:
        return "overdue"
    if figure.due_on <= today + timedelta(days=DUE_SOON_DAYS):
        return "due_soon"
    return ""


@register.filter
def figure_period(key: str) -> str:
    return _period_label(key=key)


@register.filter
def figure_text(figure) -> str:
    return figure_value_text(figure=figure, unit="")
