from django import template

from tilskudd.idporten import provider

register = template.Library()


@register.simple_tag
def idporten_enabled() -> bool:
    """Whether the login page offers «Logg inn med ID-porten» (the variables are set)."""
    return provider.enabled()
