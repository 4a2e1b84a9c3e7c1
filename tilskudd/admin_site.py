"""The project's admin site: Django's, with its list of apps (the navigation sidebar and
the index, AdminSite.get_app_list, made for every admin page) built from what does not
change while the process runs, read once (issue 15).

What the user may do is asked afresh on every request, as Django asks it: each
ModelAdmin's has_module_permission and get_model_perms, so a change of role or
permission shows on the next page. What is kept is what no user changes: each model's
links (the 18 reverse() calls, per URLconf and script prefix) and names, and the order
of apps and models in each language (Django sorts lazy names, translating both at every
comparison). The list is the same dictionaries as Django's, in the same order
(tests/tilskudd/test_admin_site.py compares them).

Installed as the admin app (INSTALLED_APPS' "tilskudd.admin_site.AdminConfig"), so
`django.contrib.admin.site` is this site and every app's `admin.register` uses it."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.text import capfirst
from django.utils.translation import get_language


class AdminConfig(DjangoAdminConfig):
    default_site = "tilskudd.admin_site.TilskuddAdminSite"


@dataclass(frozen=True, eq=False)
class ModelEntry:
    """One registered model's part of the app list that is the same for every user."""

    model: type
    model_admin: admin.ModelAdmin
    app_label: str
    name: object  # capfirst(verbose_name_plural), lazy: translated where it is shown
    object_name: str
    admin_url: str | None
    add_url: str | None
    app_name: object
    app_url: str


class Entries(tuple):
    """The registered models' entries, with their places in the sorted list by language
    (TilskuddAdminSite.sort_ranks)."""

    ranks: dict[str, dict]


class TilskuddAdminSite(admin.AdminSite):
    def __init__(self, name="admin"):
        super().__init__(name)
        #: the entries by (URLconf, script prefix, the registry's admins)
        self._entries: dict[tuple, Entries] = {}

    def _reversed(self, name: str, **kwargs) -> str | None:
        try:
            return reverse(name, kwargs=kwargs or None, current_app=self.name)
        except NoReverseMatch:
            return None

    def model_entries(self) -> Entries:
        """The registered models' names and links, made once for each URLconf and script
        prefix (and again when an admin is registered or unregistered). The key leaves
        out the language: the admin has no i18n_patterns, so its links are the same in
        every language, and the names are kept lazy, translated where they are shown."""
        key = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix(),
               tuple(self._registry.values()))
        entries = self._entries.get(key)
        if entries is None:
            entries = Entries(self._entry(model, model_admin)
                              for model, model_admin in self._registry.items())
            entries.ranks = {}
            if len(self._entries) > 32:  # another URLconf or prefix now and then, in tests
                self._entries.clear()
            self._entries[key] = entries
        return entries

    def _entry(self, model, model_admin) -> ModelEntry:
        app_label, model_name = model._meta.app_label, model._meta.model_name
        return ModelEntry(
            model=model, model_admin=model_admin, app_label=app_label,
            name=capfirst(model._meta.verbose_name_plural),
            object_name=model._meta.object_name,
            admin_url=self._reversed(f"admin:{app_label}_{model_name}_changelist"),
            add_url=self._reversed(f"admin:{app_label}_{model_name}_add"),
            app_name=apps.get_app_config(app_label).verbose_name,
            app_url=self._reversed("admin:app_list", app_label=app_label),
        )

    def _build_app_dict(self, request, label=None, entries: Entries | None = None):
        """Django's app dictionary (AdminSite._build_app_dict of Django 5.2), the same
        keys and values, with the user's permissions asked as Django asks them and the
        rest from `entries` (model_entries() unless given). A copy of Django's code, not a
        call to it: tests/tilskudd/test_admin_site.py's test_the_app_list_is_djangos
        compares the two lists for every kind of user, language and app, so that a Django
        upgrade that changes Django's dictionary fails there."""
        app_dict = {}
        for entry in self.model_entries() if entries is None else entries:
            if label and entry.app_label != label:
                continue
            model_admin = entry.model_admin
            has_module_perms = model_admin.has_module_permission(request)
            if not has_module_perms:
                continue
            perms = model_admin.get_model_perms(request)
            if True not in perms.values():
                continue
            model_dict = {
                "model": entry.model,
                "name": entry.name,
                "object_name": entry.object_name,
                "perms": perms,
                "admin_url": None,
                "add_url": None,
            }
            if perms.get("change") or perms.get("view"):
                model_dict["view_only"] = not perms.get("change")
                model_dict["admin_url"] = entry.admin_url
            if perms.get("add"):
                model_dict["add_url"] = entry.add_url
            if entry.app_label in app_dict:
                app_dict[entry.app_label]["models"].append(model_dict)
            else:
                app_dict[entry.app_label] = {
                    "name": entry.app_name,
                    "app_label": entry.app_label,
                    "app_url": entry.app_url,
                    "has_module_perms": has_module_perms,
                    "models": [model_dict],
                }
        return app_dict

    @staticmethod
    def sort_ranks(entries: Entries) -> dict:
        """Each app's (by label) and model's place in Django's order in this language:
        apps by their lowercased name, models by name, ties in the registry's order."""
        language = get_language()
        ranks = entries.ranks.get(language)
        if ranks is None:
            apps_sorted = sorted({entry.app_label: entry.app_name for entry in entries}.items(),
                                 key=lambda item: str(item[1]).lower())
            ranks = {label: rank for rank, (label, _name) in enumerate(apps_sorted)}
            models_sorted = sorted(entries, key=lambda entry: str(entry.name))
            ranks.update((entry.model, rank) for rank, entry in enumerate(models_sorted))
            entries.ranks[language] = ranks
        return ranks

    def get_app_list(self, request, app_label=None):
        """Django's sorted list of apps and their models, sorted by their places in this
        language (sort_ranks) instead of by comparing their translated names. The entries
        are read once for the list, so an admin registered or unregistered while it is
        made cannot leave a model out of the places it is sorted by."""
        entries = self.model_entries()
        app_dict = self._build_app_dict(request, app_label, entries)
        ranks = self.sort_ranks(entries)
        app_list = sorted(app_dict.values(), key=lambda app: ranks[app["app_label"]])
        for app in app_list:
            app["models"].sort(key=lambda model: ranks[model["model"]])
        return app_list
