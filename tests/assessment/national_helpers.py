"""A whole round in bulk, for the national view's query-count tests and bench/national.py:
offices with budgets, organisations, submitted applications of competence lines, BPA
and projects, decided cases and approved reports. Rows are written with bulk_create
(thousands through the services would take minutes); the shapes are those the services
make."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from applications.models import (
    Application,
    ApplicationStatus,
    BpaLine,
    CompetenceLine,
    Project,
)
from assessment.models import Assessment, AssessmentStatus, LineAssessment, Outcome, Part
from reporting.models import Report, ReportCompetenceLine, ReportStatus
from tests.tilskudd.factories import UserFactory
from tilskudd.models import County, Earmark, Office, OfficeBudget, Organisation, OrganisationKind

KINDS = [OrganisationKind.INTER_MUNICIPAL_COMPANY, OrganisationKind.UNIVERSITY]


@dataclass(frozen=True)
class BulkRound:
    offices: list[Office]
    applications: int
    lines: int


def bulk_round(rnd, *, offices: int, applications: int, competence_lines: int,
               prefix: str = "b") -> BulkRound:
    """`applications` submitted applications spread over `offices` new offices, each with
    `competence_lines` competence lines, one BPA line and one project; every other case
    decided (partly granted) with an approved report, the rest recommended."""
    now = timezone.now()
    caseworker = UserFactory(email=f"{prefix}-saksbehandler@bench.example.no")
    approver = UserFactory(email=f"{prefix}-godkjenner@bench.example.no")
    made = Office.objects.bulk_create([
        Office(code=f"{prefix}-office-{i}", name=f"Statsforvalteren {prefix} {i}",
               short_name=f"{prefix.upper()} {i}") for i in range(offices)
    ])
    counties = County.objects.bulk_create([
        County(number=f"{90 - i:02d}" if prefix == "b" else f"{60 - i:02d}",
               name=f"Fylke {prefix} {i}", office=office)
        for i, office in enumerate(made)
    ])
    budgets = OfficeBudget.objects.bulk_create([
        OfficeBudget(round=rnd, office=office, pot=Decimal(37_000_000)) for office in made
    ])
    Earmark.objects.bulk_create([
        Earmark(budget=budget, key="respite", name="Fleksible avlastningsmodeller",
                amount=Decimal(400_000)) for budget in budgets
    ])
    orgs = Organisation.objects.bulk_create([
        Organisation(kind=KINDS[i % 2], name=f"Organisasjon {prefix} {i}",
                     county=counties[i % offices], is_rural_district=i % 3 == 0)
        for i in range(applications)
    ])
    apps = Application.objects.bulk_create([
        Application(organisation=org, round=rnd, status=ApplicationStatus.SUBMITTED)
        for org in orgs
    ])
    competence = CompetenceLine.objects.bulk_create([
        CompetenceLine(application=app, education_type="further_master",
                       description=f"Videreutdanning {j}", employees=2, amount=Decimal(60_000))
        for app in apps for j in range(competence_lines)
    ], batch_size=2000)
    bpa = BpaLine.objects.bulk_create([
        BpaLine(application=app, role="work_leader", persons=1, amount=Decimal(30_000))
        for app in apps
    ], batch_size=2000)
    projects = Project.objects.bulk_create([
        Project(application=app, title=f"Prosjekt {app.pk}",
                topic="respite" if app.pk % 2 else "prevention", amount=Decimal(250_000))
        for app in apps
    ], batch_size=2000)
    decided_at = now - timedelta(days=1)
    cases = Assessment.objects.bulk_create([
        Assessment(application=app, recommended_by=caseworker, recommended_at=decided_at,
                   **({"status": AssessmentStatus.DECIDED, "decided_by": approver,
                       "decided_at": decided_at, "outcome": Outcome.PARTLY_GRANTED}
                      if i % 2 == 0 else {"status": AssessmentStatus.RECOMMENDED}))
        for i, app in enumerate(apps)
    ], batch_size=2000)
    case_of = {case.application_id: case for case in cases}

    def assessed(part, line, field):
        case = case_of[line.application_id]
        granted = line.amount // 2 if case.status == AssessmentStatus.DECIDED else None
        return LineAssessment(assessment=case, part=part, applied=line.amount,
                              recommended=line.amount // 2, granted=granted, **{field: line})

    LineAssessment.objects.bulk_create(
        [assessed(Part.COMPETENCE, line, "competence_line") for line in competence]
        + [assessed(Part.BPA, line, "bpa_line") for line in bpa]
        + [assessed(Part.PROJECTS, line, "project") for line in projects],
        batch_size=2000,
    )
    decided = [case for case in cases if case.status == AssessmentStatus.DECIDED]
    reports = Report.objects.bulk_create([
        Report(application_id=case.application_id, status=ReportStatus.APPROVED,
               granted_total=Decimal(0), auditor_required=False)
        for case in decided
    ], batch_size=2000)
    report_of = {report.application_id: report for report in reports}
    ReportCompetenceLine.objects.bulk_create([
        ReportCompetenceLine(report=report_of[line.application_id], source=line,
                             granted=line.amount // 2, amount_used=line.amount // 2,
                             completed=1)
        for line in competence if line.application_id in report_of
    ], batch_size=2000)
    total_lines = len(competence) + len(bpa) + len(projects)
    return BulkRound(offices=made, applications=len(apps), lines=total_lines)
