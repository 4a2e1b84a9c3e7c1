"""A real OpenID Connect provider on localhost for the ID-porten tests: oidc-provider-mock
(authlib underneath) in a thread, behind a small WSGI layer that does what ID-porten does
and the mock does not: it refuses an authorization request without an S256 PKCE challenge,
and a token request whose code_verifier does not match the code's challenge.

Claims per person are set with `provider.person(sub, pid=..., acr=..., sid=...)`; they go
into the ID token, as ID-porten's pid, acr and sid do."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlparse

import oidc_provider_mock
import requests
import werkzeug.serving

SUBSTANTIAL = "idporten-loa-substantial"


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _refuse(start_response, error: str, description: str):
    body = json.dumps({"error": error, "error_description": description}).encode()
    start_response("400 Bad Request", [("Content-Type", "application/json"),
                                       ("Content-Length", str(len(body)))])
    return [body]


@dataclass
class PkceRequired:
    """WSGI middleware: PKCE (S256) is mandatory, as in ID-porten."""

    app: object
    challenges: dict[str, str] = field(default_factory=dict)
    token_requests: list[dict] = field(default_factory=list)

    def __call__(self, environ, start_response):
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD")
        if path == "/oauth2/authorize":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            challenge = query.get("code_challenge", [""])[0]
            if not challenge or query.get("code_challenge_method", [""])[0] != "S256":
                return _refuse(start_response, "invalid_request", "PKCE S256 is required")
            if method != "POST":
                return self.app(environ, start_response)

            def remember_code(status, headers, exc_info=None):
                for name, value in headers:
                    if name.lower() == "location":
                        code = parse_qs(urlparse(value).query).get("code", [""])[0]
                        if code:
                            self.challenges[code] = challenge
                return start_response(status, headers, exc_info)

            return self.app(environ, remember_code)
        if path == "/oauth2/token" and method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length)
            environ["wsgi.input"] = io.BytesIO(body)
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            self.token_requests.append(form)
            challenge = self.challenges.get(form.get("code", ""))
            verifier = form.get("code_verifier", "")
            if challenge is None or not verifier or s256(verifier) != challenge:
                return _refuse(start_response, "invalid_grant", "PKCE verification failed")
        return self.app(environ, start_response)


@dataclass
class Provider:
    url: str
    pkce: PkceRequired

    def person(self, sub: str, *, pid: str, acr: str = SUBSTANTIAL, sid: str = "") -> None:
        claims = {"pid": pid, "acr": acr, "sid": sid or f"sid-{sub}", "locale": "nb"}
        response = requests.put(f"{self.url}/users/{sub}", json=claims, timeout=5)
        response.raise_for_status()

    def authorize(self, authorization_url: str, sub: str) -> str:
        """What the person does on the provider's page: sign in as `sub`. Returns the
        redirect back to the portal (with code and state)."""
        response = requests.post(authorization_url, data={"sub": sub},
                                 allow_redirects=False, timeout=5)
        assert response.status_code == 302, response.text
        return response.headers["Location"]


@contextmanager
def running_provider():
    app = PkceRequired(oidc_provider_mock.app(require_nonce=True))
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield Provider(url=f"http://127.0.0.1:{server.server_port}", pkce=app)
    finally:
        server.shutdown()
        thread.join(2)
        server.server_close()
