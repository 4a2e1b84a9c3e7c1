"""The office's side of assessment: the caseworker's list of submitted applications with
their totals and priority markers, one case with what its page reads, and who works at
the office. Reads only; other apps use assessment.selectors."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.utils.translation import gettext as _

from applications.models import Application, ApplicationStatus, CompetenceLine, Project, Submission
from tilskudd import access
from tilskudd.models import Office, OfficeMembership, User

from .amounts import LINE_MODELS, MONEY, ZERO, sum_of
from .models import AllocationLetter, Assessment, AssessmentStatus, LineAssessment, Part


def live_reference(application: str = "pk") -> Subquery:
    """The reference of the live submission of the application `application` names."""
    return Subquery(
        Submission.objects.filter(application=OuterRef(application), withdrawn_at__isnull=True)
        .values("reference")[:1]
    )


def with_assessment_totals(qs: QuerySet[Application]) -> QuerySet[Application]:
    """Annotate applications with what the caseworker's list shows, in one query:
    reference, applied, recommended and granted totals, and the priority markers."""
    applied = sum(
        (sum_of(model.objects.filter(application=OuterRef("pk")), "amount")
         for model in LINE_MODELS.values()),
        start=Value(ZERO, output_field=MONEY),
    )
    lines = LineAssessment.objects.filter(assessment__application=OuterRef("pk"))
    competence = CompetenceLine.objects.filter(application=OuterRef("pk"))
    return qs.annotate(
        reference=live_reference(),
        applied_total=applied,
        recommended_total=sum_of(lines, "recommended"),
        granted_total=sum_of(
            lines.filter(assessment__status=AssessmentStatus.DECIDED), "granted"
        ),
        has_mental_health=Exists(competence.filter(is_mental_health=True)),
        has_decentralised=Exists(competence.filter(is_decentralised=True)),
        has_supported_programme=Exists(competence.filter(in_supported_programme=True)),
        has_projects=Exists(Project.objects.filter(application=OuterRef("pk"))),
    )


def submitted_applications(qs: QuerySet[Application] | None = None) -> QuerySet[Application]:
    """The caseworker's list: submitted applications with their case, totals and markers."""
    qs = Application.objects.all() if qs is None else qs
    return with_assessment_totals(
        qs.filter(status=ApplicationStatus.SUBMITTED).select_related(
            "organisation__county__office", "round__scheme",
            "assessment__assigned_to", "assessment__acceptance",
        )
    )


def withdrawn_applications(qs: QuerySet[Application] | None = None) -> QuerySet[Application]:
    """The withdrawn applications (withdrawn and not sent again), as the caseworker's list
    shows them, with the withdrawal's time, reason and reference (the withdraw form
    promises the office sees them)."""
    qs = Application.objects.all() if qs is None else qs
    last = Submission.objects.filter(
        application=OuterRef("pk"), withdrawn_at__isnull=False).order_by("-withdrawn_at")
    return with_assessment_totals(
        qs.filter(status=ApplicationStatus.WITHDRAWN).select_related(
            "organisation__county__office", "round__scheme",
            "assessment__assigned_to", "assessment__acceptance",
        )
    ).annotate(
        withdrawn_at=Subquery(last.values("withdrawn_at")[:1]),
        withdraw_reason=Subquery(last.values("withdraw_reason")[:1]),
        withdrawn_reference=Subquery(last.values("reference")[:1]),
    )


def last_withdrawal(application: Application) -> Submission | None:
    """The submission the applicant withdrew last, while the application is withdrawn."""
    if application.status != ApplicationStatus.WITHDRAWN:
        return None
    return (application.submissions.filter(withdrawn_at__isnull=False)
            .select_related("withdrawn_by").order_by("-withdrawn_at").first())


def application_for_case(pk: int, qs: QuerySet[Application] | None = None) -> Application:
    """One application with everything the assessment page reads."""
    qs = Application.objects.all() if qs is None else qs
    return (
        qs.select_related("organisation__county__office", "round__scheme")
        .prefetch_related("competence_lines", "bpa_lines", "projects")
        .get(pk=pk)
    )


def case_lines(assessment: Assessment) -> list[LineAssessment]:
    """The assessed lines in the order of the application's parts, with the lines and
    the project scores."""
    order = {part: i for i, part in enumerate(Part.values)}
    lines = list(
        assessment.lines.select_related("competence_line", "bpa_line", "project")
        .prefetch_related("scores")
    )
    return sorted(lines, key=lambda la: (order[la.part], la.line_id))


def application_lines(application: Application) -> list[tuple[str, object]]:
    """The application's lines by part (the prefetched ones where there are)."""
    return (
        [(Part.COMPETENCE, line) for line in application.competence_lines.all()]
        + [(Part.BPA, line) for line in application.bpa_lines.all()]
        + [(Part.PROJECTS, line) for line in application.projects.all()]
    )


def lines_behind(application: Application, assessed: list[LineAssessment]) -> bool:
    """Whether the case's lines differ from the application's (a line added or removed, an
    amount changed since the case was opened): the next save brings them up to date."""
    wanted = {(part, line.pk, line.amount) for part, line in application_lines(application)}
    return wanted != {(la.part, la.line_id, la.applied) for la in assessed}


def case_for(application: Application) -> Assessment | None:
    return (
        Assessment.objects.select_related(
            "assigned_to", "recommended_by", "decided_by", "acceptance__accepted_by",
            "acceptance__letter",
        )
        .prefetch_related(
            "events__by",
            Prefetch("letters", queryset=AllocationLetter.objects.select_related("created_by")),
        )
        .filter(application=application)
        .first()
    )


@dataclass(frozen=True)
class Markers:
    rural_district: bool
    mental_health: bool
    decentralised: bool
    supported_programme: bool

    def labels(self) -> list[str]:
        names = [
            (self.rural_district, _("Distriktskommune")),
            (self.mental_health, _("Psykisk helse og rus")),
            (self.decentralised, _("Desentralisert studium")),
            (self.supported_programme, _("Allerede i støttet utdanning")),
        ]
        return [str(label) for on, label in names if on]


def markers_for(application: Application) -> Markers:
    """The priority markers of the rules, from the organisation and the lines (uses the
    prefetched competence lines when there are any)."""
    lines = list(application.competence_lines.all())
    return Markers(
        rural_district=application.organisation.is_rural_district,
        mental_health=any(line.is_mental_health for line in lines),
        decentralised=any(line.is_decentralised for line in lines),
        supported_programme=any(line.in_supported_programme for line in lines),
    )


def office_staff(office: Office) -> QuerySet[User]:
    """Who may be assigned a case at the office."""
    return User.objects.filter(
        office_membership__office=office, is_active=True
    ).order_by("full_name")


def staff_membership(user: User) -> OfficeMembership | None:
    return access.office_membership_for(user)
