"""Fixtures for application tests: an open round, Trondheim with an editor and a
signatory, and a complete draft that satisfies every rule."""

from decimal import Decimal

import pytest

from applications import services
from tests.tilskudd.factories import OrganisationFactory, RoundFactory, member
from tilskudd.models import MembershipRole

CRITERIA_ANSWER = "Et utfyllende svar på kriteriet."


def complete_header() -> dict:
    return {
        "contact_name": "Kari Kontakt",
        "contact_email": "kari@trondheim.example.no",
        "contact_phone": "73 00 00 00",
        "signatory_name": "Rita Rådmann",
        "signatory_title": "Kommunedirektør",
        "purpose": "Styrke kompetansen i omsorgstjenesten.",
        "own_financing": Decimal("100000"),
        "other_financing": Decimal("0"),
        "control_measures": "Månedlig budsjettoppfølging og revisjon.",
        "transferred_funds": Decimal("25000"),
    }


def competence_line(**overrides) -> dict:
    return {
        "education_type": "further_master",
        "description": "Videreutdanning i psykisk helsearbeid",
        "employees": 3,
        "amount": Decimal("60000"),
        "is_mental_health": True,
        "is_decentralised": True,
        "in_supported_programme": False,
        **overrides,
    }


def bpa_line(**overrides) -> dict:
    return {"role": "work_leader", "persons": 2, "amount": Decimal("60000"), **overrides}


def project(**overrides) -> dict:
    from applications.models import PROJECT_CRITERIA

    data = {
        "title": "Velferdsteknologi i hjemmetjenesten",
        "is_continuation": False,
        "topic": "self_management",
        "amount": Decimal("250000"),
    }
    data.update({field: CRITERIA_ANSWER for field, _ in PROJECT_CRITERIA})
    data.update(overrides)
    return data


@pytest.fixture
def trondheim(db):
    return OrganisationFactory()


@pytest.fixture
def open_round(db):
    return RoundFactory()


@pytest.fixture
def editor(trondheim):
    return member(trondheim, MembershipRole.EDITOR, email="utfyller@example.no",
                  full_name="Ulrikke Utfyller")


@pytest.fixture
def signatory(trondheim):
    return member(trondheim, MembershipRole.SIGNATORY, email="signatur@example.no",
                  full_name="Sigurd Signatur")


@pytest.fixture
def draft(trondheim, open_round, editor, signatory):
    application = services.application_start(
        organisation=trondheim, round=open_round, user=editor
    )
    return services.application_update(
        application=application, user=editor, header=complete_header(),
        competence=[competence_line()], bpa=[bpa_line()], projects=[project()],
    )
