"""Writing one part's lines (competence, BPA, projects) of a draft, for
services.application_update.

Two ways to say which lines go: a caller that replaces the part (the Excel import: the
workbook holds the part) passes no `known`, and every stored line it did not give is
removed. The form page passes `known`, the ids of the lines the page showed: only those it
no longer keeps are removed, so a line another tab (or a colleague) added after the page
was loaded survives a save of the stale page. A line given with an id that is no longer
stored (removed meanwhile elsewhere) is saved as a new line: what was typed in it is kept."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.utils.translation import gettext as _

from tilskudd.errors import ServiceError

from . import rules
from .models import Application, BpaLine, CompetenceLine, Project

PARTS = {"competence": CompetenceLine, "bpa": BpaLine, "projects": Project}


def _check_count(part: str, count: int) -> None:
    if count > rules.MAX_LINES_PER_PART:
        raise ServiceError(
            _("Høyst %(max)d linjer per del.") % {"max": rules.MAX_LINES_PER_PART}, "too_many"
        )
    if part == "projects" and count > rules.MAX_PROJECTS:
        raise ServiceError(rules.too_many_projects_message(), "too_many_projects")


def save_lines(
    application: Application, part: str, lines: list[dict[str, Any]],
    known: Collection[int] | None = None,
) -> None:
    """Save `lines` (with an "id": update that line; without: create one) and remove the
    stored lines not given: all of them (`known` None), or only those in `known`."""
    model = PARTS[part]
    existing = {obj.pk: obj for obj in model.objects.filter(application=application)}
    given = {data.get("id") for data in lines} - {None}
    going = set(existing) - given
    if known is not None:
        going &= set(known)
    _check_count(part, len(lines) + len(set(existing) - given - going))  # lines after the save
    for data in lines:
        data = dict(data)
        pk = data.pop("id", None)
        obj = existing.get(pk) if pk else None
        if obj is None:  # new, or removed elsewhere since the page was loaded
            obj = model(application=application)
        for key, value in data.items():
            setattr(obj, key, value)
        obj.full_clean(exclude=["application"])
        obj.save()
    model.objects.filter(application=application, pk__in=going).delete()
