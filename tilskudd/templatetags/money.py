from django import template

from tilskudd.money import format_nok

register = template.Library()


@register.filter
def nok(value):
    """{{ 60000|nok }} -> "kr 60 000" (non-breaking spaces)."""
    return format_nok(value)
