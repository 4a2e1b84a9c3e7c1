"""Response headers every page gets: what the browser may use (Permissions-Policy), and
that nothing a signed-in person sees is kept in a shared or browser cache."""

from __future__ import annotations

from django.conf import settings
from django.utils.cache import add_never_cache_headers


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
