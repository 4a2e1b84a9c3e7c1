"""The columns every admin list of rows about one grant shows (a report, a change request:
models with an `application`): the recipient and the round, sortable."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy


class GrantColumns:
    """Mixed in before the ModelAdmin: `organisation` and `round_display` for list_display."""

    @admin.display(description=gettext_lazy("tilskuddsmottaker"),
                   ordering="application__organisation__name")
    def organisation(self, obj) -> str:
        return obj.application.organisation.name

    @admin.display(description=gettext_lazy("runde"), ordering="application__round__year")
    def round_display(self, obj) -> str:
        return str(obj.application.round)
