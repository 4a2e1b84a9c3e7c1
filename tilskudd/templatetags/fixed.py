"""{% fixed %}…{% endfixed %}: markup that is the same for every request in a language (the
header's links and their words, the stylesheets and scripts, the footer), rendered once a
process for each language and kept on the template's node (issue 15: every page paid for
its ~20 `{% trans %}`, 10 `{% url %}` and 6 `{% static %}` each time).

What is inside sees no variable of the page but those it names, `{% fixed admin %}`, whose
values (a string, number, boolean or None) are then part of what it is kept by: it is
rendered with a context of those alone (any other variable renders as nothing, which the
tests would see), so it cannot hold anything of a request, a user or a CSRF token. A
template reloaded (development) is a new node with nothing kept."""

from django import template
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


KEPT = (str, int, bool, type(None))


class FixedNode(template.Node):
    # nothing inside is the page's, not even a {% block %}: {% extends %}, which looks for
    # the blocks on every render, need not walk it
    child_nodelists = ()

    def __init__(self, nodelist, names: list[str]):
        self.nodelist = nodelist
        self.names = names
        self.rendered: dict[tuple, str] = {}

    def render(self, context):
        values = tuple(context.get(name) for name in self.names)
        kept = all(type(value) in KEPT for value in values)
        key = (get_language(), get_script_prefix(), values) if kept else None
        html = self.rendered.get(key) if kept else None
        if html is None:
            alone = template.Context(dict(zip(self.names, values, strict=True)),
                                     autoescape=context.autoescape)
            alone.template = context.template  # {% include %} inside finds its engine
            html = mark_safe(self.nodelist.render(alone))  # noqa: S308 - rendered escaped
            if kept:
                self.rendered[key] = html
        return html


@register.tag
def fixed(parser, token):
    names = token.split_contents()[1:]
    nodelist = parser.parse(("endfixed",))
    parser.delete_first_token()
    return FixedNode(nodelist, names)
