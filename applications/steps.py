"""The application form in steps (the GOV.UK and Altinn task-list pattern): which steps
there are, which of the form's sections each holds, and what state each is in
(ikke startet / påbegynt / fullført / har feil), from what is stored and what
rules.check_application finds."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tilskudd import steps as shared
from tilskudd.steps import DONE, ERRORS, NOT_STARTED, STARTED, Step

from . import rules
from .models import Application
from .services import HEADER_FIELDS

__all__ = ["DONE", "ERRORS", "NOT_STARTED", "STARTED", "STEPS", "Step"]

PROJECTS = "tjenesteutvikling"
STEPS = [
    Step("om-soknaden", _("Om søkeren og søknaden"), ("header",)),
    Step("kompetansetiltak", _("Kompetansetiltak"), ("competence",)),
    Step("bpa-opplaering", _("BPA-opplæring"), ("bpa",)),
    Step(PROJECTS, _("Tjenesteutvikling"), ("projects",), item=0),
    Step("vedlegg", _("Vedlegg"), ("attachments",)),
    Step("oppsummering", _("Oppsummering og innsending"), ()),
]
SUMMARY = "oppsummering"
#: the step that holds each section (for links from a problem to its field; a project's
#: own page is project_key)
STEP_OF_SECTION = {section: step.key for step in STEPS for section in step.sections}
_LINES = {"competence": "competence_lines", "bpa": "bpa_lines", "projects": "projects"}
#: header fields that have a default, so they say nothing about whether it was begun
_DEFAULTED = {"own_financing", "other_financing", "transferred_funds",
              "has_leve_hele_livet_plan"}


def project_key(index: int) -> str:
    """The page of the project at `index` (0: «tjenesteutvikling», then -2, -3, ...)."""
    return PROJECTS if index == 0 else f"{PROJECTS}-{index + 1}"


def project_pages(application: Application, add: bool = False) -> int:
    """How many project pages there are: one per project the form shows (the stored ones,
    or as many as the kept input holds), at least one, and one more while adding."""
    kept = application.draft_input.get("projects")
    if kept:
        try:
            return max(1, int(kept["projects-TOTAL_FORMS"][0]))
        except (KeyError, TypeError, ValueError, IndexError):
            pass
    return min(max(1, len(application.projects.all())) + int(add),
               max(rules.MAX_PROJECTS, len(application.projects.all())))


def application_steps(application: Application, add: bool = False) -> list[Step]:
    """The steps of this application: one page per project (Tjenesteutvikling)."""
    pages = project_pages(application, add)
    projects = [
        Step(project_key(i), _("Tjenesteutvikling") if pages == 1 else
             _("Tjenesteutvikling: prosjekt %(n)d") % {"n": i + 1}, ("projects",), item=i)
        for i in range(pages)
    ]
    return [*STEPS[:3], *projects, *STEPS[4:]]


def step_url(application: Application, key: str, anchor: str = "") -> str:
    return reverse("applications:step", args=[application.pk, key]) + anchor


def _started(application: Application, step: Step) -> bool:
    section = step.sections[0]
    if section in application.draft_input:
        return True
    if section == "header":
        return any(str(getattr(application, name) or "").strip()
                   for name in HEADER_FIELDS if name not in _DEFAULTED)
    if section == "attachments":
        return bool(application.attachments.all())
    lines = getattr(application, _LINES[section]).all()
    return len(lines) > step.item if step.item is not None else bool(lines)


def _belongs(error: rules.RuleError, step: Step) -> bool:
    """A rule of the step's section; on a project's page only that project's (a rule of
    the whole part, on the first project's)."""
    if error.section not in step.sections:
        return False
    return step.item is None or (error.index or 0) == step.item


def step_state(application: Application, step: Step,
               broken: list[rules.RuleError]) -> str:
    """One step's state (tilskudd.steps.state): kept input that did not validate is
    "har feil"; a broken rule of its sections leaves it "påbegynt". Rules about the whole
    application (at least one measure) belong to the summary."""
    return shared.state(
        kept=any(section in application.draft_input for section in step.sections),
        started=_started(application, step) if step.sections else False,
        broken=any(_belongs(error, step) and (error.field or error.section != "header")
                   for error in broken),
    )


def step_list(application: Application, current: str,
              broken: list[rules.RuleError] | None = None,
              found: list[Step] | None = None) -> list[dict]:
    """The step list: each step with its URL, state and label, and which is current."""
    broken = rules.check_application(application) if broken is None else broken
    found = application_steps(application) if found is None else found
    states = {step.key: step_state(application, step, broken)
              for step in found if step.key != SUMMARY}
    return shared.step_list(found, current, states, lambda key: step_url(application, key))


def first_unfinished(application: Application) -> str:
    """Where the old edit URL sends a person: the first step with errors, else the first
    begun but not finished (or the first, if it is not started); the summary when every
    begun step is fullført."""
    broken = rules.check_application(application)
    found = application_steps(application)
    states = [(step, step_state(application, step, broken)) for step in found[:-1]]
    for step, state in states:  # what was typed and did not validate comes first
        if state == ERRORS:
            return step.key
    for step, state in states:
        if state == STARTED or (step is found[0] and state == NOT_STARTED):
            return step.key
    parts = [state for step, state in states if step.sections[0] in _LINES]
    if all(state == NOT_STARTED for state in parts):
        return found[1].key
    return SUMMARY


def anchor(application: Application, error: rules.RuleError) -> str:
    """Where a broken rule belongs: its field on the step that holds it (a rule about
    the whole application, on the first step)."""
    if error.section == "projects":
        key = project_key(error.index or 0)
    else:
        key = STEP_OF_SECTION.get(error.section, STEPS[0].key)
    if error.field and error.index is not None:
        return step_url(application, key, f"#id_{error.section}-{error.index}-{error.field}")
    if error.field:
        return step_url(application, key, f"#id_{error.section}-{error.field}")
    return step_url(application, key, f"#section-{error.section}")


def missing(application: Application,
            broken: list[rules.RuleError] | None = None) -> list[dict[str, str]]:
    broken = rules.check_application(application) if broken is None else broken
    return [{"text": e.message, "href": anchor(application, e)} for e in broken]
