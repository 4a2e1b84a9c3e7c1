"""List filters the admin's lists share: by round, and by the values of a TextChoices field.

Each list names its own parameter (the URLs caseworkers bookmark stay as they were) and the
path from its rows to the round or the field."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Round


class RoundFilter(admin.SimpleListFilter):
    """The rounds, newest first, with their scheme in the same query (a Round names itself by
    it). `round_path` is the path from a row to its round; a subclass may narrow `rounds`. A
    value that is not a round's id (a hand-edited URL) filters nothing, as a choices filter's
    does, instead of the database refusing it with a server error."""

    title = _("runde")
    round_path = "round"

    def rounds(self, request, model_admin) -> models.QuerySet[Round]:
        return Round.objects.all()

    def lookups(self, request, model_admin):
        rounds = self.rounds(request, model_admin).select_related("scheme").order_by("-year")
        return [(str(rnd.pk), str(rnd)) for rnd in rounds]

    def queryset(self, request, queryset):
        if (self.value() or "").isdigit():
            return queryset.filter(**{f"{self.round_path}_id": self.value()})
        return queryset


class ChoicesFilter(admin.SimpleListFilter):
    """One value of the TextChoices `text_choices` at the path `field`; any other value in the URL
    filters nothing. A subclass may add choices of its own (`extra_lookups`, then override
    `queryset` for them)."""

    text_choices: type[models.TextChoices]
    field = ""
    extra_lookups: tuple[tuple[str, str], ...] = ()

    def lookups(self, request, model_admin):
        return [*self.extra_lookups, *self.text_choices.choices]

    def queryset(self, request, queryset):
        if self.value() in self.text_choices.values:
            return queryset.filter(**{self.field: self.value()})
        return queryset
