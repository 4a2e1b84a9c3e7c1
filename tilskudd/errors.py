"""One refusal for every service, and one place that turns it into what the person sees.

A service that refuses raises `ServiceError(message, code, errors)`: the message is in the
user's language and says what to do; `code` is for code and tests; `errors` are the broken
rules with where they belong (a section, a line, a field), shown next to the field.

Views do not repeat try/except: `ServiceErrorMiddleware` answers an uncaught refusal (a
message and back to the page for a form post, JSON for the page's own background requests),
and `add_to_form` puts a refusal's errors on a form where a view re-renders it
(`form_acted` does the whole posted-form round: valid, the service, a refusal on the form).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class ServiceError(Exception):
    """A refusal with a message for the person who asked."""

    def __init__(self, message: str, code: str = "refused", errors: Iterable[Any] = ()):
        super().__init__(message)
        self.message = str(message)
        self.code = code
        self.errors = list(errors)

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": False,
            "code": self.code,
            "message": self.message,
            "errors": [
                {
                    "section": getattr(e, "section", None),
                    "index": getattr(e, "index", None),
                    "field": getattr(e, "field", None),
                    "message": str(getattr(e, "message", e)),
                }
                for e in self.errors
            ],
        }


def add_to_form(form, error: ServiceError) -> None:
    """Show a refusal on a form: each broken rule next to its field where the form has it,
    the rest (and the message itself when no rule names a field) at the top."""
    placed = False
    for rule in error.errors:
        field = getattr(rule, "field", None)
        if field and field in form.fields:
            form.add_error(field, str(rule.message))
            placed = True
        else:
            form.add_error(None, str(getattr(rule, "message", rule)))
            placed = True
    if not placed:
        form.add_error(None, error.message)


def form_acted(request: HttpRequest, form, act: Callable[[], object]) -> bool:
    """True when `form` was posted and valid and `act()` (the service call) went through.
    A refusal goes on the form (`add_to_form`) and the view shows the form again."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        act()
    except ServiceError as error:
        add_to_form(form, error)
        return False
    return True


def is_background(request: HttpRequest) -> bool:
    """A request from the page's own script (autosave, polling) rather than a person."""
    return request.headers.get("X-Requested-With") == "fetch"


def refusal_response(request: HttpRequest, error: ServiceError) -> HttpResponse:
    """What a person sees of a refusal no view caught: their own script gets JSON; a form
    post shows the message on the page it came from; anything else on the start page."""
    if is_background(request):
        return JsonResponse(error.as_json(), status=409)
    messages.error(request, error.message)
    if request.method == "POST":
        return redirect(_page_posted_from(request))
    return redirect("home")


class Unavailable(Exception):
    """Something the request needs does not answer now (the document storage): nothing was
    changed, and the person gets a calm page (503) with `title` and `message`."""

    def __init__(self, title: str, message: str):
        super().__init__(message)
        self.title, self.message = title, message


def unavailable_response(request: HttpRequest, error: Unavailable) -> HttpResponse:
    if is_background(request):
        return JsonResponse({"code": "unavailable", "message": error.message}, status=503)
    response = render(request, "refused.html", {
        "title": error.title, "message": error.message,
        "back_url": reverse("home"), "back_text": _("Til forsiden"),
    }, status=503)
    response["Retry-After"] = "30"
    return response


def _page_posted_from(request: HttpRequest) -> str:
    """The page the form was on (a POST-only view has no page of its own): the Referer
    when it is this site's, else the posted address."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return request.get_full_path()


class ServiceErrorMiddleware:
    """Answers a ServiceError that reached the top of a view (see `refusal_response`), and
    an Unavailable (`unavailable_response`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, ServiceError):
            logger.info("Refused %s %s: %s", request.method, request.path, exception.code)
            return refusal_response(request, exception)
        if isinstance(exception, Unavailable):
            return unavailable_response(request, exception)
        return None
