from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def portal_languages() -> list[tuple[str, str]]:
    """settings.LANGUAGES as they are, each named in its own language (Django's
    get_available_languages would translate «English» into the page's language)."""
    return list(settings.LANGUAGES)
