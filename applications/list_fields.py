"""What the caseworkers' list shows of an application and sorts by (the applied total and
the priority markers from the lines), computed in this one place: application_submit stores
it on the application, and migration 0008 filled it for the applications already sent."""

from __future__ import annotations

from typing import Any

from .models import Application
from .snapshot import totals

LIST_FIELDS = ("applied_total", "has_mental_health", "has_decentralised",
               "has_supported_programme", "has_projects")


def list_fields(application: Application) -> dict[str, Any]:
    """The stored list fields as the application's lines give them now (uses the
    prefetched lines where there are)."""
    competence = list(application.competence_lines.all())
    return {
        "applied_total": totals(application)["applied"],
        "has_mental_health": any(line.is_mental_health for line in competence),
        "has_decentralised": any(line.is_decentralised for line in competence),
        "has_supported_programme": any(line.in_supported_programme for line in competence),
        "has_projects": bool(application.projects.all()),
    }


def set_list_fields(application: Application) -> None:
    """Set the list fields on the application; the caller saves it."""
    for name, value in list_fields(application).items():
        setattr(application, name, value)
