"""When the signed-in session ends, and the keep-alive that extends it (WCAG 2.2.1: a
person is warned before the time runs out and can ask for more).

The session ends SESSION_COOKIE_AGE after it was last saved (it is not saved on every
request). The session records that moment under SAVED_AT, so a page can say how many
seconds are left (`seconds_left`, shown by includes/session_warning.html through the
`session_warning` tag), and static/js/session-warning.js warns SESSION_WARNING_SECONDS
before and calls `keep_alive` on «Fortsett»."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

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
