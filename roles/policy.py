"""The one access policy: every "may this person do this to this object" is answered here.

Grants sit on coarse objects (commune, unit); plans and their rows inherit through their
foreign keys. Views, commands and queries ask this module and nothing else.
"""
from __future__ import annotations

from enum import StrEnum

from django.db.models import Q, QuerySet

from roles.models import Commune, Role, RoleGrant, User


class Action(StrEnum):
    VIEW = "view"
    IMPORT_PLAN = "import_plan"
    ADMINISTER = "administer"


# Roles that may import plans into their commune: the Party Office (or the People's Committee
# office acting as it) and the commune's administrator.
_IMPORTERS = {Role.PARTY_OFFICE, Role.COMMUNE_ADMIN}
_ADMINISTRATORS = {Role.COMMUNE_ADMIN}


def _commune_roles(*, user: User, commune: Commune) -> set[str]:
    cache = getattr(user, "_sauro_roles", None)
    if cache is None:
        cache = {}
        for grant in RoleGrant.objects.filter(person=user).values("commune_id", "province", "role"):
            cache.setdefault(grant["commune_id"], set()).add(grant["role"])
            if grant["role"] == Role.PROVINCE_VIEWER:
                cache.setdefault(("province", grant["province"]), set()).add(grant["role"])
        user._sauro_roles = cache
    roles = set(cache.get(commune.pk, set()))
    roles |= cache.get(("province", commune.province), set())
    return roles


def commune_allows(*, user: User, action: Action, commune: Commune) -> bool:
    """May `user` do `action` in `commune`? Superusers may do everything."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    roles = _commune_roles(user=user, commune=commune)
    if action == Action.VIEW:
        return bool(roles)
    if action == Action.IMPORT_PLAN:
        return bool(roles & _IMPORTERS)
    if action == Action.ADMINISTER:
        return bool(roles & _ADMINISTRATORS)
    return False


def plan_allows(*, user: User, action: Action, plan) -> bool:
    """A plan inherits its commune's grants."""
    return commune_allows(user=user, action=action, commune=plan.commune)


def communes_visible(*, user: User) -> QuerySet[Commune]:
    """The communes whose data `user` may see: a queryset, so lists never load what they hide."""
    if not user.is_authenticated or not user.is_active:
        return Commune.objects.none()
    if user.is_superuser:
        return Commune.objects.all()
    grants = RoleGrant.objects.filter(person=user)
    provinces = grants.filter(role=Role.PROVINCE_VIEWER).values("province")
    return Commune.objects.filter(
        Q(pk__in=grants.exclude(commune__isnull=True).values("commune_id")) | Q(province__in=provinces)
    ).distinct()


def communes_importable(*, user: User) -> QuerySet[Commune]:
    if user.is_superuser:
        return Commune.objects.all()
    return Commune.objects.filter(
        pk__in=RoleGrant.objects.filter(person=user, role__in=_IMPORTERS).values("commune_id")
    )
