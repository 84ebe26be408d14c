from django import template

from audit.access import audit_workspace_allows, audit_workspace_any
from audit.workspace import EVENT_KINDS, OBJECT_TYPES

register = template.Library()


@register.filter
def may_open_history(user) -> bool:
    """Whether the history workspace belongs in the menu: audit/access.py decides."""
    return audit_workspace_any(user=user)


@register.filter
def may_inspect(user, commune) -> bool:
    """Whether `user` may open `commune`'s history and export evidence from it."""
    return commune is not None and audit_workspace_allows(user=user, commune=commune)


@register.filter
def kind_label(kind: str) -> str:
    return str(EVENT_KINDS.get(kind, kind))


@register.filter
def object_label(object_type: str) -> str:
    return str(OBJECT_TYPES.get(object_type, object_type))
