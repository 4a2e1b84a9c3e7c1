"""The office's read-only history of a case: who did what, when, and what changed, from
the typed audit rows of the application, its case and its report (a status shown as
«fra → til»), and the application's own status changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from applications import selectors as application_selectors
from applications.models import Application
from reporting import selectors as reporting_selectors
from tilskudd.audit import AuditAction
from tilskudd.models import AuditEvent, User

from .models import Assessment

EMPTY = "–"
#: A long value (a text, a section of the application) is cut to this in the log.
SHOWN_LENGTH = 80


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.field}: {self.before} → {self.after}"


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    actor: User | None
    what: str
    changes: tuple[Change, ...]
    note: str


def _targets(application: Application, assessment: Assessment | None) -> Q:
    types = ContentType.objects.get_for_models(Application, Assessment,
                                               for_concrete_models=False)
    found = Q(target_type=types[Application], target_id=application.pk)
    if assessment is not None:
        found |= Q(target_type=types[Assessment], target_id=assessment.pk)
    report_id = reporting_selectors.report_id_for(application.pk)
    if report_id is not None:
        report_type = ContentType.objects.get_by_natural_key("reporting", "report")
        found |= Q(target_type=report_type, target_id=report_id)
    return found


def _label(action: str) -> str:
    try:
        return str(AuditAction(action).label)
    except ValueError:
        return action


def _shown(field, value: Any) -> str:
    if value is None or value == "":
        return EMPTY
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return Truncator(str(value)).chars(SHOWN_LENGTH)


def _changes(row: AuditEvent) -> tuple[Change, ...]:
    model = row.target_type.model_class()
    shown = []
    for name in sorted(set(row.before) | set(row.after), key=lambda n: (n != "status", n)):
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            field = None
        if not getattr(field, "concrete", False):  # a relation's other side: no label
            field = None
        label = str(field.verbose_name) if field is not None else name
        shown.append(Change(field=label, before=_shown(field, row.before.get(name)),
                            after=_shown(field, row.after.get(name))))
    return tuple(shown)


def case_history(application: Application, assessment: Assessment | None) -> list[HistoryRow]:
    """The audit rows of the application, its case and its report, oldest first, in three
    queries (the report's id, the content types, the rows with their actors)."""
    rows = (
        AuditEvent.objects.filter(_targets(application, assessment))
        .select_related("actor", "target_type")
        .order_by("at", "pk")
    )
    return [
        HistoryRow(at=row.at, actor=row.actor, what=_label(row.action), changes=_changes(row),
                   note=str(row.data.get("note", "")))
        for row in rows
    ]


def _status_step(entry, what: str) -> HistoryRow:
    """A row of a history table (StatusChange, AssessmentEvent): a status «fra → til» when
    the step changed it."""
    moved = entry.from_status or entry.to_status
    return HistoryRow(
        at=entry.at, actor=entry.by, what=what, note=entry.note,
        changes=(Change(field=_("status"), before=entry.get_from_status_display() or EMPTY,
                        after=entry.get_to_status_display() or EMPTY),) if moved else (),
    )


def case_events(assessment: Assessment | None) -> list[HistoryRow]:
    """The case's own steps (AssessmentEvent), oldest first, with who took them."""
    if assessment is None:
        return []
    return [_status_step(e, e.get_action_display())
            for e in assessment.events.select_related("by")]


def status_changes(application: Application) -> list[HistoryRow]:
    """The application's own status changes (applications.selectors.status_history)."""
    what = _label(AuditAction.APPLICATION_STATUS)
    return [_status_step(change, what)
            for change in application_selectors.status_history(application)]
