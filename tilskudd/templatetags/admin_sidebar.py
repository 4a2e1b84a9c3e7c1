"""{% sidebar_app_list %}: the admin's navigation sidebar's list of apps and models
(templates/admin/nav_sidebar.html), Django's own admin/app_list.html rendered once for
each list a user may see and kept (issue 15: rendering its ~20 links, each with three
`request.path|urlencode` tests, was a tenth of the caseworkers' list).

The app list itself is still built for every request (AdminSite.get_app_list), from the
links and names tilskudd/admin_site.py keeps, with the user's permissions asked each
time, and what is kept is keyed by everything the template reads of
it: the language, each app's and model's label, name and links, and which of them are
the current page's (`… in request.path|urlencode`, the template's own test). So a user
whose permissions change gets the other list at once, and two users who may see the
same get the same HTML."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import urlencode
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

#: rendered lists by key; a handful in practice (one per kind of user, app and language)
_RENDERED: dict[tuple, SafeString] = {}
_MAX_KEPT = 512


def _current(url, path: str) -> bool:
    """`url in request.path|urlencode` as the template decides it (an unset URL: no)."""
    return isinstance(url, str) and url in path


def app_list_key(app_list, path: str) -> tuple:
    """What admin/app_list.html (with show_changelinks=False) reads, as a key."""
    return (get_language(), tuple(
        (app["app_label"], app["app_url"], str(app["name"]), _current(app["app_url"], path),
         tuple((model["object_name"], str(model["name"]), model["admin_url"],
                model["add_url"], _current(model["admin_url"], path))
               for model in app["models"]))
        for app in app_list))


@register.simple_tag(takes_context=True)
def sidebar_app_list(context) -> SafeString:
    request = context.get("request")
    app_list = context.get("available_apps") or []
    path = urlencode(request.path) if request is not None else ""
    key = app_list_key(app_list, path)
    html = _RENDERED.get(key)
    if html is None:
        html = mark_safe(render_to_string("admin/app_list.html", {  # noqa: S308 (a template's)
            "app_list": app_list, "show_changelinks": False, "request": request}))
        if len(_RENDERED) >= _MAX_KEPT:
            _RENDERED.clear()
        _RENDERED[key] = html
    return html
