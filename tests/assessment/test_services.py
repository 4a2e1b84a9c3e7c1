"""The workflow in services: opening a case, assessing lines, the four-eyes rule, and the
pot. Every refusal also shows that nothing changed."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from assessment import services
from assessment.models import (
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    EventAction,
    LineAssessment,
    Outcome,
    Part,
    ProjectScore,
)
from tests.tilskudd.factories import office_staff
from tilskudd.errors import ServiceError
from tilskudd.models import AuditEvent, OfficeBudget, OfficeRole

from .helpers import assess, bpa, competence, decide, project, recommend, submit

pytestmark = pytest.mark.django_db


def state(assessment: Assessment) -> tuple:
    """Everything a refused step must leave as it was."""
    assessment.refresh_from_db()
    lines = tuple(
        LineAssessment.objects.filter(assessment=assessment)
        .order_by("pk").values_list("recommended", "granted", "justification")
    )
    return (
        assessment.status, assessment.outcome, assessment.recommended_by_id,
        assessment.decided_by_id, assessment.decided_at, lines,
        AssessmentEvent.objects.filter(assessment=assessment).count(),
    )


# --- opening and assessing ---------------------------------------------------------------


def test_opening_a_case_makes_one_assessed_line_per_line_with_the_amount_applied(
    trondheim, open_round, budget, signatory, caseworker
):
    application = submit(
        trondheim, open_round, signatory,
        competence_lines=[competence("60000")], bpa_lines=[bpa("30000")],
        projects=[project("250000")],
    )

    assessment = services.assessment_open(application=application, user=caseworker)

    lines = list(assessment.lines.order_by("part", "pk").values_list("part", "applied",
                                                                      "recommended"))
    assert lines == [
        (Part.BPA, Decimal("30000"), None),
        (Part.COMPETENCE, Decimal("60000"), None),
        (Part.PROJECTS, Decimal("250000"), None),
    ]
    assert assessment.status == AssessmentStatus.OPEN
    assert list(assessment.events.values_list("action", "by")) == [
        (EventAction.OPENED, caseworker.pk)
    ]


def test_opening_twice_returns_the_same_case(application, caseworker, approver):
    first = services.assessment_open(application=application, user=caseworker)

    second = services.assessment_open(application=application, user=approver)

    assert second.pk == first.pk
    assert Assessment.objects.count() == 1
    assert LineAssessment.objects.count() == 1


def test_a_caseworker_of_another_office_cannot_open_the_case(application, rogaland_caseworker):
    with pytest.raises(ServiceError) as refused:
        services.assessment_open(application=application, user=rogaland_caseworker)

    assert refused.value.code == "not_office_staff"
    assert "Statsforvalteren i Trøndelag" in refused.value.message
    assert Assessment.objects.count() == 0


def test_save_stores_amounts_justifications_scores_and_notes(
    trondheim, open_round, budget, signatory, caseworker
):
    application = submit(trondheim, open_round, signatory, projects=[project("250000")])
    assessment = services.assessment_open(application=application, user=caseworker)
    line = assessment.lines.get(part=Part.PROJECTS)

    services.assessment_save(
        assessment=assessment, user=caseworker, internal_notes="Ring kommunen om budsjettet.",
        lines=[services.LineInput(id=line.pk, recommended=Decimal("200000"),
                                  justification="  Redusert: for høy reiseandel. ",
                                  scores={"needs": 5, "goals": 3, "method": None})],
    )

    line.refresh_from_db()
    assessment.refresh_from_db()
    assert (line.recommended, line.justification) == (
        Decimal("200000"), "Redusert: for høy reiseandel."
    )
    assert dict(line.scores.values_list("criterion", "score")) == {"needs": 5, "goals": 3}
    assert assessment.internal_notes == "Ring kommunen om budsjettet."
    assert AuditEvent.objects.filter(action="assessment_save").count() == 1


def test_save_refuses_an_amount_above_what_was_applied_for(application, caseworker):
    assessment = services.assessment_open(application=application, user=caseworker)
    line = assessment.lines.get()
    before = state(assessment)

    with pytest.raises(ValidationError) as refused:
        services.assessment_save(
            assessment=assessment, user=caseworker,
            lines=[services.LineInput(id=line.pk, recommended=Decimal("60001"))],
        )

    assert refused.value.message_dict["recommended"] == [
        "Innstilt beløp kan ikke være høyere enn søkt beløp (kr 60 000)."
    ]
    assert state(assessment) == before


def test_the_database_refuses_a_recommendation_above_the_amount_applied_for(
    application, caseworker
):
    assessment = services.assessment_open(application=application, user=caseworker)

    with pytest.raises(IntegrityError), transaction.atomic():
        LineAssessment.objects.filter(assessment=assessment).update(recommended=Decimal("60001"))

    assert LineAssessment.objects.get(assessment=assessment).recommended is None


def test_the_database_refuses_a_score_out_of_range(
    trondheim, open_round, budget, signatory, caseworker
):
    application = submit(trondheim, open_round, signatory, projects=[project()])
    assessment = services.assessment_open(application=application, user=caseworker)
    line = assessment.lines.get(part=Part.PROJECTS)

    with pytest.raises(ValidationError):
        services.assessment_save(assessment=assessment, user=caseworker, lines=[
            services.LineInput(id=line.pk, recommended=None, scores={"needs": 6})])
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectScore.objects.create(line=line, criterion="needs", score=6)

    assert ProjectScore.objects.count() == 0


def test_save_refuses_a_line_of_another_case(
    application, rogaland_application, caseworker, rogaland_caseworker
):
    own = services.assessment_open(application=application, user=caseworker)
    other = services.assessment_open(application=rogaland_application, user=rogaland_caseworker)
    other_line = other.lines.get()

    with pytest.raises(ServiceError) as refused:
        services.assessment_save(assessment=own, user=caseworker, lines=[
            services.LineInput(id=other_line.pk, recommended=Decimal(0))])

    assert refused.value.code == "unknown_line"
    other_line.refresh_from_db()
    assert other_line.recommended is None


def test_a_caseworker_of_another_office_cannot_save(application, caseworker, rogaland_caseworker):
    assessment = services.assessment_open(application=application, user=caseworker)
    line = assessment.lines.get()
    before = state(assessment)

    with pytest.raises(ServiceError) as refused:
        services.assessment_save(assessment=assessment, user=rogaland_caseworker, lines=[
            services.LineInput(id=line.pk, recommended=Decimal(0))], internal_notes="Kapret")

    assert refused.value.code == "not_office_staff"
    assert state(assessment) == before
    assert assessment.internal_notes == ""


def test_assigning_a_caseworker_is_recorded(application, caseworker, approver):
    assessment = services.assessment_open(application=application, user=approver)

    services.assessment_assign(assessment=assessment, user=approver, assignee=caseworker)

    assessment.refresh_from_db()
    assert assessment.assigned_to == caseworker
    event = assessment.events.get(action=EventAction.ASSIGNED)
    assert (event.by, event.note) == (approver, "Sara Saksbehandler")


def test_a_case_cannot_be_assigned_to_staff_of_another_office(
    application, caseworker, rogaland_caseworker
):
    assessment = services.assessment_open(application=application, user=caseworker)

    with pytest.raises(ServiceError) as refused:
        services.assessment_assign(assessment=assessment, user=caseworker,
                                   assignee=rogaland_caseworker)

    assert refused.value.code == "assignee_not_staff"
    assessment.refresh_from_db()
    assert assessment.assigned_to is None


# --- recommendation ---------------------------------------------------------------------


def test_recommendation_needs_an_amount_on_every_line(application, caseworker):
    assessment = services.assessment_open(application=application, user=caseworker)
    before = state(assessment)

    with pytest.raises(ServiceError) as refused:
        services.assessment_recommend(assessment=assessment, user=caseworker)

    assert refused.value.code == "incomplete"
    assert "mangler innstilt beløp" in refused.value.message
    assert state(assessment) == before


def test_recommendation_needs_a_justification_when_a_line_is_cut(application, caseworker):
    assessment = services.assessment_open(application=application, user=caseworker)
    assess(assessment, caseworker, amount=lambda la: Decimal("40000"), justification="")
    before = state(assessment)

    with pytest.raises(ServiceError) as refused:
        services.assessment_recommend(assessment=assessment, user=caseworker)

    assert "skriv en kort begrunnelse" in refused.value.message
    assert state(assessment) == before


def test_recommendation_needs_every_project_scored(
    trondheim, open_round, budget, signatory, caseworker
):
    application = submit(trondheim, open_round, signatory, projects=[project()])
    assessment = services.assessment_open(application=application, user=caseworker)
    line = assessment.lines.get(part=Part.PROJECTS)
    assess(assessment, caseworker)
    ProjectScore.objects.filter(line=line, criterion="evaluation").delete()
    before = state(assessment)

    with pytest.raises(ServiceError) as refused:
        services.assessment_recommend(assessment=assessment, user=caseworker)

    assert "mangler poeng på 1 av 9 kriterier" in refused.value.message
    assert state(assessment) == before


def test_a_recommended_case_cannot_be_changed(application, caseworker):
    assessment = recommend(application, caseworker)
    line = assessment.lines.get()
    before = state(assessment)

    with pytest.raises(ServiceError) as refused:
        services.assessment_save(assessment=assessment, user=caseworker, lines=[
            services.LineInput(id=line.pk, recommended=Decimal(0), justification="Nei")])

    assert refused.value.code == "not_editable"
    assert state(assessment) == before


# --- four eyes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "outcome"),
    [("60000", Outcome.GRANTED), ("45000", Outcome.PARTLY_GRANTED), ("0", Outcome.REJECTED)],
)
def test_an_approved_recommendation_becomes_the_decision(
    application, caseworker, approver, amount, outcome
):
    assessment = recommend(application, caseworker, amount=lambda la: Decimal(amount))

    services.assessment_approve(assessment=assessment, user=approver, comment="Enig.")

    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DECIDED
    assert assessment.outcome == outcome
    assert (assessment.recommended_by, assessment.decided_by) == (caseworker, approver)
    assert assessment.lines.get().granted == Decimal(amount)


def test_the_same_user_cannot_approve_their_own_recommendation(application, approver):
    assessment = recommend(application, approver)
    before = state(assessment)

    with pytest.raises(ServiceError) as refused:
        services.assessment_approve(assessment=assessment, user=approver)

    assert refused.value.code == "own_recommendation"
    assert refused.value.message == (
        "Du kan ikke godkjenne eller sende tilbake din egen innstilling. En annen godkjenner "
        "ved embetet må gjøre det (fire øyne)."
    )
    assert state(assessment) == before


def test_an_approver_of_another_office_cannot_approve(application, caseworker, rogaland_approver):
    assessment = recommend(application, caseworker)
    before = state(assessment)

    with pytest.raises(ServiceError) as refused:
        services.assessment_approve(assessment=assessment, user=rogaland_approver)

    assert refused.value.code == "not_office_staff"
    assert state(assessment) == before


def test_a_caseworker_without_the_approver_role_cannot_approve(application, caseworker):
    colleague = office_staff(caseworker.staff_office, OfficeRole.CASEWORKER)
    assessment = recommend(application, caseworker)
    before = state(assessment)

    with pytest.raises(ServiceError) as refused:
        services.assessment_approve(assessment=assessment, user=colleague)

    assert refused.value.code == "not_approver"
    assert state(assessment) == before


def test_an_applicant_cannot_approve(application, caseworker, signatory):
    assessment = recommend(application, caseworker)
    before = state(assessment)

    with pytest.raises(ServiceError) as refused:
        services.assessment_approve(assessment=assessment, user=signatory)

    assert refused.value.code == "not_office_staff"
    assert state(assessment) == before


def test_the_database_refuses_a_decision_by_the_one_who_recommended(application, caseworker):
    assessment = recommend(application, caseworker)

    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(decided_by=caseworker)


def test_a_case_under_assessment_cannot_be_approved(application, caseworker, approver):
    assessment = services.assessment_open(application=application, user=caseworker)
    assess(assessment, caseworker)
    before = state(assessment)

    with pytest.raises(ServiceError) as refused:
        services.assessment_approve(assessment=assessment, user=approver)

    assert refused.value.code == "not_recommended"
    assert state(assessment) == before


def test_a_decision_cannot_be_approved_again(application, caseworker, approver, second_approver):
    assessment = decide(application, caseworker, approver)
    before = state(assessment)

    with pytest.raises(ServiceError) as refused:
        services.assessment_approve(assessment=assessment, user=second_approver)

    assert refused.value.code == "not_recommended"
    assert state(assessment) == before


def test_sending_back_needs_a_comment(application, caseworker, approver):
    assessment = recommend(application, caseworker)
    before = state(assessment)

    with pytest.raises(ServiceError) as refused:
        services.assessment_return(assessment=assessment, user=approver, comment="  ")

    assert refused.value.code == "comment_required"
    assert state(assessment) == before


def test_a_case_sent_back_can_be_changed_and_recommended_again(application, caseworker, approver):
    assessment = recommend(application, caseworker)

    services.assessment_return(assessment=assessment, user=approver,
                               comment="Søknaden er for dyr per deltaker.")
    assess(assessment, caseworker, amount=lambda la: Decimal("30000"), justification="Halvert.")
    services.assessment_recommend(assessment=assessment, user=caseworker)
    services.assessment_approve(assessment=assessment, user=approver)

    assessment.refresh_from_db()
    assert assessment.outcome == Outcome.PARTLY_GRANTED
    assert assessment.lines.get().granted == Decimal("30000")


def test_every_step_is_in_the_history_with_who_and_when(application, caseworker, approver):
    assessment = recommend(application, caseworker)
    services.assessment_return(assessment=assessment, user=approver, comment="Mer begrunnelse.")
    services.assessment_recommend(assessment=assessment, user=caseworker, comment="Utfylt.")
    services.assessment_approve(assessment=assessment, user=approver)

    history = list(assessment.events.values_list("action", "from_status", "to_status", "by",
                                                 "note"))
    assert history == [
        (EventAction.OPENED, "", AssessmentStatus.OPEN, caseworker.pk, ""),
        (EventAction.RECOMMENDED, AssessmentStatus.OPEN, AssessmentStatus.RECOMMENDED,
         caseworker.pk, ""),
        (EventAction.RETURNED, AssessmentStatus.RECOMMENDED, AssessmentStatus.RETURNED,
         approver.pk, "Mer begrunnelse."),
        (EventAction.RECOMMENDED, AssessmentStatus.RETURNED, AssessmentStatus.RECOMMENDED,
         caseworker.pk, "Utfylt."),
        (EventAction.APPROVED, AssessmentStatus.RECOMMENDED, AssessmentStatus.DECIDED,
         approver.pk, ""),
    ]
    assert all(event.at is not None for event in assessment.events.all())


def test_a_withdrawn_application_cannot_be_recommended(
    application, caseworker, signatory
):
    from applications import services as application_services

    assessment = services.assessment_open(application=application, user=caseworker)
    assess(assessment, caseworker)
    application_services.application_withdraw(application=application, user=signatory,
                                              reason="Feil beløp.")
    before = state(assessment)

    with pytest.raises(ServiceError) as refused:
        services.assessment_recommend(assessment=assessment, user=caseworker)

    assert refused.value.code == "not_submitted"
    assert state(assessment) == before


# --- the pot ----------------------------------------------------------------------------


def test_approval_is_refused_when_it_would_overspend_the_pot(
    application, caseworker, approver, budget
):
    OfficeBudget.objects.filter(pk=budget.pk).update(pot=Decimal("415000") + Decimal("59999"))
    assessment = recommend(application, caseworker)
    before = state(assessment)

    with pytest.raises(ServiceError) as refused:
        services.assessment_approve(assessment=assessment, user=approver)

    assert refused.value.code == "pot_exceeded"
    assert refused.value.message == (
        "Godkjenningen ville overskride rammen. Igjen av rammen utenom øremerkede midler: "
        "kr\xa059\xa0999. Denne innstillingen: kr\xa060\xa0000."
    )
    assert state(assessment) == before


def test_approval_that_exactly_uses_the_rest_of_the_pot_is_allowed(
    application, caseworker, approver, budget
):
    OfficeBudget.objects.filter(pk=budget.pk).update(pot=Decimal("415000") + Decimal("60000"))
    assessment = recommend(application, caseworker)

    services.assessment_approve(assessment=assessment, user=approver)

    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.DECIDED


def test_the_pot_counts_what_is_already_granted(
    trondheim, open_round, budget, signatory, caseworker, approver, rogaland_org
):
    from tests.tilskudd.factories import OrganisationFactory, member
    from tilskudd.models import MembershipRole, OrganisationKind

    OfficeBudget.objects.filter(pk=budget.pk).update(pot=Decimal("415000") + Decimal("100000"))
    decide(submit(trondheim, open_round, signatory), caseworker, approver)  # 60 000 granted
    company = OrganisationFactory(
        kind=OrganisationKind.INTER_MUNICIPAL_COMPANY, name="Trøndelag IKS",
        municipality_number=None, org_number="", county=trondheim.county,
    )
    second = recommend(
        submit(company, open_round, member(company, MembershipRole.SIGNATORY),
               competence_lines=[competence("40001")]),
        caseworker,
    )
    before = state(second)

    with pytest.raises(ServiceError) as refused:
        services.assessment_approve(assessment=second, user=approver)

    assert refused.value.code == "pot_exceeded"
    assert "Igjen av rammen utenom øremerkede midler: kr\xa040\xa0000" in refused.value.message
    assert state(second) == before


def test_approval_is_refused_when_it_would_overspend_an_earmark(
    trondheim, open_round, budget, signatory, caseworker, approver
):
    application = submit(trondheim, open_round, signatory, competence_lines=[],
                         projects=[project("415001", topic="respite")])
    assessment = recommend(application, caseworker)
    before = state(assessment)

    with pytest.raises(ServiceError) as refused:
        services.assessment_approve(assessment=assessment, user=approver)

    assert refused.value.code == "earmark_exceeded"
    assert refused.value.message == (
        "Godkjenningen ville overskride den øremerkede delen «Fleksible avlastningsmodeller». "
        "Igjen: kr\xa0415\xa0000. Denne innstillingen bruker kr\xa0415\xa0001 av den."
    )
    assert state(assessment) == before


def test_an_earmarked_project_uses_the_earmark_not_the_rest_of_the_pot(
    trondheim, open_round, budget, signatory, caseworker, approver
):
    # The pot outside the earmark is kr 10 000: the respite project fits only its earmark.
    OfficeBudget.objects.filter(pk=budget.pk).update(pot=Decimal("425000"))
    application = submit(trondheim, open_round, signatory, competence_lines=[],
                         projects=[project("400000", topic="respite")])

    assessment = decide(application, caseworker, approver)

    assert assessment.outcome == Outcome.GRANTED


def test_other_lines_cannot_use_the_earmarked_money(
    trondheim, open_round, budget, signatory, caseworker, approver
):
    OfficeBudget.objects.filter(pk=budget.pk).update(pot=Decimal("425000"))
    application = submit(trondheim, open_round, signatory, competence_lines=[competence("10001")])
    assessment = recommend(application, caseworker)
    before = state(assessment)

    with pytest.raises(ServiceError) as refused:
        services.assessment_approve(assessment=assessment, user=approver)

    assert refused.value.code == "pot_exceeded"
    assert state(assessment) == before


def test_approval_is_refused_when_the_office_has_no_budget(application, caseworker, approver,
                                                           budget):
    budget.earmarks.all().delete()
    budget.delete()
    assessment = recommend(application, caseworker)
    before = state(assessment)

    with pytest.raises(ServiceError) as refused:
        services.assessment_approve(assessment=assessment, user=approver)

    assert refused.value.code == "no_budget"
    assert state(assessment) == before
