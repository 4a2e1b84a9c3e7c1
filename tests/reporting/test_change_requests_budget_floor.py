"""What an approved change request moves counts where the pot's rules read what is granted
(assessment.pot.approved_by_bucket): the approval of the next case and the lowest an
earmark may be set to, as the pot page shows it (review of c5a9668).

Malvik is granted competence 60 000 and a respite project 150 000 (earmarked 400 000); the
change moves 40 000 from the competence line to the project."""

from decimal import Decimal

import pytest

from applications.models import PROJECT_CRITERIA
from assessment import services as assessment_services
from assessment.pot import approved_by_bucket, pot_summary
from assessment.rules import GENERAL
from reporting.changes import services
from tests.tilskudd.factories import OrganisationFactory, member
from tilskudd.budgets import EarmarkPlan, budget_refusals
from tilskudd.errors import ServiceError
from tilskudd.models import Earmark, MembershipRole

from .change_helpers import accept, ask, recommended
from .helpers import competence_line, granted, project, submitted_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def earmark(budget):
    return Earmark.objects.create(budget=budget, key="respite", amount=Decimal(400000),
                                  name="Fleksible avlastningsmodeller")


@pytest.fixture
def moved(earmark, trondheim, grant_round, caseworker, approver,
          django_capture_on_commit_callbacks):
    malvik = OrganisationFactory(name="Malvik kommune", municipality_number="5031",
                                 org_number="", county=trondheim.county)
    signatory = member(malvik, MembershipRole.SIGNATORY, email="signatur@malvik.example.no")
    application = granted(
        malvik, grant_round, signatory, caseworker, approver,
        amount=lambda line: Decimal(150000) if line.part == "projects" else line.applied,
        competence=[competence_line()], projects=[project(topic="respite")],
    )
    accept(application, caseworker, signatory, django_capture_on_commit_callbacks)
    change = recommended(ask(application, signatory, {("competence", 0): "20000",
                                                      ("projects", 0): "190000"}), caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        services.change_request_decide(change_request=change, user=approver)
    return application


def test_what_is_granted_of_each_earmark_is_what_the_change_left(moved, budget):
    # When / Then: as the pot page shows it
    assert approved_by_bucket(budget, {"respite"}) == {
        "respite": Decimal(190000), GENERAL: Decimal(20000)}
    assert [(row.key, row.approved) for row in pot_summary(budget).earmarks] == [
        ("respite", Decimal(190000))]


def test_an_earmark_may_not_be_set_below_what_the_change_granted_of_it(moved, budget, earmark):
    # When the earmark is to be 180 000: above the decision's 150 000, below the 190 000 now
    refusals = budget_refusals(budget, pot=budget.pot, earmarks=[EarmarkPlan(
        name=earmark.name, key=earmark.key, amount=Decimal(180000), earmark=earmark)])

    # Then
    assert [(r.field, r.index) for r in refusals] == [("amount", 0)]
    assert "190" in refusals[0].message


def test_the_next_approval_counts_what_the_change_moved_into_the_earmark(
    moved, trondheim, grant_round, caseworker, approver
):
    # Given Melhus recommended 250 000 for a respite project: 150 000 + 250 000 would fit
    # the earmark's 400 000, 190 000 + 250 000 does not
    melhus = OrganisationFactory(name="Melhus kommune", municipality_number="5028",
                                 org_number="", county=trondheim.county)
    signatory = member(melhus, MembershipRole.SIGNATORY, email="signatur@melhus.example.no")
    application = submitted_application(melhus, grant_round, signatory, competence=[],
                                        projects=[project(topic="respite")])
    case = assessment_services.assessment_open(application=application, user=caseworker)
    line = case.lines.get()
    assessment_services.assessment_save(assessment=case, user=caseworker, lines=[
        assessment_services.LineInput(id=line.pk, recommended=Decimal(250000),
                                      justification="Godt prosjekt.",
                                      scores={key: 4 for key, _label in PROJECT_CRITERIA})])
    case = assessment_services.assessment_recommend(assessment=case, user=caseworker)

    # When / Then
    with pytest.raises(ServiceError) as refused:
        assessment_services.assessment_approve(assessment=case, user=approver)
    assert refused.value.code == "earmark_exceeded"

