"""The report form in steps (tilskudd.steps, the same task list as the application's):
which steps a report has (one page per project of the decision), which sections and
header fields each holds, what state each is in from what is stored and what
rules.check_report finds, and where each broken rule is put right."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tilskudd import steps as shared
from tilskudd.steps import DONE, ERRORS, NOT_STARTED, Step

from . import rules
from .models import Report
from .rules import RuleError

__all__ = ["DONE", "ERRORS", "NOT_STARTED", "Step"]

TEXT, ACCOUNT, ATTACHMENTS, SUMMARY = "om-rapporten", "ubrukte-midler", "vedlegg", "oppsummering"
PART_STEPS = {"competence": "kompetansetiltak", "bpa": "bpa-opplaering"}
PROJECT_STEP = "tjenesteutvikling-%d"
#: the header fields each header section holds (a step saves only its own)
HEADER_SECTIONS = {"text": ("text_report",), "account": ("unused_choice", "transfer_reason")}
SECTION_OF_HEADER_FIELD = {field: section for section, fields in HEADER_SECTIONS.items()
                           for field in fields}


def report_steps(report: Report) -> list[Step]:
    """The report's steps: a part's step only if the decision granted lines in it, and one
    page per project."""
    found = [Step(TEXT, gettext_lazy("Om rapporten"), ("text",))]
    if report.competence_lines.all():
        found.append(Step(PART_STEPS["competence"], gettext_lazy("Kompetansetiltak"),
                          ("competence",)))
    if report.bpa_lines.all():
        found.append(Step(PART_STEPS["bpa"], gettext_lazy("BPA-opplæring"), ("bpa",)))
    for number, project in enumerate(report.projects.all(), start=1):
        found.append(Step(PROJECT_STEP % number,
                          _("Tjenesteutvikling: %(title)s") % {"title": project.source.title},
                          ("projects",), item=project.pk))
    found += [
        Step(ACCOUNT, gettext_lazy("Regnskap og ubrukte midler"), ("account",)),
        Step(ATTACHMENTS, gettext_lazy("Vedlegg"), ("attachments",)),
        Step(SUMMARY, gettext_lazy("Oppsummering og innsending"), ()),
    ]
    return found


def step_url(report: Report, key: str, anchor: str = "") -> str:
    return reverse("reporting:step", args=[report.pk, key]) + anchor


def step_of(steps: list[Step], error: RuleError) -> Step:
    """The step where a broken rule is put right (a rule about the whole report, on the
    summary)."""
    section = error.section
    if section == "header":
        section = SECTION_OF_HEADER_FIELD.get(error.field or "", "text")
    for step in steps:
        if section in step.sections and step.item in (None, error.line_id):
            return step
    return steps[-1]


def anchor(steps: list[Step], report: Report, error: RuleError) -> str:
    """A broken rule's field on the step that holds it."""
    if error.field == "unused_choice":  # radio buttons: the first one
        fragment = "#id_header-unused_choice_0"
    elif error.field and error.line_id is not None:
        fragment = f"#id_{error.section}-{error.line_id}-{error.field}"
    elif error.field:
        fragment = f"#id_{error.section}-{error.field}"
    else:
        fragment = f"#section-{error.section}"
    return step_url(report, step_of(steps, error).key, fragment)


def missing(report: Report, steps: list[Step] | None = None,
            broken: list[RuleError] | None = None) -> list[dict[str, str]]:
    steps = report_steps(report) if steps is None else steps
    broken = rules.check_report(report) if broken is None else broken
    return [{"text": e.message, "href": anchor(steps, report, e)} for e in broken]


def _filled(value) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def _line_started(part: str, line) -> bool:
    return any(_filled(getattr(line, field)) for field in rules.REQUIRED_LINE_FIELDS[part])


def _started(report: Report, step: Step) -> bool:
    section = step.sections[0]
    if section == "text":
        return bool(report.text_report.strip())
    if section == "account":
        return bool(report.unused_choice or report.transfer_reason.strip()
                    or report.used_total)
    if section == "attachments":
        return bool(report.attachments.all())
    lines = getattr(report, rules.PART_LINES[section]).all()
    return any(_line_started(section, line) for line in lines
               if step.item in (None, line.pk))


def states(report: Report, steps: list[Step], broken: list[RuleError],
           invalid: set[str] = frozenset()) -> dict[str, str]:
    """Each step's state (tilskudd.steps.state). Input that did not validate and is shown
    again (`invalid`, the keys of such steps) and an account that spends more than it has
    are "har feil"; a rule still broken leaves a begun step "påbegynt"."""
    found: dict[str, str] = {}
    for step in steps:
        if step.key == SUMMARY:
            continue
        own = [e for e in broken if step_of(steps, e) is step]
        found[step.key] = shared.state(
            kept=step.key in invalid or any(e.section == "account" for e in own),
            started=_started(report, step), broken=bool(own),
        )
    return found


def first_unfinished(report: Report) -> str:
    """Where the report's address sends a person: the first step with errors, else the
    first begun but not finished, else the first not started; the summary when all are
    fullført."""
    steps = report_steps(report)
    found = states(report, steps, rules.check_report(report))
    for wanted in (ERRORS, shared.STARTED, NOT_STARTED):
        step = shared.first_with(steps, found, wanted)
        if step is not None:
            return step.key
    return SUMMARY
