"""Every state change of a case writes exactly one typed audit row on the case, with the
changed values before and after: open, recommend, return, approve, letter, accept."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from assessment import services
from assessment.models import Assessment
from tilskudd.audit import AuditAction
from tilskudd.errors import ServiceError
from tilskudd.models import AuditEvent

from .helpers import assess, decide

pytestmark = pytest.mark.django_db


def rows_since(assessment: Assessment, seen: set[int]) -> list[tuple]:
    """The audit rows on the case written after the ids in `seen`, oldest first."""
    rows = AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(Assessment), target_id=assessment.pk
    ).exclude(pk__in=seen).order_by("pk")
    return [(r.action, r.actor_id, r.before, r.after) for r in rows]


def seen() -> set[int]:
    return set(AuditEvent.objects.values_list("pk", flat=True))


def test_opening_a_case_writes_one_typed_row(application, caseworker):
    assessment = services.assessment_open(application=application, user=caseworker)

    assert rows_since(assessment, set()) == [
        (AuditAction.ASSESSMENT_OPEN, caseworker.pk, {"status": ""}, {"status": "open"}),
    ]


def test_opening_an_open_case_again_writes_nothing(application, caseworker):
    assessment = services.assessment_open(application=application, user=caseworker)
    before = seen()

    services.assessment_open(application=application, user=caseworker)

    assert rows_since(assessment, before) == []


def test_recommend_return_and_recommend_again_write_one_status_row_each(
    application, caseworker, approver
):
    assessment = services.assessment_open(application=application, user=caseworker)
    assess(assessment, caseworker)
    before = seen()

    services.assessment_recommend(assessment=assessment, user=caseworker, comment="Klar.")
    services.assessment_return(assessment=assessment, user=approver, comment="Sjekk beløpet.")
    services.assessment_recommend(assessment=assessment, user=caseworker)

    assert rows_since(assessment, before) == [
        (AuditAction.ASSESSMENT_STATUS, caseworker.pk,
         {"status": "open", "recommended_by": None},
         {"status": "recommended", "recommended_by": caseworker.pk}),
        (AuditAction.ASSESSMENT_STATUS, approver.pk,
         {"status": "recommended"}, {"status": "returned"}),
        (AuditAction.ASSESSMENT_STATUS, caseworker.pk,
         {"status": "returned", "recommended_by": caseworker.pk},
         {"status": "recommended", "recommended_by": caseworker.pk}),
    ]
    notes = list(AuditEvent.objects.filter(
        action=AuditAction.ASSESSMENT_STATUS, target_id=assessment.pk
    ).order_by("pk").values_list("data__note", flat=True))
    assert notes == ["Klar.", "Sjekk beløpet.", None]


def test_approving_writes_one_status_row_with_the_outcome_before_and_after(
    application, caseworker, approver, budget
):
    assessment = services.assessment_open(application=application, user=caseworker)
    assess(assessment, caseworker, amount=lambda la: Decimal("50000"))
    services.assessment_recommend(assessment=assessment, user=caseworker)
    before = seen()

    services.assessment_approve(assessment=assessment, user=approver)

    assert rows_since(assessment, before) == [
        (AuditAction.ASSESSMENT_STATUS, approver.pk,
         {"status": "recommended", "outcome": "", "decided_by": None},
         {"status": "decided", "outcome": "partly_granted", "decided_by": approver.pk}),
    ]
    row = AuditEvent.objects.get(pk__in=AuditEvent.objects.exclude(pk__in=before))
    assert row.data == {"granted": "50000", "budget": budget.pk}


def test_a_refused_approval_writes_no_row(application, caseworker):
    assessment = services.assessment_open(application=application, user=caseworker)
    assess(assessment, caseworker)
    services.assessment_recommend(assessment=assessment, user=caseworker)
    before = seen()

    with pytest.raises(ServiceError):
        services.assessment_approve(assessment=assessment, user=caseworker)

    assert rows_since(assessment, before) == []


def test_each_letter_writes_one_row_with_the_version_before_and_after(
    application, caseworker, approver
):
    assessment = decide(application, caseworker, approver)
    before = seen()

    services.letter_generate(assessment=assessment, user=caseworker)
    services.letter_generate(assessment=assessment, user=caseworker)

    assert rows_since(assessment, before) == [
        (AuditAction.LETTER_GENERATE, caseworker.pk, {"letter_version": None},
         {"letter_version": 1}),
        (AuditAction.LETTER_GENERATE, caseworker.pk, {"letter_version": 1},
         {"letter_version": 2}),
    ]


def test_accepting_writes_one_row_and_accepting_again_none(
    application, caseworker, approver, signatory, django_capture_on_commit_callbacks
):
    assessment = decide(application, caseworker, approver)
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.letter_generate(assessment=assessment, user=caseworker)
    before = seen()

    services.grant_accept(assessment=assessment, user=signatory, letter=letter)
    services.grant_accept(assessment=assessment, user=signatory, letter=letter)

    assert rows_since(assessment, before) == [
        (AuditAction.GRANT_ACCEPT, signatory.pk,
         {"accepted_by": None, "letter_version": None},
         {"accepted_by": signatory.pk, "letter_version": 1}),
    ]


def test_assigning_and_saving_write_what_changed(application, caseworker):
    assessment = services.assessment_open(application=application, user=caseworker)
    line = assessment.lines.get()
    before = seen()

    services.assessment_assign(assessment=assessment, user=caseworker, assignee=caseworker)
    services.assessment_save(
        assessment=assessment, user=caseworker, internal_notes="Ring kommunen.",
        lines=[services.LineInput(id=line.pk, recommended=Decimal("50000"),
                                  justification="Færre deltakere.")],
    )

    assert rows_since(assessment, before) == [
        (AuditAction.ASSESSMENT_ASSIGN, caseworker.pk, {"assigned_to": None},
         {"assigned_to": caseworker.pk}),
        (AuditAction.ASSESSMENT_SAVE, caseworker.pk,
         {"internal_notes": "", f"line_{line.pk}_recommended": None,
          f"line_{line.pk}_justification": ""},
         {"internal_notes": "Ring kommunen.", f"line_{line.pk}_recommended": "50000",
          f"line_{line.pk}_justification": "Færre deltakere."}),
    ]
