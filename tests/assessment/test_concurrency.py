"""Two approvers at the same moment, on PostgreSQL: the budget row lock makes the second
wait for the first and then count what the first granted, so the pot is never overspent."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection

from assessment import pot, services
from assessment.models import Assessment, AssessmentStatus, LineAssessment
from tests.tilskudd.factories import OrganisationFactory, member
from tilskudd.errors import ServiceError
from tilskudd.models import MembershipRole, OfficeBudget, OrganisationKind

from .helpers import competence, recommend, submit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def approve_together(pairs, monkeypatch) -> dict[int, str]:
    """Approve each (assessment, approver) in its own thread, all released at once. The
    pot is read slowly, so without the lock every thread would read it before any wrote."""
    read = pot.approved_by_bucket

    def slow_read(*args, **kwargs):
        result = read(*args, **kwargs)
        time.sleep(0.5)
        return result

    monkeypatch.setattr(pot, "approved_by_bucket", slow_read)  # the rule reads it there
    barrier = threading.Barrier(len(pairs))
    results: dict[int, str] = {}

    def approve(i, assessment, approver):
        try:
            barrier.wait()
            services.assessment_approve(assessment=assessment, user=approver)
            results[i] = "approved"
        except ServiceError as exc:
            results[i] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(i, a, u)) for i, (a, u) in enumerate(pairs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_approvers_at_once_cannot_overspend_the_pot(
    trondheim, open_round, budget, signatory, caseworker, approver, second_approver, monkeypatch
):
    # Kr 100 000 outside the earmark; two recommendations of kr 60 000 each.
    OfficeBudget.objects.filter(pk=budget.pk).update(pot=Decimal("515000"))
    company = OrganisationFactory(
        kind=OrganisationKind.INTER_MUNICIPAL_COMPANY, name="Trøndelag IKS",
        municipality_number=None, org_number="", county=trondheim.county,
    )
    first = recommend(submit(trondheim, open_round, signatory), caseworker)
    second = recommend(
        submit(company, open_round, member(company, MembershipRole.SIGNATORY),
               competence_lines=[competence("60000")]),
        caseworker,
    )

    results = approve_together([(first, approver), (second, second_approver)], monkeypatch)

    assert sorted(results.values()) == ["approved", "pot_exceeded"]
    statuses = sorted(Assessment.objects.values_list("status", flat=True))
    assert statuses == [AssessmentStatus.DECIDED, AssessmentStatus.RECOMMENDED]
    granted = [g for g in LineAssessment.objects.values_list("granted", flat=True) if g]
    assert granted == [Decimal("60000")]


def test_two_approvers_of_one_recommendation_make_one_decision(
    application, caseworker, approver, second_approver, monkeypatch
):
    assessment = recommend(application, caseworker)

    results = approve_together([(assessment, approver), (assessment, second_approver)],
                               monkeypatch)

    assert sorted(results.values()) == ["approved", "not_recommended"]
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DECIDED
    assert assessment.events.filter(action="approved").count() == 1
