"""One status line per grant (tilskudd.status.grant_status_for), each stage reached
through the services: under work, for signing, sent in, under assessment, the decision
with its amount, accepted, and the report's four states."""

from decimal import Decimal

import pytest

from applications import services as application_services
from applications.models import Application
from assessment import selectors as assessment_selectors
from assessment import services as assessment_services
from reporting import services as report_services
from tests.tilskudd.factories import CountyFactory, OrganisationFactory, member
from tilskudd.models import MembershipRole
from tilskudd.status import Stage, grant_status, grant_status_for

from .grants import accepted, decided, draft, report_sent, submitted

pytestmark = pytest.mark.django_db


def label(application) -> str:
    application.refresh_from_db()
    return grant_status(application).label


def test_a_new_application_is_under_work(trondheim, grant_round, editor):
    application = draft(trondheim, grant_round, editor)

    assert label(application) == "Under arbeid"


def test_an_application_sent_for_signing_is_til_signering(trondheim, grant_round, editor):
    application = draft(trondheim, grant_round, editor)

    application_services.application_request_signature(application=application, user=editor)

    assert label(application) == "Til signering"


def test_a_submitted_application_is_sendt_inn_until_the_office_opens_the_case(
        trondheim, grant_round, signatory, caseworker):
    application = submitted(trondheim, grant_round, signatory)
    assert label(application) == "Sendt inn"

    assessment_services.assessment_open(application=application, user=caseworker)

    assert label(application) == "Under behandling"


def test_a_recommendation_is_not_shown_to_the_applicant(
        trondheim, grant_round, signatory, caseworker, approver, budget):
    application = submitted(trondheim, grant_round, signatory)
    case = assessment_services.assessment_open(application=application, user=caseworker)
    assessment_services.assessment_save(assessment=case, user=caseworker, lines=[
        assessment_services.LineInput(id=line.pk, recommended=line.applied, justification="")
        for line in assessment_selectors.case_lines(case)])
    assessment_services.assessment_recommend(assessment=case, user=caseworker)

    assert label(application) == "Under behandling"


def test_a_grant_in_full_says_innvilget_and_the_amount(
        trondheim, grant_round, signatory, caseworker, approver, budget):
    application = submitted(trondheim, grant_round, signatory)

    decided(application, caseworker, approver)

    assert label(application) == "Innvilget kr\u00a060\u00a0000"


def test_a_cut_grant_says_delvis_innvilget_and_the_amount(
        trondheim, grant_round, signatory, caseworker, approver, budget):
    application = submitted(trondheim, grant_round, signatory)

    decided(application, caseworker, approver, amount=lambda line: Decimal("45000"))

    assert label(application) == "Delvis innvilget kr\u00a045\u00a0000"


def test_nothing_granted_says_avslatt(
        trondheim, grant_round, signatory, caseworker, approver, budget):
    application = submitted(trondheim, grant_round, signatory)

    decided(application, caseworker, approver, amount=lambda line: Decimal(0))

    assert label(application) == "Avslått"
    assert grant_status(application).granted_text == ""


def test_an_accepted_grant_says_akseptert_and_still_knows_the_amount(
        trondheim, grant_round, signatory, caseworker, approver, budget,
        django_capture_on_commit_callbacks):
    application = submitted(trondheim, grant_round, signatory)
    case = decided(application, caseworker, approver)

    accepted(case, caseworker, signatory, django_capture_on_commit_callbacks)

    status = grant_status(application)
    assert (status.label, status.granted_text) == ("Akseptert", "Innvilget kr\u00a060\u00a0000")


def test_the_report_moves_the_line_on_through_its_four_states(
        trondheim, grant_round, signatory, caseworker, approver, budget):
    application = submitted(trondheim, grant_round, signatory)
    decided(application, caseworker, approver)
    report = report_services.report_open(application=application, user=signatory)
    assert label(application) == "Rapport under arbeid"

    report = report_sent(application, signatory)
    assert label(application) == "Rapport sendt"

    report_services.report_return(report=report, user=caseworker, message="Legg ved revisor.")
    assert label(application) == "Rapport sendt tilbake"

    report_services.report_submit(report=report, user=signatory)
    report_services.report_approve(report=report, user=caseworker)
    assert label(application) == "Rapport godkjent"
    assert grant_status(application).granted_text == "Innvilget kr\u00a060\u00a0000"


def test_a_withdrawn_application_is_trukket_even_if_the_case_was_opened(
        trondheim, grant_round, signatory, caseworker):
    application = submitted(trondheim, grant_round, signatory)
    assessment_services.assessment_open(application=application, user=caseworker)

    application_services.application_withdraw(application=application, user=signatory,
                                              reason="Feil beløp.")

    assert label(application) == "Trukket"


def test_the_stage_key_names_the_stage(trondheim, grant_round, editor):
    application = draft(trondheim, grant_round, editor)

    status = grant_status(application)

    assert (status.stage, status.key) == (Stage.DRAFT, "draft")


def test_the_status_lines_of_many_applications_take_as_many_queries_as_of_one(
        grant_round, caseworker, approver, django_assert_num_queries):
    county = CountyFactory()
    for number in range(10):
        organisation = OrganisationFactory(name=f"Kommune {number}", org_number="",
                                           municipality_number=f"50{number:02d}",
                                           county=county)
        signatory = member(organisation, MembershipRole.SIGNATORY)
        application = submitted(organisation, grant_round, signatory)
        if number % 2:
            assessment_services.assessment_open(application=application, user=caseworker)
    applications = list(Application.objects.order_by("pk"))

    # assessment's one query; reporting's is asked only once a grant is decided (from_stage)
    with django_assert_num_queries(1):
        one = grant_status_for(applications[:1])
    with django_assert_num_queries(1):
        ten = grant_status_for(applications)

    assert [s.label for s in one.values()] == ["Sendt inn"]
    assert sorted(s.label for s in ten.values()) == ["Sendt inn"] * 5 + ["Under behandling"] * 5


def test_the_decision_is_still_named_after_acceptance_and_in_the_letters_e_mail(
        trondheim, grant_round, signatory, caseworker, approver, budget,
        django_capture_on_commit_callbacks):
    from tilskudd.outbox import OutboundEmail

    application = submitted(trondheim, grant_round, signatory)
    case = decided(application, caseworker, approver, amount=lambda line: Decimal("45000"))

    accepted(case, caseworker, signatory, django_capture_on_commit_callbacks)

    status = grant_status(application)
    assert (status.label, status.decision_label) == (
        "Akseptert", "Delvis innvilget kr\u00a045\u00a0000")
    body = OutboundEmail.objects.get(kind="allocation_letter").body
    assert "Trondheim - Tråante kommune: delvis innvilget kr\u00a045\u00a0000." in body
