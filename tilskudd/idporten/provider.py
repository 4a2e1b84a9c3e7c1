"""The ID-porten provider as this portal sees it: whether it is configured, its endpoints
(from `<issuer>/.well-known/openid-configuration`, fetched once per process and kept for
DISCOVERY_TTL), and the keyed hash that stands in for a person's pid."""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

#: How long one discovery document is trusted before it is fetched again (seconds).
DISCOVERY_TTL = 3600
#: The levels of assurance this portal accepts (NORWAY.md: substantial or high).
ACCEPTED_ACR = ("idporten-loa-substantial", "idporten-loa-high")
#: ID-porten's login page speaks these; anything else falls back to bokmål.
UI_LOCALES = {"nb": "nb", "nn": "nn", "en": "en"}


class ProviderUnavailable(Exception):  # noqa: N818 (a state of the world, not a bug)
    """ID-porten could not be reached or answered with something unusable."""


@dataclass(frozen=True)
class Endpoints:
    issuer: str
    authorization: str
    token: str
    jwks: str
    userinfo: str
    end_session: str


_lock = threading.Lock()
_cache: dict[str, tuple[float, Endpoints]] = {}


def enabled() -> bool:
    return bool(
        settings.IDPORTEN_ISSUER and settings.IDPORTEN_CLIENT_ID
        and settings.IDPORTEN_CLIENT_SECRET
    )


def endpoints() -> Endpoints:
    """The provider's endpoints from discovery; raises ProviderUnavailable."""
    issuer = settings.IDPORTEN_ISSUER.rstrip("/")
    now = time.monotonic()
    with _lock:
        cached = _cache.get(issuer)
        if cached and now - cached[0] < DISCOVERY_TTL:
            return cached[1]
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
        found = Endpoints(
            issuer=document["issuer"],
            authorization=document["authorization_endpoint"],
            token=document["token_endpoint"],
            jwks=document["jwks_uri"],
            userinfo=document.get("userinfo_endpoint", ""),
            end_session=document.get("end_session_endpoint", ""),
        )
    except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
        logger.warning("ID-porten discovery at %s failed: %s", url, type(exc).__name__)
        raise ProviderUnavailable(url) from exc
    if found.issuer.rstrip("/") != issuer:
        logger.warning("ID-porten discovery at %s names another issuer", url)
        raise ProviderUnavailable(url)
    with _lock:
        _cache[issuer] = (now, found)
    return found


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def login_origins() -> list[str]:
    """Where ID-porten's own pages live (its login domain may differ from the issuer's,
    as login.idporten.no does from idporten.no): the frames that may call our logout."""
    origins = [_origin(settings.IDPORTEN_ISSUER)]
    try:
        found = endpoints()
    except ProviderUnavailable:
        return origins
    for url in (found.authorization, found.end_session):
        if url and _origin(url) not in origins:
            origins.append(_origin(url))
    return origins


def forget_discovery() -> None:
    """Drop the cached documents (tests, or after the provider rotated its setup)."""
    with _lock:
        _cache.clear()


def pid_hash(pid: str) -> str:
    """HMAC-SHA256 of the pid with IDPORTEN_PID_KEY: finds the same person again, and
    cannot be turned back into the fødselsnummer without the key."""
    if not settings.IDPORTEN_PID_KEY:
        raise ImproperlyConfigured("IDPORTEN_PID_KEY must be set to sign in with ID-porten.")
    key = settings.IDPORTEN_PID_KEY.encode()
    return hmac.new(key, pid.strip().encode(), hashlib.sha256).hexdigest()


def ui_locale() -> str:
    language = (get_language() or "nb").split("-")[0]
    return UI_LOCALES.get(language, "nb")
