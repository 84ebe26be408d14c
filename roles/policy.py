"""The one access policy: every "may this person do this to this object" is answered here.

Occurrences: a unit head is whoever holds the unit's head post today, so a post changing hands
moves the open work with it; staff and supporting members come from role grants on their unit;
the directing comrade is whoever holds the occurrence's directing post today.

Grants sit on coarse objects (commune, unit); plans and their rows inherit through their
foreign keys. Views, commands and queries ask this module and nothing else.
"""
from __future__ import annotations

from enum import StrEnum

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from roles.models import Commune, PostHolding, Role, RoleGrant, User


class Action(StrEnum):
    VIEW = "view"
    IMPORT_PLAN = "import_plan"
    ACTIVATE_PLAN = "activate_plan"
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
    if action in (Action.IMPORT_PLAN, Action.ACTIVATE_PLAN):
        return bool(roles & _IMPORTERS)
    if action == Action.ADMINISTER:
        return bool(roles & _ADMINISTRATORS)
    return False


def plan_allows(*, user: User, action: Action, plan) -> bool:
    """A plan inherits its commune's grants; a guardian grant on the plan itself adds viewing."""
    if commune_allows(user=user, action=action, commune=plan.commune):
        return True
    return action == Action.VIEW and user.is_authenticated and user.is_active and plan.pk in plans_shared_ids(user=user)


def plans_shared_ids(*, user: User) -> set[int]:
    """Plans shared with `user` one by one (guardian's direct foreign-key grants)."""
    from tasks.models import PlanUserObjectPermission

    return set(PlanUserObjectPermission.objects.filter(user=user, permission__codename="view_plan")
               .values_list("content_object_id", flat=True))


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


# Occurrences

COMMUNE_WIDE_VIEWERS = {Role.PARTY_OFFICE, Role.INSPECTION, Role.FRONT, Role.COMMUNE_ADMIN}


class OccurrenceAction(StrEnum):
    VIEW = "view"
    ACCEPT = "accept"
    SUBMIT = "submit"
    REVIEW = "review"
    DIRECTING_REVIEW = "directing_review"
    CONTRIBUTE = "contribute"
    REQUEST_EXTENSION = "request_extension"
    DECIDE_EXTENSION = "decide_extension"


def _current_holdings(*, user: User):
    today = timezone.localdate()
    return PostHolding.objects.filter(person=user, started_on__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    )


def headed_unit_ids(*, user: User) -> set[int]:
    return set(_current_holdings(user=user).filter(post__is_unit_head=True).values_list("post__unit_id", flat=True))


def held_post_ids(*, user: User) -> set[int]:
    return set(_current_holdings(user=user).values_list("post_id", flat=True))


def member_unit_ids(*, user: User) -> set[int]:
    granted = RoleGrant.objects.filter(person=user, role__in=[Role.STAFF, Role.UNIT_HEAD], unit__isnull=False)
    return set(granted.values_list("unit_id", flat=True)) | headed_unit_ids(user=user)


def _commune_wide_ids(*, user: User) -> set[int]:
    return set(
        RoleGrant.objects.filter(person=user, role__in=COMMUNE_WIDE_VIEWERS, commune__isnull=False)
        .values_list("commune_id", flat=True)
    )


def _provinces(*, user: User) -> set[str]:
    return set(RoleGrant.objects.filter(person=user, role=Role.PROVINCE_VIEWER).values_list("province", flat=True))


def occurrences_visible(*, user: User, queryset: QuerySet) -> QuerySet:
    """Narrow `queryset` (of Occurrence) to what `user` may see, as one SQL filter."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    from workflow.models import Contribution

    units = member_unit_ids(user=user)
    supported = Exists(Contribution.objects.filter(occurrence=OuterRef("pk"), unit_id__in=units))
    condition = (
        Q(commune_id__in=_commune_wide_ids(user=user))
        | Q(plan_id__in=plans_shared_ids(user=user))
        | Q(commune__province__in=_provinces(user=user))
        | Q(unit_id__in=units)
        | Q(directing_post_id__in=held_post_ids(user=user))
        | Q(assignee=user)
    )
    return queryset.filter(condition | Q(supported))


def occurrence_allows(*, user: User, action: OccurrenceAction, occurrence) -> bool:
    """May `user` do `action` on `occurrence` now? Status rules live in the services."""
    if not user.is_authenticated or not user.is_active:
        return False
    if action == OccurrenceAction.VIEW:
        from workflow.models import Occurrence

        return occurrences_visible(user=user, queryset=Occurrence.objects.filter(pk=occurrence.pk)).exists()
    is_head = occurrence.unit_id in headed_unit_ids(user=user)
    if action in (OccurrenceAction.ACCEPT, OccurrenceAction.REVIEW):
        return is_head
    if action in (OccurrenceAction.SUBMIT, OccurrenceAction.REQUEST_EXTENSION):
        return is_head or (occurrence.assignee_id is not None and occurrence.assignee_id == user.pk)
    if action == OccurrenceAction.DIRECTING_REVIEW:
        return occurrence.directing_post_id is not None and occurrence.directing_post_id in held_post_ids(user=user)
    if action == OccurrenceAction.DECIDE_EXTENSION:
        if occurrence.directing_post_id is not None:
            return occurrence.directing_post_id in held_post_ids(user=user)
        return occurrence.commune_id in set(RoleGrant.objects.filter(
            person=user, role=Role.PARTY_OFFICE).values_list("commune_id", flat=True))
    if action == OccurrenceAction.CONTRIBUTE:
        return occurrence.contributions.filter(unit_id__in=member_unit_ids(user=user)).exists()
    return False


def unit_staff(*, unit_id: int) -> QuerySet[User]:
    """The people a unit head may hand an occurrence to: the unit's staff and its head."""
    heads = PostHolding.objects.filter(post__unit_id=unit_id, post__is_unit_head=True, ended_on__isnull=True)
    return User.objects.filter(
        Q(role_grants__unit_id=unit_id, role_grants__role__in=[Role.STAFF, Role.UNIT_HEAD])
        | Q(pk__in=heads.values("person_id"))
    ).distinct().order_by("full_name")


# Inspection cases
#
# A case opens when an occurrence is escalated to the Inspection Committee. The committee's
# members (role "inspection" in the case's commune) and superusers run it: acknowledge, request
# an explanation, close. The explanation is answered by the lead unit: the holder of its head post
# today, or the occurrence's assignee. Viewing: the inspectors, the lead unit's people (and the
# assignee), the Party Office of the commune and the directing comrade of the occurrence (the
# holder of its directing post today: the case is about work they answer for). The Fatherland
# Front, the commune administrator, province viewers, supporting units and outsiders do not see
# cases, although some of them see the occurrence itself.


class CaseAction(StrEnum):
    VIEW = "view"
    ACKNOWLEDGE = "acknowledge"
    REQUEST_EXPLANATION = "request_explanation"
    ANSWER = "answer"
    CLOSE = "close"


_CASE_RUNNERS = {Role.INSPECTION}
_CASE_COMMUNE_VIEWERS = {Role.INSPECTION, Role.PARTY_OFFICE}


def _case_commune_ids(*, user: User, roles: set[str]) -> set[int]:
    return set(RoleGrant.objects.filter(person=user, role__in=roles, commune__isnull=False)
               .values_list("commune_id", flat=True))


def case_allows(*, user: User, action: CaseAction, case) -> bool:
    """May `user` do `action` on inspection `case` now? Status rules live in inspection.services."""
    if not user.is_authenticated or not user.is_active:
        return False
    occurrence = case.occurrence
    if action == CaseAction.ANSWER:
        return occurrence.unit_id in headed_unit_ids(user=user) or (
            occurrence.assignee_id is not None and occurrence.assignee_id == user.pk)
    if user.is_superuser:
        return action in (CaseAction.VIEW, CaseAction.ACKNOWLEDGE, CaseAction.REQUEST_EXPLANATION, CaseAction.CLOSE)
    if action in (CaseAction.ACKNOWLEDGE, CaseAction.REQUEST_EXPLANATION, CaseAction.CLOSE):
        return case.commune_id in _case_commune_ids(user=user, roles=_CASE_RUNNERS)
    if action == CaseAction.VIEW:
        from inspection.models import InspectionCase

        return cases_visible(user=user, queryset=InspectionCase.objects.filter(pk=case.pk)).exists()
    return False


def cases_visible(*, user: User, queryset: QuerySet) -> QuerySet:
    """Narrow `queryset` (of InspectionCase) to what `user` may see, as one SQL filter."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(
        Q(commune_id__in=_case_commune_ids(user=user, roles=_CASE_COMMUNE_VIEWERS))
        | Q(occurrence__unit_id__in=member_unit_ids(user=user))
        | Q(occurrence__assignee=user)
        | Q(occurrence__directing_post_id__in=held_post_ids(user=user))
    )


def cases_any_visible(*, user: User) -> bool:
    """Show the "Inspection cases" link? Inspectors and the Party Office always; others once a case of theirs exists."""
    if not user.is_authenticated or not user.is_active:
        return False
    cached = getattr(user, "_sauro_cases_visible", None)
    if cached is None:
        from inspection.models import InspectionCase

        cached = user.is_superuser or bool(_case_commune_ids(user=user, roles=_CASE_COMMUNE_VIEWERS)) or \
            cases_visible(user=user, queryset=InspectionCase.objects.all()).exists()
        user._sauro_cases_visible = cached
    return cached


# Two-factor sign-in

TWO_FACTOR_ROLES = {Role.UNIT_HEAD, Role.DIRECTING, Role.PARTY_OFFICE, Role.INSPECTION, Role.COMMUNE_ADMIN}


def two_factor_required(*, user: User) -> bool:
    """Must `user` pass a second factor (TOTP) after the password?

    Yes for whoever can approve, direct, inspect or administer: staff accounts and superusers;
    holders of a unit head post; holders of a directing post (a post with no unit, or a post some
    task names as its directing post); and role grants of unit head, directing comrade, Party Office,
    inspection or commune administrator. Staff, supporting members, the Front's members and province
    viewers may enrol but are not forced.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    if RoleGrant.objects.filter(person=user, role__in=TWO_FACTOR_ROLES).exists():
        return True
    from tasks.models import Task

    held = _current_holdings(user=user)
    return held.filter(Q(post__is_unit_head=True) | Q(post__unit__isnull=True)).exists() or \
        Task.objects.filter(directing_post_id__in=held.values("post_id")).exists()
