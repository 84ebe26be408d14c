"""Who may do what with indicator figures: the one check the views and services ask.

- See a figure (and the plan's indicator pages): whoever may see the plan (the commune's roles,
  province viewers, a plan shared one by one).
- Submit a figure: a member of its reporting unit (the unit's staff or head).
- Approve or return it: the holder of the reporting unit's head post today.
- Change an indicator's reporting schedule: the Party Office (or the commune administrator),
  as for importing and activating the plan.
"""
from __future__ import annotations

from enum import StrEnum

from roles.models import User
from roles.policy import Action, headed_unit_ids, member_unit_ids, plan_allows


class FigureAction(StrEnum):
    VIEW = "view"
    SUBMIT = "submit"
    REVIEW = "review"


def figure_allows(*, user: User, action: FigureAction, figure) -> bool:
    """May `user` do `action` on `figure` now? Status rules live in indicators.services."""
    if not user.is_authenticated or not user.is_active:
        return False
    if action == FigureAction.VIEW:
        return plan_allows(user=user, action=Action.VIEW, plan=figure.plan)
    if action == FigureAction.SUBMIT:
        return figure.unit_id in member_unit_ids(user=user)
    if action == FigureAction.REVIEW:
        return figure.unit_id in headed_unit_ids(user=user)
    return False


def indicator_schedule_allows(*, user: User, indicator) -> bool:
    return plan_allows(user=user, action=Action.ACTIVATE_PLAN, plan=indicator.plan)
