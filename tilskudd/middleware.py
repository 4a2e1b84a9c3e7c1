"""Response headers every page gets: what the browser may use (Permissions-Policy), and
that nothing a signed-in person sees is kept in a shared or browser cache; and Django's
AuthenticationMiddleware for sessions signed in before tilskudd.auth_backends."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.utils.cache import add_never_cache_headers

from .auth_backends import rename_session_backend


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if "no-store" in response.get("Cache-Control", ""):
            return response  # kept from caches already: no need to read the session (polling)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)  # Cache-Control: no-store, no-cache, ...
        return response


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's; a session signed in by password before PortalModelBackend replaced
    Django's ModelBackend is renamed to it, so it stays signed in (for 8 hours at most)."""

    def process_request(self, request):
        if hasattr(request, "session"):
            rename_session_backend(request.session)
        super().process_request(request)
