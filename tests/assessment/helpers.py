"""Small builders for assessment tests: a submitted application through the applications
services, and a case taken through the workflow through the assessment services."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from applications import services as application_services
from applications.models import PROJECT_CRITERIA, Application
from assessment import services
from assessment.models import Assessment, LineAssessment, Part
from tilskudd.models import Organisation, Round, User

ANSWER = "Et utfyllende svar på kriteriet."


def header(**overrides) -> dict:
    return {
        "contact_name": "Kari Kontakt",
        "contact_email": "kari.kontakt@example.no",
        "contact_phone": "73 00 00 00",
        "signatory_name": "Rita Rådmann",
        "signatory_title": "Kommunedirektør",
        "purpose": "Styrke kompetansen i omsorgstjenesten.",
        "control_measures": "Månedlig budsjettoppfølging.",
        **overrides,
    }


def competence(amount="60000", **overrides) -> dict:
    return {
        "education_type": "further_master",
        "description": "Videreutdanning i psykisk helsearbeid",
        "employees": 3,
        "amount": Decimal(amount),
        "is_mental_health": True,
        "is_decentralised": False,
        "in_supported_programme": False,
        **overrides,
    }


def bpa(amount="30000", **overrides) -> dict:
    return {"role": "work_leader", "persons": 1, "amount": Decimal(amount), **overrides}


def project(amount="250000", topic="self_management", **overrides) -> dict:
    data = {"title": "Velferdsteknologi i hjemmetjenesten", "is_continuation": False,
            "topic": topic, "amount": Decimal(amount)}
    data.update({field: ANSWER for field, _label in PROJECT_CRITERIA})
    data.update(overrides)
    return data


def submit(
    organisation: Organisation, rnd: Round, signatory: User, *,
    competence_lines=None, bpa_lines=None, projects=None, **header_overrides,
) -> Application:
    """A submitted application of `organisation` (the signatory must be a member)."""
    application = application_services.application_start(
        organisation=organisation, round=rnd, user=signatory
    )
    application_services.application_update(
        application=application, user=signatory, header=header(**header_overrides),
        competence=competence_lines if competence_lines is not None else [competence()],
        bpa=bpa_lines if bpa_lines is not None else [],
        projects=projects if projects is not None else [],
    )
    application_services.application_submit(application=application, user=signatory)
    application.refresh_from_db()
    return application


def full_scores(score: int = 4) -> dict[str, int]:
    return {key: score for key, _label in PROJECT_CRITERIA}


def assess(
    assessment: Assessment, user: User,
    amount: Callable[[LineAssessment], Decimal] = lambda la: la.applied,
    justification: str = "Godt begrunnet tiltak.",
) -> Assessment:
    """Give every line an amount (default: what was applied for), a justification, and
    every project full scores."""
    lines = [
        services.LineInput(
            id=la.pk, recommended=Decimal(amount(la)), justification=justification,
            scores=full_scores() if la.part == Part.PROJECTS else None,
        )
        for la in assessment.lines.all()
    ]
    return services.assessment_save(assessment=assessment, user=user, lines=lines)


def recommend(
    application: Application, caseworker: User,
    amount: Callable[[LineAssessment], Decimal] = lambda la: la.applied,
) -> Assessment:
    assessment = services.assessment_open(application=application, user=caseworker)
    assess(assessment, caseworker, amount)
    return services.assessment_recommend(assessment=assessment, user=caseworker)


def decide(
    application: Application, caseworker: User, approver: User,
    amount: Callable[[LineAssessment], Decimal] = lambda la: la.applied,
) -> Assessment:
    assessment = recommend(application, caseworker, amount)
    return services.assessment_approve(assessment=assessment, user=approver)
