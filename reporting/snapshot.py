"""A report as one plain dict: what the preview shows, what a submission freezes and what
the PDF copy is made from. The account is computed here, on the server, from the lines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from tilskudd.submissions import sender_content

from .models import Report, UnusedChoice

SNAPSHOT_VERSION = 1


def _money(value: Decimal | None) -> str:
    return "" if value is None else str(int(value))


def _count(value: int | None) -> str:
    return "" if value is None else str(value)


def used_total(report: Report) -> Decimal:
    """The sum of "used" over every line of the report (blank counts as nothing)."""
    return sum(
        (line.amount_used or Decimal(0)
         for lines in (report.competence_lines.all(), report.bpa_lines.all(),
                       report.projects.all())
         for line in lines),
        Decimal(0),
    )


def account(report: Report) -> dict[str, Decimal]:
    used = used_total(report)
    available = report.granted_total + report.transferred_in
    return {
        "granted": report.granted_total,
        "transferred_in": report.transferred_in,
        "available": available,
        "used": used,
        "unused": available - used,
    }


def report_snapshot(report: Report) -> dict[str, Any]:
    application = report.application
    org = application.organisation
    rnd = application.round
    sums = account(report)
    # A choice about unused funds means something only when some are unused.
    choice = report.unused_choice if sums["unused"] > 0 else ""
    return {
        "version": SNAPSHOT_VERSION,
        **sender_content(org, rnd),
        "deadline": timezone.localtime(report.deadline).isoformat(),
        "auditor_required": report.auditor_required,
        "competence": [
            {
                "education_type": line.source.get_education_type_display(),
                "description": line.source.description,
                "employees": line.source.employees,
                "granted": _money(line.granted),
                "completed": _count(line.completed),
                "still_studying": _count(line.still_studying),
                "stopped": _count(line.stopped),
                "persons_explanation": line.persons_explanation,
                "amount_used": _money(line.amount_used),
            }
            for line in report.competence_lines.all()
        ],
        "bpa": [
            {
                "role": line.source.get_role_display(),
                "persons": line.source.persons,
                "granted": _money(line.granted),
                "trained": _count(line.trained),
                "amount_used": _money(line.amount_used),
            }
            for line in report.bpa_lines.all()
        ],
        "projects": [
            {
                "title": p.source.title,
                "topic": p.source.get_topic_display(),
                "granted": _money(p.granted),
                "status": p.get_status_display() if p.status else "",
                "goal_achievement": p.get_goal_achievement_display() if p.goal_achievement
                else "",
                "results": p.results,
                "continues": p.get_continues_display() if p.continues else "",
                "amount_used": _money(p.amount_used),
            }
            for p in report.projects.all()
        ],
        "account": {key: _money(value) for key, value in sums.items()},
        "unused_choice": report.get_unused_choice_display() if choice else "",
        "unused_choice_key": choice,
        "transfer_reason": report.transfer_reason if choice == UnusedChoice.TRANSFER else "",
        "text_report": report.text_report,
        "attachments": [
            {"title": a.title, "kind": a.get_kind_display(), "sha256": a.sha256, "size": a.size}
            for a in report.attachments.all()
        ],
    }
