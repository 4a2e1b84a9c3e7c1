"""Demo data for reporting: Trondheim kommune's granted application in last year's (closed)
demo round, built through the applications and assessment services, and its report
opened, so the demo signatory has a report to write. Idempotent."""

from __future__ import annotations

import inspect
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from applications import services as application_services
from applications.models import PROJECT_CRITERIA, Application, ApplicationStatus
from assessment import selectors as assessment_selectors
from assessment import services as assessment_services
from tilskudd.errors import ServiceError
from tilskudd.models import Organisation, Round, User
from tilskudd.money import format_nok
from tilskudd.seeding import DEMO_LOGINS, demo_round_years, register_demo_loader

from . import grants, services

ANSWER = "Beskrevet i søknaden til Statsforvalteren, med mål, tiltak og plan for evaluering."


def _header() -> dict:
    return {
        "contact_name": "Kari Kontakt",
        "contact_email": "kontakt@trondheim.example.no",
        "contact_phone": "73 00 00 00",
        "signatory_name": "Sigurd Signatur",
        "signatory_title": "Kommunedirektør",
        "purpose": "Flere ansatte med relevant formell utdanning i helse og omsorg.",
        "own_financing": Decimal("150000"),
        "other_financing": Decimal("0"),
        "control_measures": "Månedlig budsjettoppfølging og årlig revisjon.",
        "transferred_funds": Decimal("0"),
    }


def _lines() -> dict[str, list[dict]]:
    project = {
        "title": "Velferdsteknologi i hjemmetjenesten", "is_continuation": False,
        "topic": "self_management", "amount": Decimal("250000"),
        **{field: ANSWER for field, _label in PROJECT_CRITERIA},
    }
    return {
        "competence": [
            {"education_type": "upper_secondary", "description": "Helsefagarbeider",
             "employees": 4, "amount": Decimal("120000"), "is_mental_health": False,
             "is_decentralised": False, "in_supported_programme": False},
            {"education_type": "further_master",
             "description": "Videreutdanning i psykisk helsearbeid", "employees": 3,
             "amount": Decimal("60000"), "is_mental_health": True, "is_decentralised": True,
             "in_supported_programme": False},
        ],
        "bpa": [
            {"role": "work_leader", "persons": 2, "amount": Decimal("60000")},
            {"role": "assistant", "persons": 5, "amount": Decimal("50000")},
        ],
        "projects": [project],
    }


def _start(organisation: Organisation, rnd: Round, user: User, moment: datetime) -> Application:
    """Start the application as if it were `moment` (inside the closed round's window);
    an application_start that takes no `now` refuses a closed round."""
    start = application_services.application_start
    if "now" in inspect.signature(start).parameters:
        return start(organisation=organisation, round=rnd, user=user, now=moment)
    return start(organisation=organisation, round=rnd, user=user)


def _application(organisation: Organisation, rnd: Round, signatory: User) -> Application:
    """Trondheim's application in the closed round, submitted inside the round's window."""
    moment = rnd.application_deadline - timedelta(days=14)
    application = _start(organisation, rnd, signatory, moment)
    if application.status != ApplicationStatus.SUBMITTED:
        application_services.application_update(
            application=application, user=signatory, header=_header(), **_lines())
        application_services.application_submit(
            application=application, user=signatory, now=moment)
    return application


def _decide(application: Application, caseworker: User, approver: User) -> None:
    """The office grants what was applied for: a caseworker recommends, an approver
    decides (four eyes)."""
    case = assessment_services.assessment_open(application=application, user=caseworker)
    if case.is_decided:
        return
    if case.is_editable:
        scores = {key: 4 for key, _label in PROJECT_CRITERIA}
        assessment_services.assessment_save(assessment=case, user=caseworker, lines=[
            assessment_services.LineInput(
                id=line.pk, recommended=line.applied, justification="",
                scores=scores if line.part == "projects" else None)
            for line in assessment_selectors.case_lines(case)
        ])
        case = assessment_services.assessment_recommend(assessment=case, user=caseworker)
    assessment_services.assessment_approve(assessment=case, user=approver)


@register_demo_loader
@transaction.atomic
def load_reporting_demo(now: datetime | None = None) -> list[str]:
    now = now or timezone.now()
    _open_year, closed_year = demo_round_years(now)
    rnd = Round.objects.filter(scheme__code="kkt", year=closed_year).first()
    trondheim = Organisation.objects.filter(municipality_number="5001").first()
    users = {u.email: u for u in User.objects.filter(email__in=[d.email for d in DEMO_LOGINS])}
    signatory = users.get(DEMO_LOGINS[1].email)
    caseworker = users.get(DEMO_LOGINS[2].email)
    approver = users.get(DEMO_LOGINS[3].email)
    if not (rnd and trondheim and signatory and caseworker and approver):
        return ["Rapportering: demodata mangler (kjør seed --demo)."]
    existing = Application.objects.filter(organisation=trondheim, round=rnd).first()
    if existing is not None and grants.grant_for(existing.pk) is not None:
        application = existing
    else:
        try:
            with transaction.atomic():
                application = _application(trondheim, rnd, signatory)
                _decide(application, caseworker, approver)
        except ServiceError as error:
            return [f"Rapportering: ingen demorapport for {trondheim} ({error.message})"]
    grant = grants.grant_for(application.pk)
    if grant is None:
        return [f"Rapportering: søknaden fra {trondheim} for {rnd} er ikke innvilget."]
    if not rnd.reporting_open_at(now):
        return [f"Rapportering: {trondheim} har tilskudd for {rnd}; rapporteringen åpner "
                f"{timezone.localtime(rnd.reporting_opens_at):%d.%m.%Y}."]
    report = services.report_open(application=application, now=now)
    return [
        f"Rapportering: {trondheim} har fått {format_nok(grant.granted_total)} for {rnd} og "
        f"skal rapportere innen {timezone.localtime(report.deadline):%d.%m.%Y kl. %H:%M} "
        f"(logg inn som {DEMO_LOGINS[1].email}, «Mine rapporter»)."
    ]
