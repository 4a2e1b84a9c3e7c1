"""The rules of reporting, each in one named place.

The auditor threshold is assessment's rule (`assessment.rules.auditor_required`), shared
with the allocation letter's text; it is imported here, never restated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from assessment.rules import AUDITOR_THRESHOLD, auditor_required
from tilskudd import deadlines
from tilskudd.money import format_nok
from tilskudd.reminders import due_before
from tilskudd.uploads import MAX_PDF_BYTES

from .choices import AttachmentKind, UnusedChoice

if TYPE_CHECKING:
    from .models import Report

OSLO = ZoneInfo("Europe/Oslo")

#: Persons on one line, and the largest amount used we accept (whole kroner).
MAX_PERSONS = 10000
MAX_AMOUNT = Decimal("20000000")
MAX_TEXT_LENGTH = 5000
#: The text report must say something.
MIN_TEXT_REPORT_LENGTH = 20
#: Attachments are PDF files of at most this size.
MAX_ATTACHMENT_BYTES = MAX_PDF_BYTES
#: Reminders to the contact person this many (calendar) days before the deadline.
REMINDER_DAYS = (30, 7, 1)
#: A report returned for correction and not sent again this many days after is reminded of.
RETURNED_REMINDER_DAYS = 7

__all__ = ["AUDITOR_THRESHOLD", "auditor_required"]


@dataclass(frozen=True)
class RuleError:
    """A broken rule, with where it belongs: a section ("header", "competence", "bpa",
    "projects", "attachments"), a line's id or None, and a field or None."""

    section: str
    message: str
    line_id: int | None = None
    field: str | None = None


def required_attachment_kind(report: Report) -> str:
    """An auditor's attestation for a grant at or above the threshold (decided by
    assessment.rules.auditor_required when the report was opened), else the accounts."""
    if report.auditor_required:
        return AttachmentKind.AUDITOR_STATEMENT
    return AttachmentKind.PROJECT_ACCOUNTS


def missing_attachment_message(report: Report) -> str:
    if report.auditor_required:
        return _(
            "Tilskuddet er på %(granted)s. Tilskudd på %(threshold)s eller mer må rapporteres "
            "med revisorattestasjon: last opp revisorens attestasjon (PDF) før du sender inn."
        ) % {"granted": format_nok(report.granted_total),
             "threshold": format_nok(AUDITOR_THRESHOLD)}
    return _(
        "Last opp en utskrift av prosjektregnskapet (PDF) før du sender inn. Tilskudd under "
        "%(threshold)s krever ikke revisorattestasjon, men regnskapet må være med."
    ) % {"threshold": format_nok(AUDITOR_THRESHOLD)}


# --- deadlines --------------------------------------------------------------------------


def accepts_report_at(deadline: datetime, moment: datetime) -> bool:
    """A report is on time through the deadline's minute (tilskudd.deadlines, the rule
    every deadline follows)."""
    return deadlines.is_open(deadline, moment)


def reminder_due(deadline: datetime, now: datetime) -> int | None:
    """The reminder (30, 7 or 1 days) that is due now, the most urgent one; None when
    none is (more than 30 days left, or the deadline has passed)."""
    return due_before(deadline, now, REMINDER_DAYS)


def latest_extension_allowed(deadline: datetime) -> datetime:
    """An extension may move the deadline at most a year on (a typo guard)."""
    return deadline + timedelta(days=366)


# --- the report as a whole ----------------------------------------------------------------


def line_name(part: str, line, described: str = "%(name)s (%(description)s)") -> str:
    """How a line of the report is named in messages: its education type (and
    description, as `described` puts them together), its BPA target group, or its
    project's title."""
    source = line.source
    if part == "competence":
        name = source.get_education_type_display()
        if not source.description:
            return name
        return described % {"name": name, "description": source.description}
    if part == "bpa":
        return source.get_role_display()
    return source.title


#: The fields the recipient must fill in on each line of a part before sending.
REQUIRED_LINE_FIELDS = {
    "competence": ("completed", "still_studying", "stopped", "amount_used"),
    "bpa": ("trained", "amount_used"),
    "projects": ("status", "goal_achievement", "continues", "results", "amount_used"),
}
#: The counts of a competence line that must add up to its persons (employees).
PERSON_COUNTS = ("completed", "still_studying", "stopped")
PART_LINES = {"competence": "competence_lines", "bpa": "bpa_lines", "projects": "projects"}


def check_report(report: Report) -> list[RuleError]:
    """Every rule over the report as it is stored. Empty list: it may be submitted."""
    errors: list[RuleError] = []
    for part, fields in REQUIRED_LINE_FIELDS.items():
        for line in getattr(report, PART_LINES[part]).all():
            for field in fields:
                value = getattr(line, field)
                if value is None or (isinstance(value, str) and not value.strip()):
                    label = str(line._meta.get_field(field).verbose_name)
                    errors.append(RuleError(
                        part,
                        _("%(line)s: %(field)s må fylles ut.")
                        % {"line": line_name(part, line), "field": label},
                        line.pk, field,
                    ))
    for line in report.competence_lines.all():
        message = persons_mismatch(line, persons=line.source.employees)
        if message:
            errors.append(RuleError(
                "competence", _("%(line)s: %(message)s")
                % {"line": line_name("competence", line), "message": message},
                line.pk, "persons_explanation",
            ))
    for part, related in PART_LINES.items():
        for line in getattr(report, related).all():
            message = unfunded_use(line, used=line.amount_used)
            if message:
                errors.append(RuleError(
                    part, _("%(line)s: %(message)s")
                    % {"line": line_name(part, line), "message": message},
                    line.pk, "amount_used",
                ))
    if len(report.text_report.strip()) < MIN_TEXT_REPORT_LENGTH:
        errors.append(RuleError(
            "header",
            _("Tekstrapporten må fylles ut (minst %(min)d tegn).")
            % {"min": MIN_TEXT_REPORT_LENGTH},
            field="text_report",
        ))
    errors += check_account(report)
    if not has_required_attachment(report):
        errors.append(RuleError("attachments", missing_attachment_message(report)))
    return errors


def persons_mismatch(counts, *, persons: int) -> str | None:
    """Completed + still studying + stopped must be the persons the line was granted
    for, or the difference explained (`counts` has the three counts and
    `persons_explanation`: a report line, or a form's cleaned data as attributes).
    None while a count is missing (check_report asks for it) or when it adds up."""
    values = [getattr(counts, name) for name in PERSON_COUNTS]
    if any(value is None for value in values) or sum(values) == persons:
        return None
    if (getattr(counts, "persons_explanation", "") or "").strip():
        return None
    completed, still, stopped = values
    return _(
        "%(completed)d fullført, %(still)d studerer fortsatt og %(stopped)d avbrutt er "
        "%(total)d, men linjen gjelder %(persons)d. Rett tallene, eller forklar forskjellen."
    ) % {"completed": completed, "still": still, "stopped": stopped, "total": sum(values),
         "persons": persons}


def unfunded_use(line, *, used: Decimal | None) -> str | None:
    """Nothing may be used on a line granted kr 0 (one a change moved all the money from,
    kept since the recipient had typed on it): the money used belongs on a line that has
    it. `used` is the line's amount used, stored or typed; None when nothing is wrong."""
    if line.granted or not used:
        return None
    return _("Linjen er innvilget %(zero)s, men %(used)s er ført som brukt. Tilskuddet kan "
             "bare brukes på linjer som er innvilget midler: før bruken på en slik linje, og "
             "sett brukt her til %(zero)s.") % {"zero": format_nok(Decimal(0)),
                                                 "used": format_nok(used)}


def check_account(report: Report) -> list[RuleError]:
    """The financial account: no more used than granted and transferred in; unused funds
    need a choice (transfer, with a reason, or repay)."""
    errors = []
    unused = report.unused
    if unused < 0:
        errors.append(RuleError(
            "account",
            _("Brukt (%(used)s) er mer enn tilskuddet og overførte midler til sammen "
              "(%(available)s). Rapporter bare bruk av tilskuddsmidlene.")
            % {"used": format_nok(report.used_total), "available": format_nok(report.available)},
        ))
    elif unused > 0:
        if not report.unused_choice:
            errors.append(RuleError(
                "header",
                _("Du har %(unused)s i ubrukte midler. Velg om du vil søke om å overføre dem "
                  "til neste år eller betale dem tilbake.") % {"unused": format_nok(unused)},
                field="unused_choice",
            ))
        elif report.unused_choice == UnusedChoice.TRANSFER and not report.transfer_reason.strip():
            errors.append(RuleError(
                "header", _("Skriv hvorfor du søker om å overføre ubrukte midler."),
                field="transfer_reason",
            ))
    return errors


def has_required_attachment(report: Report) -> bool:
    kind = required_attachment_kind(report)
    return any(a.kind == kind for a in report.attachments.all())


# --- unused funds, decided (reporting/transfers.py, reporting/repayments.py) ---------------

#: A transfer of more than this is decided by two of the office's staff (four eyes); a
#: round may set another amount (ReportingSettings.transfer_four_eyes_from).
TRANSFER_FOUR_EYES_FROM = Decimal(100_000)
#: Days from a repayment claim to its due date; a round may set another number.
REPAYMENT_DAYS = 30


def transfer_needs_four_eyes(amount: Decimal, threshold: Decimal) -> bool:
    return amount > threshold


def repayment_due(today, days: int):
    """The due date of a claim made on `today` (a date in Oslo)."""
    return today + timedelta(days=days)
