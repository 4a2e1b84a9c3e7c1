"""Change requests (endringssøknad) through the services: the signatory asks before the
round's change deadline, a caseworker recommends, another approver decides (four eyes);
an approved change moves the money (the report opens with the new lines), a refusal and
every refused step change nothing."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from reporting import services as report_services
from reporting.changes import rules, services
from reporting.changes.models import (
    ChangeLetter,
    ChangeRequest,
    ChangeRequestEvent,
    ChangeRequestLine,
    ChangeStatus,
)
from tests.tilskudd.factories import RoundFactory, office_staff
from tilskudd.audit import AuditAction
from tilskudd.errors import ServiceError
from tilskudd.models import AuditEvent, OfficeRole, OutboundEmail

from .change_helpers import REASON, accept, ask, lines_of, recommended

OSLO = ZoneInfo("Europe/Oslo")
pytestmark = pytest.mark.django_db


@pytest.fixture
def grant(application, caseworker, signatory, django_capture_on_commit_callbacks):
    return accept(application, caseworker, signatory, django_capture_on_commit_callbacks)


@pytest.fixture
def second_approver(trondheim):
    return office_staff(trondheim.office, OfficeRole.APPROVER,
                        email="godkjenner2@sftl.example.no", full_name="Gro Godkjenner")


def _nothing_written():
    assert ChangeRequest.objects.count() == 0
    assert ChangeRequestLine.objects.count() == 0
    assert ChangeRequestEvent.objects.count() == 0


def _report_amounts(report) -> list[tuple[str, Decimal]]:
    return sorted(
        [("competence", line.granted) for line in report.competence_lines.all()]
        + [("bpa", line.granted) for line in report.bpa_lines.all()]
    )


# --- the deadline ---------------------------------------------------------------------------


def test_a_round_without_a_change_deadline_has_1_october_2359_oslo():
    rnd = RoundFactory.build(year=2027, change_deadline=None)

    assert rules.change_deadline(rnd) == datetime(2027, 10, 1, 23, 59, tzinfo=OSLO)


def test_the_deadline_accepts_its_whole_minute(grant, signatory):
    grant.round.change_deadline = datetime(2099, 10, 1, 23, 59, tzinfo=OSLO)
    grant.round.save()

    change = ask(grant, signatory, now=datetime(2099, 10, 1, 23, 59, 30, tzinfo=OSLO))

    assert change.status == ChangeStatus.SUBMITTED


def test_after_the_deadline_the_request_is_refused_and_nothing_is_written(grant, signatory):
    grant.round.change_deadline = datetime(2099, 10, 1, 23, 59, tzinfo=OSLO)
    grant.round.save()

    with pytest.raises(ServiceError) as refused:
        ask(grant, signatory, now=datetime(2099, 10, 2, 0, 0, tzinfo=OSLO))

    assert refused.value.code == "deadline_passed"
    assert refused.value.message == "Fristen for å søke om endring var 1. oktober 2099 kl. 23:59."
    _nothing_written()


# --- the signatory asks ---------------------------------------------------------------------


def test_the_signatory_asks_to_move_money_between_lines(grant, signatory):
    change = ask(grant, signatory)

    assert change.status == ChangeStatus.SUBMITTED
    assert change.reference.startswith(f"END-{grant.round.year}-")
    assert change.granted_total == Decimal("260000")
    assert sorted((line.part, line.granted, line.requested) for line in change.lines.all()) == [
        ("bpa", Decimal("60000"), Decimal("100000")),
        ("competence", Decimal("60000"), Decimal("60000")),
        ("competence", Decimal("140000"), Decimal("100000")),
    ]
    assert change.requested_total == change.granted_total
    assert [(e.from_status, e.to_status, e.by) for e in change.events.all()] == [
        ("", ChangeStatus.SUBMITTED, signatory)]
    event = AuditEvent.objects.get(action=AuditAction.CHANGE_REQUEST_SUBMIT)
    assert (event.actor, event.target) == (signatory, change)


def test_a_sum_above_the_grant_is_refused_next_to_the_field_and_nothing_is_written(
    grant, signatory
):
    amounts = {("competence", 1): "140000", ("bpa", 0): "100000"}

    with pytest.raises(ServiceError) as refused:
        ask(grant, signatory, amounts)

    assert refused.value.code == "invalid"
    [error] = refused.value.errors
    bpa = lines_of(grant)["bpa"][0]
    assert error.field == f"amount_bpa_{bpa.line_id}"
    assert error.message.replace("\u00a0", " ") == (
        "Summen av de nye beløpene er kr 300 000, men tilskuddet er kr 260 000. En endring "
        "kan ikke øke tilskuddet: ta bort kr 40 000.")
    _nothing_written()


def test_a_sum_below_the_grant_is_refused(grant, signatory):
    with pytest.raises(ServiceError) as refused:
        ask(grant, signatory, {("competence", 1): "100000"})

    assert "Fordel de resterende" in refused.value.errors[0].message
    _nothing_written()


def test_a_request_that_changes_nothing_or_has_no_reason_is_refused(grant, signatory):
    with pytest.raises(ServiceError) as unchanged:
        ask(grant, signatory, {("competence", 0): "60000"})
    with pytest.raises(ServiceError) as no_reason:
        ask(grant, signatory, reason="  ")

    assert unchanged.value.errors[0].message.startswith("Du har ikke endret noe.")
    assert [e.field for e in no_reason.value.errors] == ["reason"]
    _nothing_written()


def test_an_editor_cannot_ask(grant, editor):
    with pytest.raises(ServiceError) as refused:
        ask(grant, editor)

    assert refused.value.code == "not_signatory"
    _nothing_written()


def test_a_grant_not_accepted_cannot_be_changed(application, signatory):
    application.round.change_deadline = datetime(2099, 10, 1, 23, 59, tzinfo=OSLO)
    application.round.save()

    with pytest.raises(ServiceError) as refused:
        ask(application, signatory)

    assert refused.value.code == "not_accepted"
    _nothing_written()


def test_one_request_at_a_time(grant, signatory):
    first = ask(grant, signatory)

    with pytest.raises(ServiceError) as refused:
        ask(grant, signatory)

    assert refused.value.code == "pending"
    assert list(ChangeRequest.objects.all()) == [first]


def test_once_the_report_is_sent_no_change_can_be_asked(grant, signatory):
    from tests.tilskudd.grants import report_sent

    report_sent(grant, signatory)

    with pytest.raises(ServiceError) as refused:
        ask(grant, signatory)

    assert refused.value.code == "report_sent"
    _nothing_written()


# --- the office decides, four eyes ----------------------------------------------------------


def test_recommended_and_approved_by_another_the_money_moves_and_a_letter_is_made(
    grant, signatory, caseworker, approver, django_capture_on_commit_callbacks
):
    change = recommended(ask(grant, signatory), caseworker)

    with django_capture_on_commit_callbacks(execute=True):
        services.change_request_decide(change_request=change, user=approver, note="OK")

    change.refresh_from_db()
    assert (change.status, change.recommended_by, change.decided_by) == (
        ChangeStatus.APPROVED, caseworker, approver)
    assert [e.to_status for e in change.events.all()] == [
        ChangeStatus.SUBMITTED, ChangeStatus.RECOMMENDED, ChangeStatus.APPROVED]
    letter = ChangeLetter.objects.get(change_request=change)
    assert letter.is_ready and len(letter.sha256) == 64
    email = OutboundEmail.objects.get(kind="change_letter")
    assert signatory.email in email.to and change.reference in email.subject
    assert f"{settings.SITE_URL}/rapporter/endring/{change.reference}/" in email.body
    report = report_services.report_open(application=grant, user=signatory)
    assert _report_amounts(report) == [("bpa", Decimal("100000")),
                                       ("competence", Decimal("60000")),
                                       ("competence", Decimal("100000"))]
    assert report.granted_total == Decimal("260000")


def test_an_approved_change_brings_a_report_being_written_up_to_date(
    grant, signatory, caseworker, approver
):
    report = report_services.report_open(application=grant, user=signatory)
    amounts = {("competence", 0): "0", ("competence", 1): "200000"}
    change = recommended(ask(grant, signatory, amounts), caseworker)

    services.change_request_decide(change_request=change, user=approver)

    assert _report_amounts(report) == [("bpa", Decimal("60000")),
                                       ("competence", Decimal("200000"))]


def test_a_refusal_changes_nothing(grant, signatory, caseworker, approver,
                                   django_capture_on_commit_callbacks):
    change = recommended(ask(grant, signatory), caseworker, "refuse",
                         "Opplæringen i BPA er allerede dekket.")

    with django_capture_on_commit_callbacks(execute=True):
        services.change_request_decide(change_request=change, user=approver)

    change.refresh_from_db()
    assert change.status == ChangeStatus.REFUSED
    assert ChangeLetter.objects.get(change_request=change).is_ready
    report = report_services.report_open(application=grant, user=signatory)
    assert _report_amounts(report) == [("bpa", Decimal("60000")),
                                       ("competence", Decimal("60000")),
                                       ("competence", Decimal("140000"))]


def test_the_one_who_recommended_cannot_approve(grant, signatory, approver):
    change = recommended(ask(grant, signatory), approver)

    with pytest.raises(ServiceError) as refused:
        services.change_request_decide(change_request=change, user=approver)

    assert refused.value.code == "own_recommendation"
    change.refresh_from_db()
    assert (change.status, change.decided_by) == (ChangeStatus.RECOMMENDED, None)
    assert ChangeLetter.objects.count() == 0


def test_a_caseworker_who_may_not_approve_cannot_decide(grant, signatory, caseworker,
                                                         approver):
    change = recommended(ask(grant, signatory), approver)

    with pytest.raises(ServiceError) as refused:
        services.change_request_decide(change_request=change, user=caseworker)

    assert refused.value.code == "not_approver"
    change.refresh_from_db()
    assert change.status == ChangeStatus.RECOMMENDED
    assert ChangeLetter.objects.count() == 0


def test_staff_of_another_office_cannot_recommend(grant, signatory, rogaland_caseworker):
    change = ask(grant, signatory)

    with pytest.raises(ServiceError) as refused:
        recommended(change, rogaland_caseworker)

    assert refused.value.code == "not_office_staff"
    change.refresh_from_db()
    assert (change.status, change.recommended_by) == (ChangeStatus.SUBMITTED, None)


def test_a_recommendation_needs_a_reason(grant, signatory, caseworker):
    change = ask(grant, signatory)

    with pytest.raises(ServiceError) as refused:
        recommended(change, caseworker, note=" ")

    assert [e.field for e in refused.value.errors] == ["note"]
    change.refresh_from_db()
    assert change.status == ChangeStatus.SUBMITTED


def test_a_request_not_recommended_cannot_be_decided(grant, signatory, approver):
    change = ask(grant, signatory)

    with pytest.raises(ServiceError) as refused:
        services.change_request_decide(change_request=change, user=approver)

    assert refused.value.code == "not_recommended"
    change.refresh_from_db()
    assert change.status == ChangeStatus.SUBMITTED


def test_an_approver_sends_the_recommendation_back(grant, signatory, caseworker, approver):
    change = recommended(ask(grant, signatory), caseworker)

    services.change_request_return(change_request=change, user=approver, note="Se på BPA.")

    change.refresh_from_db()
    assert (change.status, change.recommendation, change.recommended_by) == (
        ChangeStatus.SUBMITTED, "", None)
    recommended(change, caseworker, "refuse", "Ikke nødvendig.")
    change.refresh_from_db()
    assert change.status == ChangeStatus.RECOMMENDED


def test_a_decided_request_cannot_be_decided_again(grant, signatory, caseworker, approver,
                                                    second_approver):
    change = recommended(ask(grant, signatory), caseworker)
    services.change_request_decide(change_request=change, user=approver)

    with pytest.raises(ServiceError) as refused:
        services.change_request_decide(change_request=change, user=second_approver)

    assert refused.value.code == "not_recommended"
    change.refresh_from_db()
    assert change.decided_by == approver
    assert ChangeLetter.objects.count() == 1


def test_after_an_approved_change_a_new_request_starts_from_the_new_amounts(
    grant, signatory, caseworker, approver
):
    services.change_request_decide(
        change_request=recommended(ask(grant, signatory), caseworker), user=approver)

    second = ask(grant, signatory, {("bpa", 0): "60000", ("competence", 1): "140000"},
                 reason=REASON)

    assert sorted((line.part, line.granted) for line in second.lines.all()) == [
        ("bpa", Decimal("100000")), ("competence", Decimal("60000")),
        ("competence", Decimal("100000"))]


# --- a project's content ------------------------------------------------------------------


def _asked(part: str, granted: str, requested: str, content: str = "") -> rules.AskedLine:
    return rules.AskedLine(part=part, line_id=7, label="Linje", granted=Decimal(granted),
                           requested=Decimal(requested), new_content=content)


def test_a_projects_content_may_change_without_moving_money():
    line = _asked("projects", "150000", "150000", "Avlastning også på hverdager.")

    assert rules.check_request([line], Decimal("150000"), REASON) == []


def test_only_a_projects_content_may_change():
    line = _asked("competence", "60000", "60000", "Et annet studium.")

    [error] = rules.check_request([line], Decimal("60000"), REASON)

    assert (error.field, error.message) == ("amount_competence_7",
                                            "Bare innholdet i et prosjekt kan endres.")


def test_a_line_moved_to_zero_keeps_what_was_typed_on_it_at_kr_0(
    grant, signatory, caseworker, approver
):
    # given: a report with every line's used amount typed (granted less kr 5 000)
    from .helpers import ready_report
    report = report_services.report_open(application=grant, user=signatory)
    ready_report(report, signatory, used=lambda line: line.granted - 5000)
    change = recommended(ask(grant, signatory, {("competence", 0): "0",
                                                ("competence", 1): "200000"}), caseworker)
    # when
    services.change_request_decide(change_request=change, user=approver)
    # then: the line granted nothing now is kept with its kr 55 000 used, granted kr 0
    assert sorted((line.granted, line.amount_used)
                  for line in report.competence_lines.all()) == [
        (Decimal(0), Decimal(55_000)), (Decimal(200_000), Decimal(135_000))]
