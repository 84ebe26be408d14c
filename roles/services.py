"""Writes for communes, units, posts and post holdings."""
from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from audit.services import audit_record
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


@transaction.atomic
def commune_create(*, slug: str, name: str, province: str = "", actor: User | None = None) -> Commune:
    commune = Commune.objects.create(slug=slug, name=name, province=province)
    audit_record(kind="created", object_type="commune", object_id=commune.pk, commune_id=commune.pk, actor=actor,
                 after={"slug": slug, "name": name, "province": province})
    return commune


@transaction.atomic
def unit_create(*, commune: Commune, name: str, kind: str, aliases: list[str] | None = None,
                head_title: str | None = None, actor: User | None = None) -> Unit:
    """A unit always comes with its head post: the head is who accepts and approves its work."""
    unit = Unit.objects.create(commune=commune, name=name, kind=kind, aliases=list(aliases or []))
    head = Post.objects.create(
        commune=commune, unit=unit, title=head_title or unit_head_title(unit_name=name), is_unit_head=True
    )
    audit_record(kind="created", object_type="unit", object_id=unit.pk, commune_id=commune.pk, actor=actor,
                 unit=unit, after={"name": name, "kind": kind, "head_post": head.title})
    return unit


@transaction.atomic
def post_create(*, commune: Commune, title: str, unit: Unit | None = None, aliases: list[str] | None = None,
                actor: User | None = None) -> Post:
    post = Post.objects.create(commune=commune, unit=unit, title=title, aliases=list(aliases or []))
    audit_record(kind="created", object_type="post", object_id=post.pk, commune_id=commune.pk, actor=actor,
                 post=post, unit=unit, after={"title": title})
    return post


@transaction.atomic
def post_assign(*, post: Post, person: User, started_on: date, actor: User | None = None) -> PostHolding:
    """Hand a post to a person from a day on; whoever held it until then stops the day before."""
    current = (PostHolding.objects.select_for_update().select_related("person")
               .filter(post=post, ended_on__isnull=True).first())
    if current is not None:
        if current.person_id == person.pk:
            return current
        current.ended_on = max(current.started_on, started_on - timedelta(days=1))
        current.save(update_fields=["ended_on"])
    holding = PostHolding.objects.create(post=post, person=person, started_on=started_on)
    audit_record(kind="assigned", object_type="post", object_id=post.pk, commune_id=post.commune_id, actor=actor,
                 post=post, unit=post.unit,
                 before={"holder": current.person_id, "holder_name": str(current.person)} if current else {},
                 after={"holder": person.pk, "holder_name": str(person)}, detail={"from": started_on.isoformat()})
    return holding


@transaction.atomic
def role_grant(*, person: User, role: str, commune: Commune | None = None, unit: Unit | None = None,
               province: str = "", actor: User | None = None) -> RoleGrant:
    grant, created = RoleGrant.objects.get_or_create(
        person=person, commune=commune, unit=unit, role=role, defaults={"province": province}
    )
    if created:
        audit_record(kind="granted", object_type="role_grant", object_id=grant.pk,
                     commune_id=commune.pk if commune else person.commune_id, actor=actor, unit=unit,
                     after={"person": person.pk, "person_name": str(person), "role": role, "province": province})
    return grant


@transaction.atomic
def role_revoke(*, grant: RoleGrant, actor: User | None = None) -> None:
    audit_record(kind="revoked", object_type="role_grant", object_id=grant.pk,
                 commune_id=grant.commune_id or grant.person.commune_id, actor=actor, unit=grant.unit,
                 before={"person": grant.person_id, "person_name": str(grant.person), "role": grant.role})
    grant.delete()


__all__ = ["Role", "commune_create", "post_assign", "post_create", "role_grant", "role_revoke", "unit_create",
           "unit_head_title"]
