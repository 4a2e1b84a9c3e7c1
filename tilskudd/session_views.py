"""When the signed-in session ends, and the keep-alive that extends it (WCAG 2.2.1: a
person is warned before the time runs out and can ask for more).

The session ends SESSION_COOKIE_AGE after it was last saved (it is not saved on every
request). The session records that moment under SAVED_AT, so a page can say how many
seconds are left (`seconds_left`, shown by includes/session_warning.html through the
`session_warning` tag), and static/js/session-warning.js warns SESSION_WARNING_SECONDS
before and calls `keep_alive` on «Fortsett».

Django gives the CSRF token a new secret at every sign-in (`rotate_token` in `login`), so a
page loaded before the person signed in again in another tab holds a token that is refused.
`csrf_failure` (CSRF_FAILURE_VIEW) says so in JSON to the page's own script, which asks
`session_token` for the token of now and sends again (static/js/portal.js)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.utils.translation import gettext as _
from django.views import csrf
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .errors import is_background

#: The session key holding when the session was last saved (a Unix time).
SAVED_AT = "tilskudd_session_saved_at"
#: How long before the end the warning shows, unless settings.SESSION_WARNING_SECONDS says.
WARNING_SECONDS = 120


def warning_seconds() -> int:
    return int(getattr(settings, "SESSION_WARNING_SECONDS", WARNING_SECONDS))


def note_saved(request: HttpRequest) -> None:
    """Say in the session that it is saved now (the session is marked modified, so it is)."""
    request.session[SAVED_AT] = time.time()


def _signed_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        note_saved(request)


def connect_signals() -> None:
    """A sign-in saves its session: note when (tilskudd.apps.ready)."""
    user_logged_in.connect(_signed_in, dispatch_uid="tilskudd.session_views.signed_in")


def seconds_left(request: HttpRequest) -> int | None:
    """Seconds until the signed-in session ends; None when nobody is signed in. A session
    that has not said when it was saved (one from before this) is saved now, which starts
    its age again. (An error page drawn before the middleware ran has neither.)"""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return None
    session = request.session
    now = time.time()
    saved_at = session.get(SAVED_AT)
    if saved_at is None:
        session[SAVED_AT] = saved_at = now
    return max(0, round(saved_at + session.get_expiry_age() - now))


@require_POST
def keep_alive(request: HttpRequest) -> JsonResponse:
    """Extend the signed-in session by its full age (POST with the CSRF token)."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "expires_in": 0}, status=401)
    note_saved(request)
    return JsonResponse({"signed_in": True, "expires_in": request.session.get_expiry_age()})


@never_cache
@require_GET
def session_token(request: HttpRequest) -> JsonResponse:
    """The CSRF token of the signed-in session as it is now, for a page loaded before a
    sign-in in another tab. A GET that writes nothing (the session is neither saved nor
    extended); nobody signed in gets no token. Nor does a page made for another user
    (`?user=`, the page's user id): what it holds was typed by them, and would be saved
    in the name of whoever signed in since."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    made_for = request.GET.get("user", "")
    if made_for and made_for != str(request.user.pk):
        return JsonResponse({"signed_in": True, "other_user": True}, status=409)
    return JsonResponse({"signed_in": True, "csrf_token": get_token(request)})


def signed_out_text() -> str:
    """What a form's script says when a save finds nobody signed in (static/js/portal.js,
    `signed_out` in each form's texts): what was typed stays on the page."""
    return _("Ikke lagret fordi du er logget ut. Det du har skrevet, står fortsatt her: logg "
             "inn igjen i en ny fane, og trykk så «Lagre» her.")


def other_user_text() -> str:
    """What a form's script says when a save finds another user signed in since the page
    was made (static/js/portal.js, `other_user` in each form's texts)."""
    return _("Ikke lagret fordi en annen bruker har logget inn i en annen fane. Det du har "
             "skrevet, står fortsatt her: logg inn igjen som deg selv i en ny fane, og trykk "
             "så «Lagre» her.")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused CSRF check (CSRF_FAILURE_VIEW): the page's own script gets JSON with
    code "csrf" (it fetches the new token and tries again); a person, Django's view with
    our 403_csrf.html."""
    if is_background(request):
        return JsonResponse({"ok": False, "code": "csrf", "message": _(
            "Ikke lagret fordi sikkerhetskontrollen for skjemaet slo feil. Ta vare på det "
            "du har skrevet, og last inn siden på nytt.")}, status=403)
    return csrf.csrf_failure(request, reason)
