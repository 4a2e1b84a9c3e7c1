"""A form in steps (the GOV.UK and Altinn task-list pattern), shared by the application
and the report: a step is a page holding some of the form's sections (or one line of a
part, such as one project); a step list shows each step's state (ikke startet /
påbegynt / fullført / har feil) and lets the person open any of them. What a state means
for a step is the domain app's to say (applications.steps, reporting.steps); how it is
named, shown and listed is said here once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

NOT_STARTED, STARTED, DONE, ERRORS = "not_started", "started", "done", "errors"
STATE_LABELS = {
    NOT_STARTED: _("Ikke startet"), STARTED: _("Påbegynt"), DONE: _("Fullført"),
    ERRORS: _("Har feil"),
}

#: Bootstrap's contrasting text-and-background pairs (4.5:1 or better)
STATE_CLASSES = {
    NOT_STARTED: "text-bg-light border", STARTED: "text-bg-warning", DONE: "text-bg-success",
    ERRORS: "text-bg-danger",
}


@dataclass(frozen=True)
class Step:
    key: str
    title: object
    #: the form sections ("header", "competence", ...) shown and saved on this step
    sections: tuple[str, ...]
    #: the one line of its part this step holds (one page per project), else None
    item: int | None = None


def state(*, kept: bool, started: bool, broken: bool) -> str:
    """A step's state: "har feil" while input that did not validate is kept (or shown)
    for it; "ikke startet" when nothing is in it; "påbegynt" while one of its rules is
    broken (a required field, a short answer); "fullført" when begun and nothing is
    wrong."""
    if kept:
        return ERRORS
    if not started:
        return NOT_STARTED
    return STARTED if broken else DONE


def step_list(steps: Sequence[Step], current: str, states: dict[str, str],
              url: Callable[[str], str]) -> list[dict]:
    """The step list: each step with its URL, state and label, and which is current
    (a step without a state, the summary, shows none)."""
    return [{
        "step": step, "url": url(step.key), "state": states.get(step.key, ""),
        "state_label": STATE_LABELS.get(states.get(step.key, ""), ""),
        "css": STATE_CLASSES.get(states.get(step.key, ""), ""),
        "current": step.key == current,
    } for step in steps]


def neighbour(steps: Sequence[Step], current: Step, offset: int) -> Step | None:
    """The step before (-1) or after (1) the current one, None at either end."""
    index = list(steps).index(current) + offset
    return steps[index] if 0 <= index < len(steps) else None


def first_with(steps: Sequence[Step], states: dict[str, str], wanted: str) -> Step | None:
    return next((step for step in steps if states.get(step.key) == wanted), None)


def step_form_urls(*, edit: Callable, step: Callable, preview: Callable,
                   submit: Callable) -> list[URLPattern]:
    """The addresses of a form in steps, the same in every app under its namespace
    (`applications:step`, `reporting:step`): the form itself (`edit`), one of its steps, the
    preview and the sending (`submit`)."""
    return [
        path("<int:pk>/", edit, name="edit"),
        path("<int:pk>/steg/<slug:step>/", step, name="step"),
        path("<int:pk>/forhandsvis/", preview, name="preview"),
        path("<int:pk>/send-inn/", submit, name="submit"),
    ]
