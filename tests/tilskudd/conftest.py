"""Fixtures for the status line and the inbox (tests/tilskudd/grants.py builds on them)."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.tilskudd.factories import (
    OfficeBudgetFactory,
    OrganisationFactory,
    RoundFactory,
    member,
    office_staff,
    stavanger,
)
from tilskudd.models import MembershipRole, OfficeRole

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def trondheim(db):
    return OrganisationFactory()


@pytest.fixture
def grant_round(db):
    """Open for applications for ten more days; reports due 1 March next year."""
    now = timezone.now()
    return RoundFactory(
        year=now.year, opens_at=now - timedelta(days=30),
        application_deadline=now + timedelta(days=10), reporting_opens_at=None,
        reporting_deadline=datetime(now.year + 1, 3, 1, 23, 59, tzinfo=OSLO),
    )


@pytest.fixture
def budget(trondheim, grant_round):
    return OfficeBudgetFactory(round=grant_round, office=trondheim.office,
                               pot=Decimal("30667000"))


@pytest.fixture
def editor(trondheim):
    return member(trondheim, MembershipRole.EDITOR, email="utfyller@trondheim.example.no",
                  full_name="Ulrikke Utfyller")


@pytest.fixture
def signatory(trondheim):
    return member(trondheim, MembershipRole.SIGNATORY, email="signatur@trondheim.example.no",
                  full_name="Sigurd Signatur")


@pytest.fixture
def caseworker(trondheim):
    return office_staff(trondheim.office, OfficeRole.CASEWORKER,
                        email="saksbehandler@sftl.example.no", full_name="Sara Saksbehandler")


@pytest.fixture
def approver(trondheim):
    return office_staff(trondheim.office, OfficeRole.APPROVER,
                        email="godkjenner@sftl.example.no", full_name="Gunnar Godkjenner")


@pytest.fixture
def stavanger_signatory(db):
    return member(stavanger(), MembershipRole.SIGNATORY, email="signatur@stavanger.example.no",
                  full_name="Stine Stavanger")
