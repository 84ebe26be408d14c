"""In which post a person acted: the post that gives them the right, as far as it can be told."""
from __future__ import annotations

from roles.models import Post


def acting_post_get(*, actor, unit_id: int | None = None, directing_post_id: int | None = None) -> Post | None:
    """The directing post if they hold it, else the post they hold in the unit (its head first), else any."""
    if actor is None or not getattr(actor, "pk", None):
        return None
    from roles.policy import held_post_ids

    held = held_post_ids(user=actor)
    if not held:
        return None
    posts = {post.pk: post for post in Post.objects.filter(pk__in=held)}
    if directing_post_id in posts:
        return posts[directing_post_id]
    in_unit = sorted((post for post in posts.values() if unit_id and post.unit_id == unit_id),
                     key=lambda post: (not post.is_unit_head, post.pk))
    return in_unit[0] if in_unit else min(posts.values(), key=lambda post: post.pk)
