"""The rows of the caseworkers' list, rendered as Django's admin renders them but a row
at a time (issue 15): Django's `items_for_result` looks up, formats and escapes each cell
through the general machinery (a field lookup, `display_for_value`, two `format_html`, a
`reverse` and the preserved filters per row), which was most of the list's time. Here
the columns are resolved once per page, the change link is reversed once, and each cell
is the same `<td class="field-…">` (`<th>` with the link) as Django's, so sorting
headers, the actions checkbox and script, and the markup axe checks are unchanged
(tests/assessment/test_admin_rows.py compares the two renderings).

Used by templates/admin/assessment/submittedapplication/change_list.html; a list that
Django's rendering would show differently (list_editable, a popup, a column that is not
a method of the ModelAdmin) falls back to Django's own tag. The list's filters are
written the same way (admin_filter: Django's admin/filter.html, without rendering it ten
times a page)."""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from django import template
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    admin_list_filter,
    result_list,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import display_for_value, quote
from django.utils.encoding import iri_to_uri
from django.utils.functional import Promise
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext

register = template.Library()

#: stands for the primary key in the change link, reversed once per page
PK_PLACEHOLDER = "PK0PLACEHOLDER0PK"
PLAIN_KEY = re.compile(r"[\w.~-]+", re.ASCII)


@dataclass(frozen=True)
class Column:
    method: Callable
    css_class: str
    tag: str  # "th" for the first link, as Django's list
    is_link: bool
    empty: str


def _columns(cl) -> list[Column] | None:
    """The columns as Django's items_for_result sees them, or None where a column is not
    a plain method of the ModelAdmin (Django's rendering then)."""
    model_admin = cl.model_admin
    links = cl.list_display_links
    default_empty = model_admin.get_empty_value_display()
    columns: list[Column] = []
    for name in cl.list_display:
        if not isinstance(name, str) or name == "__str__":
            return None
        method = getattr(model_admin, name, None)
        if not callable(method) or getattr(method, "boolean", False):
            return None
        linked_before = any(c.is_link for c in columns)
        if links is None:
            is_link = False
        elif not links:
            is_link = not linked_before
        else:
            is_link = name in links
        columns.append(Column(
            method=method,
            css_class="action-checkbox" if name == "action_checkbox" else f"field-{name}",
            tag="th" if is_link and not linked_before else "td",
            is_link=is_link,
            empty=conditional_escape(getattr(method, "empty_value_display", default_empty)),
        ))
    return columns


def _change_link(cl) -> tuple[str, str]:
    """The change link as Django's list makes it (the preserved filters too), split
    where the row's quoted primary key goes."""
    url = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts},
                                cl.url_for_result(_Placeholder(cl.pk_attname)))
    path, sep, query = url.partition("?")
    before, found, after = path.partition(PK_PLACEHOLDER)
    if not found:
        raise ValueError(url)
    return before, after + sep + query


class _Placeholder:
    def __init__(self, pk_attname):
        setattr(self, pk_attname, PK_PLACEHOLDER)


def _shown(value, empty: str) -> str:
    """The cell's HTML, as Django's items_for_result and display_for_value make it."""
    if isinstance(value, Promise):
        value = str(value)  # what display_for_value ends with, without its comparisons
    if isinstance(value, str):
        if value.strip() == "":
            return ""
        return value if isinstance(value, SafeData) else html.escape(value)  # Django's escape
    return conditional_escape(display_for_value(value, empty))


def _link(cl, result, before: str, after: str) -> str:
    key = str(quote(getattr(result, cl.pk_attname)))
    if PLAIN_KEY.fullmatch(key):
        return before + key + after
    return add_preserved_filters(  # a key that reverse() would quote: Django's own way
        {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, cl.url_for_result(result))


def rows(cl, columns: list[Column]) -> list[ResultList]:
    before, after = _change_link(cl)
    made = []
    for result in getattr(cl.result_list, "rows", cl.result_list):  # admin_list.PageRows
        parts = []
        for column in columns:
            value = column.method(result)
            shown = _shown(value, column.empty)
            if column.is_link:
                shown = f'<a href="{escape(_link(cl, result, before, after))}">{shown}</a>'
            css_class = column.css_class
            if isinstance(value, datetime.date | datetime.time):
                css_class += " nowrap"
            parts.append(f'<{column.tag} class="{css_class}">{shown}</{column.tag}>')
        made.append(ResultList(None, [mark_safe("".join(parts))]))  # noqa: S308 (escaped above)
    return made


def admin_rows(cl):
    """Django's result_list context, with the rows made by `rows` where they can be."""
    columns = None if cl.formset or cl.is_popup else _columns(cl)
    if columns is None:
        return result_list(cl)
    original = cl.result_list
    cl.result_list = []  # the headers and hidden fields from Django, the rows from here
    try:
        context = result_list(cl)
    finally:
        cl.result_list = original
    context["results"] = rows(cl, columns)
    return context


@register.tag(name="admin_rows")
def admin_rows_tag(parser, token):
    return InclusionAdminNode(parser, token, func=admin_rows,
                              template_name="change_list_results.html", takes_context=False)


#: Django's admin/filter.html, whose «By …» is its blocktranslate's message
FILTER_TEMPLATE = "admin/filter.html"
FILTER_TITLE = " By %(filter_title)s "


def _filter_choice(choice) -> str:
    selected = ' class="selected"' if choice["selected"] else ""
    return (f'\n    <li{selected}>\n    <a href="{escape(iri_to_uri(choice["query_string"]))}">'
            f'{conditional_escape(choice["display"])}</a></li>\n  ')


@register.simple_tag
def admin_filter(cl, spec):
    """A list filter as Django's admin_list_filter renders admin/filter.html, written
    here (the template was rendered ten times a page); a filter with a template of its
    own is Django's."""
    if spec.template != FILTER_TEMPLATE:
        return admin_list_filter(cl, spec)
    title = conditional_escape(spec.title)
    items = "".join(_filter_choice(choice) for choice in spec.choices(cl))
    by = gettext(FILTER_TITLE) % {"filter_title": title}
    return mark_safe(  # noqa: S308 (the title, links and names escaped as the template's)
        f'\n<details data-filter-title="{title}" open>\n  <summary>\n    {by}\n  </summary>\n'
        f"  <ul>\n  {items}\n  </ul>\n</details>\n")
