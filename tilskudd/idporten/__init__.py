"""Signing in with ID-porten (OpenID Connect, authorization code with PKCE).

Switched on when IDPORTEN_ISSUER, IDPORTEN_CLIENT_ID and IDPORTEN_CLIENT_SECRET are set
(tilskudd.settings, "# ID-porten"). mozilla-django-oidc runs the code flow; this package
fills its endpoint settings from the provider's discovery document (`provider`), finds the
person by a keyed hash of the ID token's `pid` (`backend`), asks a new person for name and
e-mail and verifies the e-mail by a signed link (`services`, `views`), and ends the session
when ID-porten calls the front-channel logout URL. The pid itself is never stored, logged
or shown."""
