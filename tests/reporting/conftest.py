"""Trondheim (Trøndelag) with an editor and a signatory, the office's caseworker and
approver, and two rounds: the grant round (open now; reports due 1 March next year) and
the next round (open now and still open after that deadline). Stavanger (Rogaland) with
its own staff, for scoping."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from reporting import services
from tests.tilskudd.factories import (
    OfficeBudgetFactory,
    OrganisationFactory,
    RoundFactory,
    member,
    office_staff,
    stavanger,
)
from tilskudd.models import MembershipRole, OfficeRole

from .helpers import competence_line, granted

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def trondheim(db):
    return OrganisationFactory()


@pytest.fixture
def grant_round(db):
    now = timezone.now()
    return RoundFactory(
        year=now.year,
        opens_at=now - timedelta(days=30),
        application_deadline=now + timedelta(days=10),
        reporting_opens_at=None,
        reporting_deadline=datetime(now.year + 1, 3, 1, 23, 59, tzinfo=OSLO),
    )


@pytest.fixture
def next_round(grant_round):
    return RoundFactory(
        year=grant_round.year + 1,
        opens_at=timezone.now() - timedelta(days=30),
        application_deadline=grant_round.reporting_deadline + timedelta(days=30),
        reporting_deadline=grant_round.reporting_deadline + timedelta(days=400),
    )


@pytest.fixture
def deadline(grant_round):
    return grant_round.reporting_deadline


@pytest.fixture
def budget(trondheim, grant_round):
    return OfficeBudgetFactory(round=grant_round, office=trondheim.office, pot=Decimal("30667000"))


@pytest.fixture
def signatory(trondheim):
    return member(trondheim, MembershipRole.SIGNATORY, email="signatur@trondheim.example.no",
                  full_name="Sigurd Signatur")


@pytest.fixture
def editor(trondheim):
    return member(trondheim, MembershipRole.EDITOR, email="utfyller@trondheim.example.no",
                  full_name="Ulrikke Utfyller")


@pytest.fixture
def caseworker(trondheim):
    return office_staff(trondheim.office, OfficeRole.CASEWORKER,
                        email="saksbehandler@sftl.example.no", full_name="Sara Saksbehandler")


@pytest.fixture
def approver(trondheim):
    return office_staff(trondheim.office, OfficeRole.APPROVER,
                        email="godkjenner@sftl.example.no", full_name="Gunnar Godkjenner")


@pytest.fixture
def application(trondheim, grant_round, budget, signatory, editor, caseworker, approver):
    """Trondheim's granted application: two competence lines (kr 60 000 and 140 000) and
    a BPA line (kr 60 000), all granted: kr 260 000 in total."""
    from .helpers import bpa_line

    return granted(
        trondheim, grant_round, signatory, caseworker, approver,
        competence=[competence_line(),
                    competence_line(education_type="upper_secondary", description="Fagbrev",
                                    employees=4, amount=Decimal("140000"),
                                    is_mental_health=False)],
        bpa=[bpa_line()],
    )


@pytest.fixture
def report(application, signatory):
    return services.report_open(application=application, user=signatory)


@pytest.fixture
def rogaland_org(db):
    return stavanger()


@pytest.fixture
def rogaland_signatory(rogaland_org):
    return member(rogaland_org, MembershipRole.SIGNATORY, email="signatur@stavanger.example.no")


@pytest.fixture
def rogaland_caseworker(rogaland_org):
    return office_staff(rogaland_org.office, OfficeRole.CASEWORKER,
                        email="saksbehandler@sfro.example.no", full_name="Rolf Rogaland")


@pytest.fixture
def rogaland_report(rogaland_org, grant_round, rogaland_signatory, rogaland_caseworker):
    approver = office_staff(rogaland_org.office, OfficeRole.APPROVER,
                            email="godkjenner@sfro.example.no")
    OfficeBudgetFactory(round=grant_round, office=rogaland_org.office, pot=Decimal("32100000"))
    application = granted(rogaland_org, grant_round, rogaland_signatory, rogaland_caseworker,
                          approver)
    return services.report_open(application=application, user=rogaland_signatory)
