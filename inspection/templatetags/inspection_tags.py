from django import template

from roles.policy import cases_any_visible

register = template.Library()


@register.filter
def may_see_cases(user) -> bool:
    """Whether the "Inspection cases" link belongs in the menu: the policy decides."""
    return cases_any_visible(user=user)
