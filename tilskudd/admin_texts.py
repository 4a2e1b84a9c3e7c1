"""The Django admin's texts that Django's own nynorsk catalogue (django/contrib/admin/locale/nn)
lacks, marked here so `makemessages` keeps them in locale/nn (and locale/en) and the
caseworkers' admin is nynorsk throughout for a caseworker who chooses it. Nothing imports
this module: it is read by makemessages only. (Bokmål's own gaps are in locale/nb; the
admin's script texts nynorsk lacks are kept by hand in locale/nn/LC_MESSAGES/djangojs.po,
as static/js has no gettext of its own.)"""

from django.utils.translation import gettext_noop, ngettext_lazy

ADMIN_TEXTS = (
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Error:"),
    gettext_noop("Set password"),
    ngettext_lazy("Please correct the error below.", "Please correct the errors below."),
    gettext_noop(
        "This action will <strong>enable</strong> password-based authentication for this user."
    ),
    gettext_noop("Disable password-based authentication"),
    gettext_noop("Enable password-based authentication"),
    gettext_noop("Skip to main content"),
    gettext_noop("Hide counts"),
    gettext_noop("Show counts"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Added:"),
    gettext_noop("Changed:"),
    gettext_noop("Deleted:"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("Sidebar"),
    ngettext_lazy("entry", "entries"),
    gettext_noop("View selected %(model)s"),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop("Select all objects on this page for an action"),
)
