"""Who may open which dashboard, in the style of roles.policy (which stays the one source of roles).

A dashboard adds up a whole scope, so it is open only to those who may see all of that scope:
- the commune's dashboard: the commune-wide viewers of roles.policy (Party Office, Inspection
  Committee, Fatherland Front, commune administrator) and province viewers of its province;
- a unit's scorecard: those, and the unit's own people (its head and staff);
- a directing comrade's area: those, and whoever holds the post today;
- the province view: province viewers, for the provinces they were granted.
Superusers see everything. The figures are still counted over roles.policy.occurrences_visible.
"""
from __future__ import annotations

from django.db.models import Q

from roles.models import Commune, Post, Role, RoleGrant, Unit, User
from roles.policy import COMMUNE_WIDE_VIEWERS, held_post_ids, member_unit_ids


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def commune_wide_allows(*, user: User, commune: Commune) -> bool:
    """May `user` see every figure of `commune`? One query."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    wide = Q(role__in=COMMUNE_WIDE_VIEWERS, commune=commune)
    province = Q(role=Role.PROVINCE_VIEWER, province=commune.province) if commune.province else Q(pk__in=[])
    return RoleGrant.objects.filter(Q(person=user) & (wide | province)).exists()


def communes_wide_visible(*, user: User):
    """The communes whose dashboard `user` may open, as a queryset."""
    if not _active(user):
        return Commune.objects.none()
    if user.is_superuser:
        return Commune.objects.all()
    grants = RoleGrant.objects.filter(person=user)
    return Commune.objects.filter(
        Q(pk__in=grants.filter(role__in=COMMUNE_WIDE_VIEWERS).values("commune_id"))
        | Q(province__in=grants.filter(role=Role.PROVINCE_VIEWER).values("province"))
    ).distinct()


def unit_scorecard_allows(*, user: User, unit: Unit) -> bool:
    if not _active(user):
        return False
    return unit.pk in member_unit_ids(user=user) or commune_wide_allows(user=user, commune=unit.commune)


def directing_area_allows(*, user: User, post: Post) -> bool:
    if not _active(user):
        return False
    return post.pk in held_post_ids(user=user) or commune_wide_allows(user=user, commune=post.commune)


def provinces_visible(*, user: User) -> list[str]:
    """The provinces whose communes `user` may compare: superusers every province with a commune."""
    if not _active(user):
        return []
    if user.is_superuser:
        provinces = Commune.objects.exclude(province="").values_list("province", flat=True)
    else:
        provinces = RoleGrant.objects.filter(person=user, role=Role.PROVINCE_VIEWER).exclude(province="") \
            .values_list("province", flat=True)
    return sorted(set(provinces))
