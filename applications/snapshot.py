"""The content of an application as one plain dict: what the preview shows, what a
submission freezes, and what the PDF copy is made from. Totals are computed here, on
the server, from the stored lines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.functional import Promise

from tilskudd.submissions import sender_content

from .models import PROJECT_CRITERIA, Application, Attachment, BpaLine, CompetenceLine, Project

SNAPSHOT_VERSION = 1


def _labels(model, name: str) -> dict:
    return dict(model._meta.get_field(name).flatchoices)


#: The choices' labels of the lines' fields, by value: what get_FOO_display() looks up,
#: without building the dict again for every line.
_EDUCATION_TYPES = _labels(CompetenceLine, "education_type")
_ROLES = _labels(BpaLine, "role")
_TOPICS = _labels(Project, "topic")
_KINDS = _labels(Attachment, "kind")


def _display(labels: dict, value) -> Any:
    """get_FOO_display(): the label of `value` (translated now), or the value itself."""
    label = labels.get(value, value)
    return str(label) if isinstance(label, Promise) else label


def _money(value: Decimal | None) -> str:
    return str(int(value or 0))


def totals(application: Application) -> dict[str, Decimal]:
    competence = sum((line.amount for line in application.competence_lines.all()), Decimal(0))
    bpa = sum((line.amount for line in application.bpa_lines.all()), Decimal(0))
    projects = sum((p.amount for p in application.projects.all()), Decimal(0))
    return {
        "competence": competence,
        "bpa": bpa,
        "projects": projects,
        "applied": competence + bpa + projects,
    }


def application_snapshot(application: Application) -> dict[str, Any]:
    org = application.organisation
    sums = totals(application)
    sender = sender_content(org, application.round)
    sender["organisation"]["kind"] = org.get_kind_display()
    return {
        "version": SNAPSHOT_VERSION,
        **sender,
        "header": {
            "contact_name": application.contact_name,
            "contact_email": application.contact_email,
            "contact_phone": application.contact_phone,
            "signatory_name": application.signatory_name,
            "signatory_title": application.signatory_title,
            "purpose": application.purpose,
            "own_financing": _money(application.own_financing),
            "other_financing": _money(application.other_financing),
            "other_financing_source": application.other_financing_source,
            "control_measures": application.control_measures,
            "transferred_funds": _money(application.transferred_funds),
            "has_leve_hele_livet_plan": application.has_leve_hele_livet_plan,
        },
        "competence": [
            {
                "education_type": _display(_EDUCATION_TYPES, line.education_type),
                "description": line.description,
                "employees": line.employees,
                "amount": _money(line.amount),
                "is_mental_health": line.is_mental_health,
                "is_decentralised": line.is_decentralised,
                "in_supported_programme": line.in_supported_programme,
            }
            for line in application.competence_lines.all()
        ],
        "bpa": [
            {
                "priority": line.priority,
                "role": _display(_ROLES, line.role),
                "persons": line.persons,
                "amount": _money(line.amount),
            }
            for line in sorted(application.bpa_lines.all(), key=lambda b: b.priority)
        ],
        "projects": [
            {
                "title": p.title,
                "is_continuation": p.is_continuation,
                "topic": _display(_TOPICS, p.topic),
                "amount": _money(p.amount),
                "criteria": [
                    {"label": str(label), "answer": getattr(p, field)}
                    for field, label in PROJECT_CRITERIA
                ],
            }
            for p in application.projects.all()
        ],
        "attachments": [
            {"title": a.title, "kind": _display(_KINDS, a.kind), "sha256": a.sha256, "size": a.size}
            for a in application.attachments.all()
        ],
        "totals": {key: _money(value) for key, value in sums.items()},
    }
