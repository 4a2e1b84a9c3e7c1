"""Approving a change request keeps the pot's earmarks and its rest as approving a case
keeps them (assessment.pot.overruns_after_move, under the pot's lock): a change that moves
money into an earmark beyond what is left of it, or out of one into a full rest, is
refused with nothing changed.

Malvik is granted competence 60 000 and a respite project 150 000; the earmark for respite
projects is set per test."""

import time
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import translation

from applications.models import PROJECT_CRITERIA
from assessment import pot
from assessment import selectors as assessment_selectors
from assessment import services as assessment_services
from assessment.models import Assessment, AssessmentStatus
from reporting import grants
from reporting.changes import rules, services
from reporting.changes.models import ChangeLetter, ChangeRequest, ChangeStatus
from tests.applications.test_concurrency import run_together
from tests.tilskudd.factories import OrganisationFactory, member
from tilskudd.audit import AuditEvent
from tilskudd.errors import ServiceError
from tilskudd.models import Earmark, MembershipRole, OfficeBudget
from tilskudd.money import format_nok
from tilskudd.outbox import OutboundEmail

from .change_helpers import accept, ask, recommended
from .helpers import bpa_line, competence_line, granted, project, submitted_application

NAME = "Fleksible avlastningsmodeller"
#: Move 40 000 from the competence line into the respite project.
INTO_PROJECT = {("competence", 0): "20000", ("projects", 0): "190000"}
#: Move 40 000 from the respite project to the competence line.
OUT_OF_PROJECT = {("competence", 0): "100000", ("projects", 0): "110000"}


def _earmark(budget, amount):
    return Earmark.objects.create(budget=budget, key="respite", amount=Decimal(amount), name=NAME)


def _malvik(trondheim, grant_round, caseworker, approver, capture, *, bpa=()):
    malvik = OrganisationFactory(name="Malvik kommune", municipality_number="5031",
                                 org_number="", county=trondheim.county)
    signatory = member(malvik, MembershipRole.SIGNATORY, email="signatur@malvik.example.no")
    application = granted(
        malvik, grant_round, signatory, caseworker, approver,
        amount=lambda line: Decimal(150000) if line.part == "projects" else line.applied,
        competence=[competence_line()], projects=[project(topic="respite")], bpa=list(bpa),
    )
    accept(application, caseworker, signatory, capture)
    return application, signatory


def _granted_now(application) -> dict[tuple[str, int], Decimal]:
    grant = grants.grant_for(application.pk)
    return {(line.part, line.line_id): grant.granted_for(line.part, line.line_id)
            for line in grant.lines}


@pytest.mark.django_db
def test_a_change_into_an_earmark_beyond_its_room_is_refused_and_changes_nothing(
    trondheim, grant_round, budget, caseworker, approver, django_capture_on_commit_callbacks
):
    # Given the earmark is 180 000: 30 000 left, and the change moves 40 000 into it
    _earmark(budget, 180000)
    application, signatory = _malvik(trondheim, grant_round, caseworker, approver,
                                     django_capture_on_commit_callbacks)
    change = recommended(ask(application, signatory, INTO_PROJECT), caseworker)
    before = _granted_now(application)
    audits, emails = AuditEvent.objects.count(), OutboundEmail.objects.count()
    mail.outbox.clear()

    # When
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ServiceError) as refused:
        services.change_request_decide(change_request=change, user=approver)

    # Then
    assert refused.value.code == "earmark_exceeded"
    assert refused.value.message == (
        f"Endringen kan ikke godkjennes: den ville overskride den øremerkede delen «{NAME}», "
        f"{format_nok(Decimal(180000))}. Med endringen ville {format_nok(Decimal(190000))} av "
        f"den være innvilget, {format_nok(Decimal(10000))} for mye. Igjen av den nå: "
        f"{format_nok(Decimal(30000))}.")
    change.refresh_from_db()
    assert (change.status, change.decided_by_id) == (ChangeStatus.RECOMMENDED, None)
    assert not ChangeLetter.objects.filter(change_request=change).exists()
    assert (AuditEvent.objects.count(), OutboundEmail.objects.count()) == (audits, emails)
    assert mail.outbox == []
    assert _granted_now(application) == before


@pytest.mark.django_db
def test_a_change_out_of_an_earmark_into_a_full_rest_is_refused(
    trondheim, grant_round, budget, caseworker, approver, django_capture_on_commit_callbacks
):
    # Given the rest outside the earmark is exactly the 60 000 granted of it
    _earmark(budget, 400000)
    application, signatory = _malvik(trondheim, grant_round, caseworker, approver,
                                     django_capture_on_commit_callbacks)
    OfficeBudget.objects.filter(pk=budget.pk).update(pot=Decimal(460000))
    change = recommended(ask(application, signatory, OUT_OF_PROJECT), caseworker)

    # When
    with pytest.raises(ServiceError) as refused:
        services.change_request_decide(change_request=change, user=approver)

    # Then
    assert refused.value.code == "pot_exceeded"
    assert refused.value.message == (
        "Endringen kan ikke godkjennes: den ville overskride rammen utenom øremerkede midler, "
        f"{format_nok(Decimal(60000))}. Med endringen ville {format_nok(Decimal(100000))} av "
        f"den være innvilget, {format_nok(Decimal(40000))} for mye. Igjen av den nå: "
        f"{format_nok(Decimal(0))}.")
    assert ChangeRequest.objects.get(pk=change.pk).status == ChangeStatus.RECOMMENDED


@pytest.mark.django_db
def test_a_change_within_the_earmarks_room_is_approved(
    trondheim, grant_round, budget, caseworker, approver, django_capture_on_commit_callbacks
):
    # Given the earmark is 190 000: exactly room for the 40 000 the change moves into it
    _earmark(budget, 190000)
    application, signatory = _malvik(trondheim, grant_round, caseworker, approver,
                                     django_capture_on_commit_callbacks)
    change = recommended(ask(application, signatory, INTO_PROJECT), caseworker)

    # When
    with django_capture_on_commit_callbacks(execute=True):
        services.change_request_decide(change_request=change, user=approver)

    # Then
    assert ChangeRequest.objects.get(pk=change.pk).status == ChangeStatus.APPROVED
    assert sorted(_granted_now(application).values()) == [Decimal(20000), Decimal(190000)]


@pytest.mark.django_db
def test_a_change_that_touches_no_earmark_is_approved_with_the_earmark_and_the_rest_full(
    trondheim, grant_round, budget, caseworker, approver, django_capture_on_commit_callbacks
):
    # Given the earmark and the rest are both spent to the krone, and the change moves
    # 40 000 from the competence line to the BPA line: both in the rest
    _earmark(budget, 150000)
    application, signatory = _malvik(trondheim, grant_round, caseworker, approver,
                                     django_capture_on_commit_callbacks, bpa=[bpa_line()])
    OfficeBudget.objects.filter(pk=budget.pk).update(pot=Decimal(270000))
    change = recommended(ask(application, signatory, {("competence", 0): "20000",
                                                      ("bpa", 0): "100000"}), caseworker)

    # When
    with django_capture_on_commit_callbacks(execute=True):
        services.change_request_decide(change_request=change, user=approver)

    # Then
    assert ChangeRequest.objects.get(pk=change.pk).status == ChangeStatus.APPROVED
    assert len(mail.outbox) >= 1


@pytest.mark.django_db
def test_a_change_out_of_an_overspent_earmark_into_a_rest_with_room_is_approved(
    trondheim, grant_round, budget, caseworker, approver, django_capture_on_commit_callbacks
):
    # Given the earmark was set to 100 000 behind the portal's back, 50 000 below the
    # 150 000 granted of it, and the change moves 40 000 out of it into the rest
    earmark = _earmark(budget, 150000)
    application, signatory = _malvik(trondheim, grant_round, caseworker, approver,
                                     django_capture_on_commit_callbacks)
    Earmark.objects.filter(pk=earmark.pk).update(amount=Decimal(100000))
    change = recommended(ask(application, signatory, OUT_OF_PROJECT), caseworker)

    # When
    with django_capture_on_commit_callbacks(execute=True):
        services.change_request_decide(change_request=change, user=approver)

    # Then the earmark, still over but less so, is not what refuses it (only a part that
    # grows is asked)
    assert ChangeRequest.objects.get(pk=change.pk).status == ChangeStatus.APPROVED
    assert sorted(_granted_now(application).values()) == [Decimal(100000), Decimal(110000)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_change_and_a_case_approved_at_once_cannot_both_use_the_earmarks_room(
    trondheim, grant_round, budget, caseworker, approver, django_capture_on_commit_callbacks,
    monkeypatch
):
    # Given the earmark is 400 000 with 150 000 granted: the change's 40 000 fits, and so
    # does Melhus' 230 000, but not both (420 000)
    from .test_opening_concurrency import _eager_tasks_one_thread_at_a_time

    _earmark(budget, 400000)
    application, signatory = _malvik(trondheim, grant_round, caseworker, approver,
                                     django_capture_on_commit_callbacks)
    change = recommended(ask(application, signatory, INTO_PROJECT), caseworker)
    melhus = OrganisationFactory(name="Melhus kommune", municipality_number="5028",
                                 org_number="", county=trondheim.county)
    melhus_signatory = member(melhus, MembershipRole.SIGNATORY, email="signatur@melhus.example.no")
    case = assessment_services.assessment_open(
        application=submitted_application(melhus, grant_round, melhus_signatory, competence=[],
                                          projects=[project(topic="respite")]),
        user=caseworker)
    assessment_services.assessment_save(assessment=case, user=caseworker, lines=[
        assessment_services.LineInput(id=case.lines.get().pk, recommended=Decimal(230000),
                                      justification="Godt prosjekt.",
                                      scores={key: 4 for key, _label in PROJECT_CRITERIA})])
    case = assessment_services.assessment_recommend(assessment=case, user=caseworker)
    # what is granted is read slowly, so without the pot's lock both would read it first
    read = pot.approved_by_bucket

    def slow_read(*args, **kwargs):
        found = read(*args, **kwargs)
        time.sleep(0.5)
        return found

    monkeypatch.setattr(pot, "approved_by_bucket", slow_read)  # the one rule reads it
    _eager_tasks_one_thread_at_a_time(monkeypatch)
    turns = iter(["change", "case"])

    def approve():
        if next(turns) == "change":
            return services.change_request_decide(change_request=change, user=approver)
        return assessment_services.assessment_approve(assessment=case, user=approver)

    # When both are approved at the same moment
    results = run_together(approve)

    # Then one is, and the other is refused for the earmark
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(refused) == 1, results
    assert refused[0].code == "earmark_exceeded"
    statuses = (ChangeRequest.objects.get(pk=change.pk).status,
                Assessment.objects.get(pk=case.pk).status)
    assert statuses in [(ChangeStatus.APPROVED, AssessmentStatus.RECOMMENDED),
                        (ChangeStatus.RECOMMENDED, AssessmentStatus.DECIDED)]


@pytest.mark.parametrize(("language", "earmarked", "start"), [
    ("nn", True, "Endringa kan ikkje godkjennast: ho ville gått over den øyremerkte delen «"),
    ("nn", False, "Endringa kan ikkje godkjennast: ho ville gått over ramma utanom"),
    ("en", True, "The change cannot be approved: it would exceed the earmarked part “"),
    ("en", False, "The change cannot be approved: it would exceed the budget outside"),
])
def test_the_refusal_is_said_in_nynorsk_and_english(language, earmarked, start):
    overrun = assessment_selectors.Overrun(
        key="respite" if earmarked else "", name=NAME if earmarked else "",
        amount=Decimal(180000), granted=Decimal(150000), after=Decimal(190000))

    with translation.override(language):
        message, over = rules.pot_refusal(overrun), format_nok(Decimal(10000))

    assert message.startswith(start)
    assert over in message


def test_the_nynorsk_refusal_names_the_budget_outside_the_earmarks_as_henne():
    # «ramma» is feminine: after a preposition nynorsk writes «henne», not «ho»
    overrun = assessment_selectors.Overrun(key="", name="", amount=Decimal(180000),
                                           granted=Decimal(150000), after=Decimal(190000))

    with translation.override("nn"):
        message = rules.pot_refusal(overrun)

    assert "av henne vere innvilga" in message
    assert "Att av henne no:" in message
