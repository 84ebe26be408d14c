"""Writes for communes, units, posts and post holdings."""
from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from roles.models import Commune, Post, PostHolding, Role, RoleGrant, Unit, User

_HEAD_TITLE_PREFIXES: tuple[tuple[str, str], ...] = (
    ("Phòng ", "Trưởng phòng "),
    ("Ban ", "Trưởng ban "),
    ("Văn phòng ", "Chánh Văn phòng "),
    ("Ủy ban kiểm tra", "Chủ nhiệm Ủy ban kiểm tra"),
    ("Uỷ ban kiểm tra", "Chủ nhiệm Uỷ ban kiểm tra"),
    ("Ủy ban Mặt trận", "Chủ tịch Ủy ban Mặt trận"),
    ("Uỷ ban Mặt trận", "Chủ tịch Uỷ ban Mặt trận"),
    ("Trung tâm ", "Giám đốc Trung tâm "),
    ("Trường ", "Hiệu trưởng Trường "),
    ("Chi bộ ", "Bí thư Chi bộ "),
)


def unit_head_title(*, unit_name: str) -> str:
    """The title Vietnamese administration gives the head of a unit with this name."""
    for prefix, title_prefix in _HEAD_TITLE_PREFIXES:
        if unit_name.startswith(prefix):
            return title_prefix + unit_name[len(prefix):]
    return f"Trưởng {unit_name}" if unit_name.startswith("Công an") else f"Thủ trưởng {unit_name}"


def commune_create(*, slug: str, name: str, province: str = "") -> Commune:
    return Commune.objects.create(slug=slug, name=name, province=province)


@transaction.atomic
def unit_create(*, commune: Commune, name: str, kind: str, aliases: list[str] | None = None,
                head_title: str | None = None) -> Unit:
    """A unit always comes with its head post: the head is who accepts and approves its work."""
    unit = Unit.objects.create(commune=commune, name=name, kind=kind, aliases=list(aliases or []))
    Post.objects.create(
        commune=commune, unit=unit, title=head_title or unit_head_title(unit_name=name), is_unit_head=True
    )
    return unit


def post_create(*, commune: Commune, title: str, unit: Unit | None = None, aliases: list[str] | None = None) -> Post:
    return Post.objects.create(commune=commune, unit=unit, title=title, aliases=list(aliases or []))


@transaction.atomic
def post_assign(*, post: Post, person: User, started_on: date) -> PostHolding:
    """Hand a post to a person from a day on; whoever held it until then stops the day before."""
    current = PostHolding.objects.select_for_update().filter(post=post, ended_on__isnull=True).first()
    if current is not None:
        if current.person_id == person.pk:
            return current
        current.ended_on = max(current.started_on, started_on - timedelta(days=1))
        current.save(update_fields=["ended_on"])
    return PostHolding.objects.create(post=post, person=person, started_on=started_on)


def role_grant(*, person: User, role: str, commune: Commune | None = None, unit: Unit | None = None,
               province: str = "") -> RoleGrant:
    grant, _ = RoleGrant.objects.get_or_create(
        person=person, commune=commune, unit=unit, role=role, defaults={"province": province}
    )
    return grant


__all__ = ["Role", "commune_create", "post_assign", "post_create", "role_grant", "unit_create", "unit_head_title"]
