"""The gate: an organisation with an overdue, unsent report from an earlier round is stopped
from submitting a new application (or, if the round says so, only warned)."""

import inspect
from datetime import timedelta

import pytest

from applications import services as application_services
from applications.models import ApplicationStatus, Submission
from reporting import services
from reporting.models import OverdueRule, ReportingSettings
from tilskudd.errors import ServiceError
from tilskudd.gates import Gate, submission_gates

from .helpers import competence_line, complete_header, ready_report

GATE_WIRED = "submission_gates" in inspect.getsource(application_services)


def _message(report, deadline, tail: str) -> str:
    return (
        f"Trondheim - Tråante kommune har ikke sendt inn rapporten om tilskuddet for KKT "
        f"{report.application.round.year}. Fristen var 1. mars {deadline.year} kl. 23:59. {tail}"
    )


def test_an_overdue_report_blocks(report, trondheim, next_round, deadline):
    gates = submission_gates(trondheim, next_round, deadline + timedelta(minutes=1))

    assert gates == [Gate(
        message=_message(report, deadline,
                         "En ny søknad kan ikke sendes inn før rapporten er sendt."),
        blocking=True, url=f"/rapporter/{report.pk}/",
    )]


def test_the_round_can_make_it_a_warning(report, trondheim, next_round, deadline):
    ReportingSettings.objects.create(round=next_round, overdue_rule=OverdueRule.WARN)

    gates = submission_gates(trondheim, next_round, deadline + timedelta(minutes=1))

    assert gates == [Gate(
        message=_message(report, deadline, "Send rapporten så snart som mulig."),
        blocking=False, url=f"/rapporter/{report.pk}/",
    )]


def test_no_gate_before_the_deadline_or_for_the_same_round(
    report, trondheim, grant_round, next_round, deadline
):
    assert submission_gates(trondheim, next_round, deadline - timedelta(minutes=1)) == []
    assert submission_gates(trondheim, grant_round, deadline + timedelta(days=1)) == []


def test_no_gate_once_the_report_is_sent(report, signatory, trondheim, next_round, deadline):
    ready_report(report, signatory)
    services.report_submit(report=report, user=signatory, now=deadline - timedelta(days=1))

    assert submission_gates(trondheim, next_round, deadline + timedelta(days=1)) == []


def test_an_extension_lifts_the_gate_until_the_new_deadline(
    report, caseworker, trondheim, next_round, deadline
):
    services.report_extend_deadline(report=report, user=caseworker,
                                    new_deadline=deadline + timedelta(days=14), reason="Sykdom.",
                                    now=deadline - timedelta(days=1))

    assert submission_gates(trondheim, next_round, deadline + timedelta(days=1)) == []
    assert [g.blocking for g in
            submission_gates(trondheim, next_round, deadline + timedelta(days=15))] == [True]


def test_a_grant_whose_report_was_never_opened_blocks_too(
    application, trondheim, next_round, deadline
):
    gates = submission_gates(trondheim, next_round, deadline + timedelta(days=1))

    assert [(g.blocking, g.url) for g in gates] == [(True, "/rapporter/")]


def test_other_organisations_are_not_gated(report, rogaland_org, next_round, deadline):
    assert submission_gates(rogaland_org, next_round, deadline + timedelta(days=1)) == []


def _new_application(trondheim, next_round, signatory):
    application = application_services.application_start(
        organisation=trondheim, round=next_round, user=signatory)
    return application_services.application_update(
        application=application, user=signatory, header=complete_header(),
        competence=[competence_line()])


@pytest.mark.skipif(not GATE_WIRED, reason="applications.services.application_submit does not "
                    "call tilskudd.gates yet (the lead applies that diff)")
def test_submitting_a_new_application_is_refused(
    report, trondheim, next_round, signatory, deadline
):
    application = _new_application(trondheim, next_round, signatory)

    with pytest.raises(ServiceError) as refused:
        application_services.application_submit(
            application=application, user=signatory, now=deadline + timedelta(days=1))

    application.refresh_from_db()
    assert refused.value.code == "report_overdue"
    assert "har ikke sendt inn rapporten om tilskuddet" in refused.value.message
    assert application.status == ApplicationStatus.DRAFT
    assert Submission.objects.filter(application=application).count() == 0


@pytest.mark.skipif(not GATE_WIRED, reason="applications.services.application_submit does not "
                    "call tilskudd.gates yet (the lead applies that diff)")
def test_in_warning_mode_the_application_is_submitted(
    report, trondheim, next_round, signatory, deadline
):
    ReportingSettings.objects.create(round=next_round, overdue_rule=OverdueRule.WARN)
    application = _new_application(trondheim, next_round, signatory)

    submission = application_services.application_submit(
        application=application, user=signatory, now=deadline + timedelta(days=1))

    assert submission.application_id == application.pk


START_PAGE_WIRED = "submission_gates" in inspect.getsource(
    __import__("tilskudd.views", fromlist=["home"]))


@pytest.mark.skipif(not START_PAGE_WIRED, reason="the start page does not show tilskudd.gates "
                    "yet (the lead applies that diff)")
def test_the_start_page_says_so(client, report, signatory, grant_round, next_round):
    # given: the grant round's reporting deadline has just passed
    from django.utils import timezone

    now = timezone.now()
    grant_round.opens_at = now - timedelta(days=60)
    grant_round.application_deadline = now - timedelta(minutes=2)
    grant_round.reporting_deadline = now - timedelta(minutes=1)
    grant_round.save()
    client.force_login(signatory)

    page = client.get("/").content.decode()

    # then: it is said once, as the inbox item that says it stops the next application
    assert "Ny søknad kan ikke sendes inn:" not in page
    assert 'id="gates"' not in page
    assert page.count(f"{grant_round.year} er forsinket</h3>") == 1
    assert page.count("En ny søknad kan ikke sendes inn før rapporten er sendt.") == 1
    assert f'href="/rapporter/{report.pk}/"' in page


@pytest.mark.skipif(not START_PAGE_WIRED, reason="the start page does not show tilskudd.gates")
def test_a_warning_is_said_once_too_and_does_not_claim_to_block(client, report, signatory,
                                                                 grant_round, next_round):
    from django.utils import timezone

    ReportingSettings.objects.create(round=next_round, overdue_rule=OverdueRule.WARN)
    now = timezone.now()
    grant_round.opens_at = now - timedelta(days=60)
    grant_round.application_deadline = now - timedelta(minutes=2)
    grant_round.reporting_deadline = now - timedelta(minutes=1)
    grant_round.save()
    client.force_login(signatory)

    page = client.get("/").content.decode()

    # then: once, as the inbox item, in the warning's words
    assert 'id="gates"' not in page
    assert page.count(f"{grant_round.year} er forsinket</h3>") == 1
    assert page.count("Send rapporten så snart som mulig.") == 1
    assert "En ny søknad kan ikke sendes inn før rapporten er sendt." not in page
