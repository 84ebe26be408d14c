"""Who may open the inspectors' workspace of a commune's history, and export evidence from it.

The commune's Inspection Committee (role "inspection" in that commune), an inspection grant at
province level (role "inspection" with no commune and the commune's province), the commune's
administrator and superusers. Not unit heads, staff, the directing comrade, the Fatherland Front
or the Party Office: the whole history, logins included, is the inspectors' tool; the others see
each task's own history on its page.
"""
from __future__ import annotations

from django.db.models import Q, QuerySet

from roles.models import Commune, Role, RoleGrant, User
from roles.policy import Action, commune_allows


def _grants(*, user: User) -> list[dict]:
    """The user's inspection and administration grants, read once per request (cached on the user)."""
    cached = getattr(user, "_sauro_audit_grants", None)
    if cached is None:
        cached = list(RoleGrant.objects.filter(person=user, role__in=[Role.INSPECTION, Role.COMMUNE_ADMIN])
                      .values("commune_id", "province", "role"))
        user._sauro_audit_grants = cached
    return cached


def _inspects(grant: dict, commune: Commune) -> bool:
    if grant["role"] != Role.INSPECTION:
        return False
    if grant["commune_id"] is not None:
        return grant["commune_id"] == commune.pk
    return bool(grant["province"]) and grant["province"] == commune.province


def audit_workspace_allows(*, user: User, commune: Commune) -> bool:
    """May `user` search `commune`'s history, open its timelines and export evidence bundles?"""
    if not user.is_authenticated or not user.is_active:
        return False
    if commune_allows(user=user, action=Action.ADMINISTER, commune=commune):  # superusers and its administrator
        return True
    return any(_inspects(grant, commune) for grant in _grants(user=user))


def audit_workspace_any(*, user: User) -> bool:
    """Show the workspace link in the menu? Whoever the function above lets into at least one commune."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or any(
        grant["role"] == Role.COMMUNE_ADMIN and grant["commune_id"] is not None
        or grant["role"] == Role.INSPECTION and (grant["commune_id"] is not None or grant["province"])
        for grant in _grants(user=user))


def audit_workspace_communes(*, user: User) -> QuerySet[Commune]:
    """The communes whose workspace `user` may open: the same rule as audit_workspace_allows, as one query."""
    if not user.is_authenticated or not user.is_active:
        return Commune.objects.none()
    if user.is_superuser:
        return Commune.objects.all()
    grants = _grants(user=user)
    commune_ids = {grant["commune_id"] for grant in grants if grant["commune_id"] is not None}
    provinces = {grant["province"] for grant in grants
                 if grant["role"] == Role.INSPECTION and grant["commune_id"] is None and grant["province"]}
    return Commune.objects.filter(Q(pk__in=commune_ids) | Q(province__in=provinces))
