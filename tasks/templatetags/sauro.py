from django import template

from tasks.problems import message_bilingual
from tasks.sixro import DIMENSION_LABELS

register = template.Library()


@register.filter
def sixro_label(key: str) -> str:
    return str(DIMENSION_LABELS.get(key, key))


@register.filter
def bilingual(problem) -> dict[str, str]:
    return message_bilingual(message=problem.message)
