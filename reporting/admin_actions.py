"""A caseworker's action on one row of the admin with a form of its own (send a report back,
extend its deadline, decide on a transfer, claim repayment; register a claim as paid,
cancel or correct it).

An admin lists its actions in `form_actions`, one `FormAction` each, and every one is the
same round: the row found within the user's office (404 otherwise), a user who may not
change it refused (403), the page with the form, then the service, called as
`service(<action_subject>=row, user=user, **the form's fields)` less the fields the action
names as the page's own (`page_fields`); a form field that is neither the service's keyword
nor the page's is refused when the action is declared, so a renamed keyword or field is
an error at start-up, not a field dropped without a word. A refusal is shown on the form,
success goes back to the row's page with the action's message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from inspect import Parameter, signature
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern

from tilskudd.errors import form_acted

from . import selectors
from .models import Report
from .snapshot import report_snapshot

ACTION_TEMPLATE = "admin/reporting/report/action_form.html"


@dataclass(frozen=True)
class FormAction:
    #: the page's address below the row, `<pk>/<route>`, named `<app>_<model>_<name>`
    route: str
    name: str
    form_class: type[forms.Form]
    service: Callable[..., object]
    #: the page's heading (and its button)
    title: str
    #: the message after success, back on the row's page
    done: str = ""
    #: instead of `done`, where what the service returned decides: (message, row to go to)
    outcome: Callable[[Any, Any], tuple[str, Any]] | None = None
    #: the service's keywords from the valid form, where they are not its fields (None: the
    #: form's fields the service has a keyword for)
    arguments: Callable[[Any], dict[str, Any]] | None = None
    #: the form's initial values, asked for each time the page opens
    initial: Callable[[], dict[str, Any]] = dict
    #: more for the page, from the row (the report's content under the form)
    context: Callable[[Any], dict[str, Any]] = lambda row: {}
    #: the form's fields that are the page's own, not the service's keywords
    page_fields: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.arguments is not None:
            return
        parameters = signature(self.service).parameters.values()
        if any(p.kind is Parameter.VAR_KEYWORD for p in parameters):
            return
        takes = {p.name for p in parameters
                 if p.kind in (Parameter.KEYWORD_ONLY, Parameter.POSITIONAL_OR_KEYWORD)}
        unknown = set(self.form_class.base_fields) - takes - self.page_fields
        if unknown:
            raise ImproperlyConfigured(
                f"{self.name}: {self.service.__name__} has no keyword for the form's "
                f"{', '.join(sorted(unknown))} (name it in page_fields if it is the page's own)")

    def keywords(self, form: forms.Form) -> dict[str, Any]:
        """The service's keywords from the valid `form`."""
        if self.arguments is not None:
            return self.arguments(form)
        return {name: value for name, value in form.cleaned_data.items()
                if name not in self.page_fields}


class FormActionsAdmin:
    """Mixed into an OfficeScopedAdmin: the pages of its `form_actions`."""

    form_actions: tuple[FormAction, ...] = ()
    #: the services' keyword for the row ("report", "claim")
    action_subject: str = ""

    def get_urls(self) -> list[URLPattern]:
        return [*self.row_paths(*((action.route, self._form_action_view(action), action.name)
                                  for action in self.form_actions)),
                *super().get_urls()]

    def _form_action_view(self, action: FormAction) -> Callable[[HttpRequest, int], HttpResponse]:
        def view(request: HttpRequest, pk: int) -> HttpResponse:
            return self.form_action(request, pk, action)

        return view

    def form_action(self, request: HttpRequest, pk: int, action: FormAction) -> HttpResponse:
        row = self.scoped_row(request, pk, self.has_view_permission)
        if not self.has_change_permission(request, row):
            raise PermissionDenied
        form = action.form_class(request.POST or None, initial=action.initial())
        returned = []
        if form_acted(request, form, lambda: returned.append(action.service(
                **{**action.keywords(form), self.action_subject: row, "user": request.user}))):
            message, back_to = (action.outcome(row, returned[0]) if action.outcome
                                else (action.done, row))
            self.message_user(request, message, messages.SUCCESS)
            return HttpResponseRedirect(self.change_url(back_to))
        return self.object_page(request, ACTION_TEMPLATE, row, title=action.title, form=form,
                                **action.context(row))


def report_content(report: Report) -> dict[str, Any]:
    """For an action on a report whose page shows the report under the form."""
    return {"content": report_snapshot(selectors.report_with_content(report.pk))}
