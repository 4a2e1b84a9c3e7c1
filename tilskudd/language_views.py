"""The header's language choice: a form posting to `choose_language` (Django's
set_language, which sets the cookie and goes back where the person was; works without
JavaScript), remembered on the signed-in user (User.language), and the middleware that
applies a signed-in user's choice on every request, from sign-in on."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from . import services


@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """Switch the portal's language; a signed-in user's choice is kept for next time."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_language_choose(user=request.user, language=language)
    return response


class UserLanguageMiddleware:
    """After AuthenticationMiddleware (and LocaleMiddleware): a signed-in user who chose a
    language gets it, whatever the browser's cookie says, and the cookie follows, so the
    pages after signing out stay in it. One who never chose keeps the language chosen
    before signing in (the cookie), which is then kept on the user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        signed_in = bool(user and user.is_authenticated)
        chosen = getattr(user, "language", "") if signed_in else ""
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if signed_in and not chosen and cookie in dict(settings.LANGUAGES):
            # chosen in the header before signing in: kept for this user from now on
            services.user_language_choose(user=user, language=cookie)
            chosen = cookie
        if chosen and chosen in dict(settings.LANGUAGES) and chosen != request.LANGUAGE_CODE:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        if chosen and cookie != chosen:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, chosen,
                max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
