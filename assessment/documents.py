"""The allocation letter (tilskuddsbrev) or rejection as a PDF, made by a Celery job."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from tilskudd.deadlines import change_deadline
from tilskudd.documents.pdf import render_pdf

from . import rules
from .cases import case_lines
from .models import AllocationLetter, Assessment, LetterKind, LineAssessment, Part
from .selectors import live_submission

OSLO = ZoneInfo("Europe/Oslo")


@lru_cache(maxsize=256)
def _staff_pattern(language: str | None, employees: int) -> str:
    """The plural form, looked up once per language and count (the export has many lines)."""
    return ngettext("%(kind)s (%(count)s ansatt)", "%(kind)s (%(count)s ansatte)", employees)


def competence_label(kind: str, description: str, employees: int) -> str:
    """A competence line as the letter and the export name it: kind – description (n staff)."""
    if description:
        kind = f"{kind} – {description}"
    return _staff_pattern(get_language(), employees) % {"kind": kind, "count": employees}


def line_label(la: LineAssessment) -> str:
    """How a line is named in the letter and the export."""
    line = la.line
    if la.part == Part.COMPETENCE:
        return competence_label(
            line.get_education_type_display(), line.description, line.employees
        )
    if la.part == Part.BPA:
        return line.persons_text
    return f"{line.title} ({line.get_topic_display()})"


@dataclass(frozen=True)
class LetterPart:
    label: str
    lines: list[tuple[str, LineAssessment]]

    @property
    def applied(self) -> Decimal:
        return sum((la.applied for _label, la in self.lines), Decimal(0))

    @property
    def granted(self) -> Decimal:
        return sum((la.granted or Decimal(0) for _label, la in self.lines), Decimal(0))


def letter_context(assessment: Assessment, letter: AllocationLetter) -> dict[str, Any]:
    application = assessment.application
    organisation = application.organisation
    lines = case_lines(assessment)
    parts = [
        LetterPart(
            label=str(label), lines=[(line_label(la), la) for la in lines if la.part == part]
        )
        for part, label in Part.choices
    ]
    parts = [part for part in parts if part.lines]
    granted = sum((p.granted for p in parts), Decimal(0))
    submission = live_submission(application)
    # the letter's own rows of its head (documents/letterhead.html), after our reference
    letterhead_rows = []
    if submission:
        sent = date_format(timezone.localtime(submission.submitted_at, OSLO), "DATE_FORMAT")
        letterhead_rows.append((_("Deres søknad"), _("sendt %(date)s") % {"date": sent}))
    letterhead_rows.append((_("Brevversjon"), letter.version))
    return {
        "letter": letter,
        "is_grant": letter.kind == LetterKind.GRANT,
        "assessment": assessment,
        "application": application,
        "organisation": organisation,
        "office": organisation.county.office,
        "round": application.round,
        "reference": submission.reference if submission else "",
        "letter_date": timezone.localtime(letter.created_at, OSLO),
        "letterhead_rows": letterhead_rows,
        "parts": parts,
        "applied_total": sum((p.applied for p in parts), Decimal(0)),
        "granted_total": granted,
        "reporting_deadline": timezone.localtime(application.round.reporting_deadline, OSLO),
        "change_deadline": timezone.localtime(change_deadline(application.round), OSLO),
        "auditor_required": rules.auditor_required(granted),
        "auditor_threshold": rules.AUDITOR_THRESHOLD,
        "no_appeal_text": rules.NO_APPEAL_TEXT,
        "caseworker": assessment.assigned_to or assessment.recommended_by,
        "approver": assessment.decided_by,
    }


def render_letter(job: AllocationLetter) -> tuple[bytes, str]:
    assessment = (
        Assessment.objects.select_related(
            "application__organisation__county__office", "application__round__scheme",
            "assigned_to", "recommended_by", "decided_by",
        ).get(pk=job.assessment_id)
    )
    context = letter_context(assessment, job)
    pdf = render_pdf("assessment/letter_pdf.html", context)
    name = "tilskuddsbrev" if context["is_grant"] else "avslag"
    return pdf, f"{name}-{context['reference'] or assessment.pk}-v{job.version}.pdf"
