"""The parts of the caseworkers' list around its table, as Django's admin renders them but
cheaper (issue 15; tests/assessment/test_admin_page.py compares them with Django's):

- `{% kept_action_form action_form %}`: the actions form's fields (Django's block
  actions-form of admin/actions.html: the action select and the hidden select-across
  field, each through the form's widget templates, about 2 000 function calls a page),
  rendered once for each language and set of actions and kept, as the sidebar's app list
  is (tilskudd/templatetags/admin_sidebar.py). Their HTML holds only what the key holds:
  the form's class, prefix and initial values and each field's choices (which the
  changelist view sets from the user's permitted actions) in the active language; no
  user, CSRF token or row. A bound form (a POST's, with what was chosen) is rendered
  every time. Used by templates/admin/assessment/submittedapplication/actions.html.
- `{% kept_media_js media %}`: the list's scripts (Django's `{{ media.js }}`, a static
  URL looked up for each of the admin's eight scripts), rendered once for each list of
  scripts and static URL and kept.
- `{% list_pagination cl %}`: Django's admin/pagination.html, written here (its template
  called a tag for each page link); an editable list's (its save button) is Django's.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.contrib.admin.templatetags.admin_list import pagination, paginator_number
from django.contrib.admin.views.main import PAGE_VAR
from django.template.loader import render_to_string
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

register = template.Library()

#: Django's «Show all» of admin/pagination.html, translated by Django's catalogue (named
#: here, not written in gettext(), so that makemessages leaves it to Django's)
SHOW_ALL = "Show all"
#: stands for the page's number in the pagination's links, made once a page
PAGE_PLACEHOLDER = "PAGE0PLACEHOLDER0PAGE"
#: Django's block actions-form of admin/actions.html
ACTION_FORM = template.Template(
    "{% for field in action_form %}{% if field.label %}<label>{{ field.label }} {{ field }}"
    "</label>{% else %}{{ field }}{% endif %}{% endfor %}")
#: rendered forms by key; a handful in practice (a language and a set of actions each)
_KEPT: dict[tuple, SafeString] = {}
_MAX_KEPT = 256


def action_form_key(form) -> tuple | None:
    """What the form's fields' HTML depends on, as a key, or None for a form to render
    every time (bound, or with a choice or initial value that is not a plain text)."""
    if form.is_bound:
        return None
    fields = []
    for name, field in form.fields.items():
        choices = []
        for value, label in getattr(field, "choices", ()):
            if isinstance(label, list | tuple) or not isinstance(value, str | int):
                return None  # a group of choices: rendered every time
            choices.append((value, str(label)))
        fields.append((name, tuple(choices)))
    initial = tuple(sorted((str(k), v) for k, v in form.initial.items()))
    if not all(isinstance(v, str | int) for _k, v in initial):
        return None
    return (get_language(), type(form), form.prefix, form.auto_id, initial, tuple(fields))


@register.simple_tag
def kept_action_form(action_form) -> SafeString:
    key = action_form_key(action_form)
    html = _KEPT.get(key) if key is not None else None
    if html is None:
        html = ACTION_FORM.render(template.Context({"action_form": action_form}))
        if key is not None:
            if len(_KEPT) >= _MAX_KEPT:
                _KEPT.clear()
            _KEPT[key] = html
    return html


@register.simple_tag
def kept_media_js(media) -> SafeString:
    lists = tuple(tuple(scripts) for scripts in media._js_lists)
    if not all(isinstance(path, str) for scripts in lists for path in scripts):
        return media["js"].render()  # a Script object or such: rendered every time
    key = ("js", settings.STATIC_URL, lists)
    html = _KEPT.get(key)
    if html is None:
        html = _KEPT[key] = media["js"].render()
    return html


def _page_links(cl, page_range) -> list[str]:
    """Django's paginator_number for each page, the pages' query strings made from one
    (the list's with a placeholder for the page, which urlencode leaves as it is)."""
    query = cl.get_query_string({PAGE_VAR: PAGE_PLACEHOLDER})
    if query.count(PAGE_PLACEHOLDER) != 1:  # the placeholder typed in a search, say
        return [paginator_number(cl, i) for i in page_range]
    before, _placeholder, after = query.partition(PAGE_PLACEHOLDER)
    ellipsis, current, last = cl.paginator.ELLIPSIS, cl.page_num, cl.paginator.num_pages
    links = []
    for i in page_range:
        if i == ellipsis:
            links.append(f"{escape(ellipsis)} ")
        elif i == current:
            links.append(f'<span class="this-page">{i}</span> ')
        else:
            end = ' class="end"' if i == last else ""
            links.append(f'<a href="{escape(f"{before}{i}{after}")}"{end}>{i}</a> ')
    return links


@register.simple_tag
def list_pagination(cl) -> SafeString:
    """Django's admin/pagination.html for the list (its context from Django's
    `pagination`)."""
    context = pagination(cl)
    if cl.formset:
        return mark_safe(render_to_string("admin/pagination.html", context))  # noqa: S308
    links = ""
    if context["pagination_required"]:
        links = "\n" + "".join(f"\n    {number}\n" for number in _page_links(
            cl, context["page_range"])) + "\n"
    opts = cl.opts
    count = cl.result_count
    name = opts.verbose_name if count == 1 else opts.verbose_name_plural
    show_all = context["show_all_url"]
    show_all = (f'<a href="{escape(show_all)}" class="showall">{gettext(SHOW_ALL)}</a>'
                if show_all else "")
    return mark_safe(  # noqa: S308 (escaped as the template escapes)
        f'\n\n<p class="paginator">\n{links}\n{conditional_escape(localize(count))} '
        f"{conditional_escape(name)}\n{show_all}\n\n</p>\n")
