"""Reads for communes, units and posts."""
from __future__ import annotations

from datetime import date

from django.utils import timezone

from roles.models import Commune, Post, PostHolding, Unit
from roles.unitnames import (
    PostDirectory,
    PostEntry,
    UnitDirectory,
    UnitEntry,
    post_directory_build,
    unit_directory_build,
)


def unit_directory_get(*, commune: Commune) -> UnitDirectory:
    rows = Unit.objects.filter(commune=commune).values_list("id", "name", "kind", "aliases")
    return unit_directory_build(
        entries=[UnitEntry(id=pk, name=name, kind=kind, aliases=tuple(aliases or ())) for pk, name, kind, aliases in rows]
    )


def post_directory_get(*, commune: Commune) -> PostDirectory:
    rows = Post.objects.filter(commune=commune).values_list("id", "title", "aliases")
    return post_directory_build(
        entries=[PostEntry(id=pk, title=title, aliases=tuple(aliases or ())) for pk, title, aliases in rows]
    )


def unit_heads_get(*, unit_ids: set[int], on: date | None = None) -> dict[int, tuple[Post, PostHolding | None]]:
    """For each unit, its head post and who holds it on `on` (today by default): one query each."""
    on = on or timezone.localdate()
    posts = {post.unit_id: post for post in Post.objects.filter(unit_id__in=unit_ids, is_unit_head=True)}
    holdings = {
        holding.post_id: holding
        for holding in PostHolding.objects.select_related("person").filter(
            post__in=posts.values(), started_on__lte=on
        ).exclude(ended_on__lt=on)
    }
    return {unit_id: (post, holdings.get(post.pk)) for unit_id, post in posts.items()}
