"""Who may read and write a plan's periodic reports, in the style of roles.policy.

Writing (preparing, editing the narrative, refreshing, finalising) belongs to whoever may import
the plan: the Party Office (or the People's Committee office acting as it), the commune's
administrator and superusers. Reading (the list, the downloads) is open to them and to everyone
who may see the whole commune: the Inspection Committee, the Fatherland Front, province viewers,
and anyone the plan was shared with. Unit staff see their own work, not the commune's report.
"""
from __future__ import annotations

from enum import StrEnum

from dashboards.access import commune_wide_allows
from roles.models import User
from roles.policy import Action, plan_allows, plans_shared_ids


class ReportAction(StrEnum):
    VIEW = "view"
    EDIT = "edit"


def report_allows(*, user: User, action: ReportAction, plan) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if plan_allows(user=user, action=Action.IMPORT_PLAN, plan=plan):
        return True
    if action == ReportAction.VIEW:
        return commune_wide_allows(user=user, commune=plan.commune) or plan.pk in plans_shared_ids(user=user)
    return False
