"""The authentication backend for ID-porten's callback, on mozilla-django-oidc.

Django asks every backend in AUTHENTICATION_BACKENDS, so this one also sees password
sign-ins: it answers only the OIDC callback (which passes `code_verifier`), and reads no
endpoint setting until then, since the endpoints come from discovery."""

from __future__ import annotations

import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import IntegrityError
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from ..auth_backends import load_user
from . import provider, services

logger = logging.getLogger(__name__)

#: Where the ID-porten session id waits between the ID token and `auth.login`.
SESSION_SID = "idporten_sid"


class IdportenBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs) -> None:
        self.UserModel = get_user_model()

    def get_user(self, user_id):
        """The user with who they act for (tilskudd.auth_backends), as mozilla-django-oidc's
        get_user reads the user (whether active or not)."""
        return load_user(user_id)

    def authenticate(self, request, **kwargs):
        if request is None or "code_verifier" not in kwargs or not provider.enabled():
            return None
        endpoints = provider.endpoints()
        self.issuer = endpoints.issuer
        self.OIDC_OP_TOKEN_ENDPOINT = endpoints.token
        self.OIDC_OP_USER_ENDPOINT = endpoints.userinfo
        self.OIDC_OP_JWKS_ENDPOINT = endpoints.jwks
        self.OIDC_RP_CLIENT_ID = settings.IDPORTEN_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.IDPORTEN_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = "RS256"
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def retrieve_matching_jwk(self, token):
        """The provider's signing key for this token: the one with the token's `kid`
        (ID-porten rotates keys), or the only RS256 key when neither names one."""
        try:
            response = requests.get(self.OIDC_OP_JWKS_ENDPOINT, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            keys = response.json()["keys"]
        except (requests.RequestException, ValueError, KeyError) as exc:
            raise provider.ProviderUnavailable(self.OIDC_OP_JWKS_ENDPOINT) from exc
        header = jwt.get_unverified_header(token)
        candidates = [
            key for key in keys
            if key.get("alg", header.get("alg")) == header.get("alg")
            and key.get("use", "sig") == "sig"
            and (key.get("kid") == header.get("kid") if header.get("kid") else True)
        ]
        if len(candidates) != 1:
            raise SuspiciousOperation("No single signing key matches the ID token")
        return jwt.PyJWK(candidates[0])

    def verify_token(self, token, **kwargs):
        """The signature and nonce (mozilla-django-oidc), then who issued it, for whom,
        and at which level of assurance."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if str(payload.get("iss", "")).rstrip("/") != self.issuer.rstrip("/"):
            raise SuspiciousOperation("ID token from another issuer")
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client")
        if payload.get("acr") not in provider.ACCEPTED_ACR:
            raise SuspiciousOperation("ID token below the required level of assurance")
        if not payload.get("pid"):
            raise SuspiciousOperation("ID token without pid")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        """The person with this pid (by its keyed hash), or a new one who has yet to give
        name and e-mail. ID-porten's userinfo adds nothing, so it is not fetched."""
        digest = provider.pid_hash(str(payload["pid"]))
        user = self.UserModel.objects.filter(pid_hash=digest).first()
        if user is None:
            try:
                user = services.person_first_sign_in(pid_hash=digest)
            except (IntegrityError, ValidationError):  # the person's other tab was first
                user = self.UserModel.objects.get(pid_hash=digest)
        if payload.get("sid"):
            self.request.session[SESSION_SID] = str(payload["sid"])
        return user
