"""The table of the caseworkers' list, rendered as Django's admin renders it but a row
at a time (issue 15): Django's `items_for_result` looks up, formats and escapes each cell
through the general machinery (a field lookup, `display_for_value`, two `format_html`, a
`reverse` and the preserved filters per row), which was most of the list's time. Here
the columns are resolved once per page, the change link is reversed once, a column with
a `cell` (assessment.admin.cell_column) gives its cell's finished HTML from the page's
ListRow, and each cell is the same `<td class="field-…">` (`<th>` with the link) as
Django's; the table around the rows (Django's admin/change_list_results.html: the
headings from Django's `result_headers`, which rendered through the template were a
tenth of the page's function calls) is written by `written_results`. So sorting
headers, the actions checkbox and script, and the markup axe checks are unchanged
(tests/assessment/test_admin_rows.py and test_admin_results.py compare the renderings).

Used by templates/admin/assessment/submittedapplication/change_list.html; a list that
Django's rendering would show differently (list_editable, a popup, a column that is not
a method of the ModelAdmin) falls back to Django's own tag and template (an override of
change_list_results.html for this list would not be read). The list's filters are
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
    admin_list_filter,
    result_headers,
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
#: Django's texts of admin/change_list_results.html, translated by Django's catalogue (named
#: here, not written in gettext(), so that makemessages leaves them to Django's)
SORTING_PRIORITY = "Sorting priority: %(priority_number)s"
REMOVE_SORTING = "Remove from sorting"
TOGGLE_SORTING = "Toggle sorting"
#: what iri_to_uri (urllib's quote with its safe characters) leaves as it is
URI_AS_IT_IS = re.compile(r"[A-Za-z0-9_.~/#%\[\]=:;$&()+,!?*@'-]*")


@dataclass(frozen=True)
class Column:
    method: Callable
    css_class: str
    tag: str  # "th" for the first link, as Django's list
    is_link: bool
    empty: str
    #: the column's finished HTML of a page's ListRow (assessment.admin.cell_column), or None
    cell: Callable | None = None


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
            cell=getattr(method, "cell", None),
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


def _cell(cl, column: Column, result, before: str, after: str) -> str:
    """One cell of a row as Django's items_for_result writes it, from the column's method."""
    value = column.method(result)
    shown = _shown(value, column.empty)
    css_class = column.css_class
    if isinstance(value, datetime.date | datetime.time):
        css_class += " nowrap"
    if column.is_link:
        shown = f'<a href="{escape(_link(cl, result, before, after))}">{shown}</a>'
    return f'<{column.tag} class="{css_class}">{shown}</{column.tag}>'


def rows(cl, columns: list[Column]) -> list[str]:
    """The page's rows, each its cells' HTML: from the columns' cells where every column
    has one and the page has its ListRows (admin_list.PageRows), else from the columns'
    methods as Django calls them."""
    before, after = _change_link(cl)
    page = getattr(cl.result_list, "rows", None)
    if page is not None and all(column.cell is not None for column in columns):
        return _rows_from_cells(cl, columns, page, before, after)
    return ["".join([_cell(cl, column, result, before, after) for column in columns])
            for result in (cl.result_list if page is None else page)]


def _rows_from_cells(cl, columns: list[Column], page, before: str, after: str) -> list[str]:
    """`rows` from the columns' cells: each cell's tags made once a page, and the change
    link of a row whose key is a number (as quote and reverse leave it) made from the
    page's link escaped once."""
    parts = [(f'<{c.tag} class="{c.css_class}">', c.cell, f"</{c.tag}>", c.is_link)
             for c in columns]
    link_before, link_after = f'<a href="{escape(before)}', f'{escape(after)}">'
    made = []
    for row in page:
        key = getattr(row, cl.pk_attname)
        if key.__class__ is int:
            link = f"{link_before}{key}{link_after}"
        else:  # a key reverse() may quote: Django's own way
            link = f'<a href="{escape(_link(cl, row, before, after))}">'
        made.append("".join([
            f"{start}{link}{cell(row)}</a>{end}" if is_link else f"{start}{cell(row)}{end}"
            for start, cell, end, is_link in parts]))
    return made


def _header(header: dict, num_sorted_fields: int) -> str:
    """One column's heading, as admin/change_list_results.html writes it."""
    text = header["text"]
    shown = str(text)
    shown = shown and shown[0].upper() + shown[1:]  # capfirst
    if not isinstance(text, SafeData):
        shown = html.escape(shown)
    sortoptions = ""
    if header["sortable"] and header["sort_priority"] > 0:
        priority = ""
        if num_sorted_fields > 1:
            title = gettext(SORTING_PRIORITY) % {
                "priority_number": header["sort_priority"]}
            priority = (f'<span class="sortpriority" title="{title}">'
                        f'{header["sort_priority"]}</span>')
        toggle = "ascending" if header["ascending"] else "descending"
        sortoptions = (
            f'\n       <div class="sortoptions">\n         <a class="sortremove" '
            f'href="{escape(header["url_remove"])}" title="{gettext(REMOVE_SORTING)}">'
            f'</a>\n         {priority}\n         <a href="{escape(header["url_toggle"])}" '
            f'class="toggle {toggle}" title="{gettext(TOGGLE_SORTING)}"></a>\n'
            f"       </div>\n   ")
    if header["sortable"]:
        shown = f'<a href="{escape(header["url_primary"])}">{shown}</a>'
    else:
        shown = f"<span>{shown}</span>"
    return (f'\n<th scope="col"{header["class_attrib"]}>\n   {sortoptions}\n'
            f'   <div class="text">{shown}</div>\n   <div class="clear"></div>\n</th>')


def written_results(cl) -> str | None:
    """Django's admin/change_list_results.html for the list, written here (its headings
    by Django's result_headers, its rows by `rows`), or None for a list Django renders
    otherwise (list_editable, a popup, a column that is not a method of the ModelAdmin)."""
    columns = None if cl.formset or cl.is_popup else _columns(cl)
    if columns is None:
        return None
    made = rows(cl, columns)
    if not made:
        return "\n\n\n"
    headers = list(result_headers(cl))
    num_sorted_fields = sum(1 for h in headers if h["sortable"] and h["sorted"])
    written = "".join(_header(header, num_sorted_fields) for header in headers)
    body = "".join(f"\n\n<tr>{row}</tr>\n" for row in made)
    return (f'\n\n\n<div class="results">\n<table id="result_list">\n<thead>\n<tr>\n'
            f"{written}\n</tr>\n</thead>\n<tbody>\n{body}\n</tbody>\n</table>\n</div>\n\n")


class RowsNode(InclusionAdminNode):
    """Django's result_list tag, its template written by `written_results` where it can."""

    def render(self, context):
        args, _kwargs = self.get_resolved_arguments(context)
        written = written_results(args[0])
        if written is None:
            return super().render(context)
        return mark_safe(written)  # noqa: S308 (escaped as the template escapes)


@register.tag(name="admin_rows")
def admin_rows_tag(parser, token):
    return RowsNode(parser, token, func=result_list, template_name="change_list_results.html",
                    takes_context=False)


#: Django's admin/filter.html, whose «By …» is its blocktranslate's message
FILTER_TEMPLATE = "admin/filter.html"
FILTER_TITLE = " By %(filter_title)s "


def _href(url) -> str:
    """`url|iri_to_uri` escaped, as the template writes a choice's link: a plain str of
    the characters iri_to_uri leaves as they are (every query string urlencode makes)
    escaped as it is."""
    if url.__class__ is str and URI_AS_IT_IS.fullmatch(url):
        return html.escape(url)
    return escape(iri_to_uri(url))


def _filter_choice(choice) -> str:
    selected = ' class="selected"' if choice["selected"] else ""
    display = choice["display"]
    shown = html.escape(display) if display.__class__ is str else conditional_escape(display)
    return (f'\n    <li{selected}>\n    <a href="{_href(choice["query_string"])}">'
            f"{shown}</a></li>\n  ")


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
