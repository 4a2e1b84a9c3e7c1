"""The office's side of assessment: the caseworker's list of submitted applications with
their totals and priority markers, one case with what its page reads, and who works at
the office. Reads only; other apps use assessment.selectors."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, FilteredRelation, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from applications.models import Application, ApplicationStatus, Submission
from tilskudd import access
from tilskudd.models import Office, OfficeMembership, User

from .amounts import MONEY, ZERO
from .models import AllocationLetter, Assessment, LineAssessment, Part


def live_reference(application: str = "pk") -> Subquery:
    """The reference of the live submission of the application `application` names."""
    return Subquery(
        Submission.objects.filter(application=OuterRef(application), withdrawn_at__isnull=True)
        .values("reference")[:1]
    )


def with_assessment_totals(qs: QuerySet[Application]) -> QuerySet[Application]:
    """What the caseworker's list shows, as plain columns in one query (no subquery a
    row): the live submission's reference through a join (there is at most one), the
    applied total and markers stored on the application when it was sent
    (applications.list_fields), the recommended and granted totals stored on the case
    (amounts.store_case_totals; zero while there is no case)."""
    return qs.annotate(
        live_submission=FilteredRelation(
            "submissions", condition=Q(submissions__withdrawn_at__isnull=True)),
        reference=F("live_submission__reference"),
        recommended_total=Coalesce(F("assessment__recommended_total"), Value(ZERO),
                                   output_field=MONEY),
        granted_total=Coalesce(F("assessment__granted_total"), Value(ZERO), output_field=MONEY),
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
    shows them, with their withdrawn submissions, the last first, in `withdrawals` (the
    withdrawal's time, reason and reference: the withdraw form promises the office sees
    them). One query for the page's rows, not three subqueries a row."""
    qs = Application.objects.all() if qs is None else qs
    withdrawals = (
        Submission.objects.filter(withdrawn_at__isnull=False)
        .only("application_id", "reference", "withdrawn_at", "withdraw_reason")
        .order_by("-withdrawn_at")
    )
    return with_assessment_totals(
        qs.filter(status=ApplicationStatus.WITHDRAWN).select_related(
            "organisation__county__office", "round__scheme",
            "assessment__assigned_to", "assessment__acceptance",
        )
    ).prefetch_related(Prefetch("submissions", queryset=withdrawals, to_attr="withdrawals"))


def withdrawal_shown(application: Application) -> Submission | None:
    """The last withdrawn submission, of an application from withdrawn_applications."""
    withdrawals = getattr(application, "withdrawals", None)
    return withdrawals[0] if withdrawals else None


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
