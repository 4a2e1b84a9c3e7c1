"""Two offices: Trøndelag (Trondheim) and Rogaland (Stavanger), each with a caseworker,
approvers, a budget for the open round, and applicants with editors and signatories."""

from datetime import datetime
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
from tilskudd.models import Earmark, MembershipRole, OfficeRole

from .helpers import submit

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def trondheim(db):
    return OrganisationFactory()


@pytest.fixture
def open_round(db):
    year = timezone.now().year + 1
    return RoundFactory(year=year, reporting_deadline=datetime(year + 1, 3, 1, 23, 59, tzinfo=OSLO))


@pytest.fixture
def budget(trondheim, open_round):
    budget = OfficeBudgetFactory(round=open_round, office=trondheim.office,
                                 pot=Decimal("30667000"))
    Earmark.objects.create(budget=budget, key="respite", name="Fleksible avlastningsmodeller",
                           amount=Decimal("415000"))
    return budget


@pytest.fixture
def caseworker(trondheim):
    return office_staff(trondheim.office, OfficeRole.CASEWORKER,
                        email="saksbehandler@sftl.example.no", full_name="Sara Saksbehandler")


@pytest.fixture
def approver(trondheim):
    return office_staff(trondheim.office, OfficeRole.APPROVER,
                        email="godkjenner@sftl.example.no", full_name="Gunnar Godkjenner")


@pytest.fixture
def second_approver(trondheim):
    return office_staff(trondheim.office, OfficeRole.APPROVER,
                        email="godkjenner2@sftl.example.no", full_name="Grete Godkjenner")


@pytest.fixture
def signatory(trondheim):
    return member(trondheim, MembershipRole.SIGNATORY, email="signatur@trondheim.example.no",
                  full_name="Sigurd Signatur")


@pytest.fixture
def editor(trondheim):
    return member(trondheim, MembershipRole.EDITOR, email="utfyller@trondheim.example.no",
                  full_name="Ulrikke Utfyller")


@pytest.fixture
def application(trondheim, open_round, budget, signatory, editor):
    """Trondheim's submitted application: one competence line of kr 60 000."""
    return submit(trondheim, open_round, signatory)


@pytest.fixture
def rogaland_org(db):
    return stavanger()


@pytest.fixture
def rogaland_caseworker(rogaland_org):
    return office_staff(rogaland_org.office, OfficeRole.CASEWORKER,
                        email="saksbehandler@sfro.example.no", full_name="Rolf Rogaland")


@pytest.fixture
def rogaland_approver(rogaland_org):
    return office_staff(rogaland_org.office, OfficeRole.APPROVER,
                        email="godkjenner@sfro.example.no", full_name="Randi Rogaland")


@pytest.fixture
def rogaland_budget(rogaland_org, open_round):
    return OfficeBudgetFactory(round=open_round, office=rogaland_org.office,
                               pot=Decimal("32100000"))


@pytest.fixture
def rogaland_application(rogaland_org, open_round, rogaland_budget):
    signatory = member(rogaland_org, MembershipRole.SIGNATORY,
                       email="signatur@stavanger.example.no")
    return submit(rogaland_org, open_round, signatory)
