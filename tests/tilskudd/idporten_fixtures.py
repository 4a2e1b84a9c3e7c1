"""Fixtures for the ID-porten tests (imported by tests/tilskudd/test_idporten*.py and
tests/e2e/test_idporten.py)."""

from __future__ import annotations

import pytest

from tests.tilskudd.idporten_provider import running_provider
from tilskudd.idporten import provider as idporten_provider

CLIENT_ID = "tilskudd-test"
PID_KEY = "test-pid-key-not-for-production"


@pytest.fixture(scope="session")
def oidc_provider():
    with running_provider() as provider:
        yield provider


@pytest.fixture
def idporten(settings, oidc_provider):
    """ID-porten switched on against the provider on localhost."""
    settings.IDPORTEN_ISSUER = oidc_provider.url
    settings.IDPORTEN_CLIENT_ID = CLIENT_ID
    settings.IDPORTEN_CLIENT_SECRET = "test-secret"  # noqa: S105 (the mock accepts any)
    settings.IDPORTEN_PID_KEY = PID_KEY
    idporten_provider.forget_discovery()
    yield oidc_provider
    idporten_provider.forget_discovery()
