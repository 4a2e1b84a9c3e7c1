"""The admin's start page for office staff (tilskudd.inbox.office_inbox_for): cases
assigned to me, recommendations waiting for my approval (never my own), reports to
review, and grant letters not accepted after 14 days; nothing from another office."""

from datetime import timedelta

import pytest
from django.urls import reverse

from assessment import selectors as assessment_selectors
from assessment import services as assessment_services
from reporting import services as report_services
from tests.tilskudd.factories import office_staff, rogaland_county
from tilskudd.inbox import office_inbox_for
from tilskudd.models import OfficeRole

from .grants import decided, report_sent, submitted, with_letter

pytestmark = pytest.mark.django_db

ORG = "Trondheim - Tråante kommune"


def titles(user, now=None) -> list[tuple[str, str]]:
    return [(item.kind, item.title) for item in office_inbox_for(user, now=now)]


def _recommended(application, caseworker):
    case = assessment_services.assessment_open(application=application, user=caseworker)
    assessment_services.assessment_assign(assessment=case, user=caseworker, assignee=caseworker)
    assessment_services.assessment_save(assessment=case, user=caseworker, lines=[
        assessment_services.LineInput(id=line.pk, recommended=line.applied, justification="")
        for line in assessment_selectors.case_lines(case)])
    return case


def test_a_case_assigned_to_me_and_then_a_recommendation_for_the_approver(
        trondheim, grant_round, signatory, caseworker, approver, budget):
    application = submitted(trondheim, grant_round, signatory)
    case = _recommended(application, caseworker)
    name = f"{ORG} – Kompetanse- og tjenesteutviklingstilskudd {grant_round.year}"
    assert titles(caseworker) == [("case", f"Saken {name} er tildelt deg")]
    assert titles(approver) == []

    assessment_services.assessment_recommend(assessment=case, user=caseworker)

    assert titles(caseworker) == []
    assert titles(approver) == [("approval", f"Innstillingen for {name} venter på godkjenning")]
    item = office_inbox_for(approver)[0]
    assert item.url == reverse("admin:assessment_submittedapplication_change",
                               args=[application.pk])
    assert office_inbox_for(office_staff(rogaland_county().office, OfficeRole.APPROVER)) == []


def test_an_approver_does_not_see_their_own_recommendation(
        trondheim, grant_round, signatory, approver, budget):
    application = submitted(trondheim, grant_round, signatory)
    case = _recommended(application, approver)
    assessment_services.assessment_recommend(assessment=case, user=approver)

    assert titles(approver) == []


def test_a_report_sent_in_waits_for_review(
        trondheim, grant_round, signatory, caseworker, approver, budget):
    application = submitted(trondheim, grant_round, signatory)
    decided(application, caseworker, approver)
    report = report_sent(application, signatory)

    items = office_inbox_for(caseworker)

    assert [(i.kind, i.url) for i in items] == [
        ("report_review", reverse("admin:reporting_report_change", args=[report.pk]))]
    report_services.report_approve(report=report, user=caseworker)
    assert office_inbox_for(caseworker) == []


def test_a_letter_not_accepted_after_14_days_is_followed_up(
        trondheim, grant_round, signatory, caseworker, approver, budget,
        django_capture_on_commit_callbacks):
    application = submitted(trondheim, grant_round, signatory)
    case = with_letter(decided(application, caseworker, approver), caseworker,
                       django_capture_on_commit_callbacks)
    made = case.letters.get().created_at

    assert titles(caseworker, now=made + timedelta(days=13)) == []
    assert titles(caseworker, now=made + timedelta(days=14)) == [(
        "letter_not_accepted",
        f"Tilskuddet til {ORG} – Kompetanse- og tjenesteutviklingstilskudd "
        f"{grant_round.year} er ikke akseptert")]


def test_the_admin_index_shows_what_waits(
        client, trondheim, grant_round, signatory, caseworker, approver, budget):
    application = submitted(trondheim, grant_round, signatory)
    _recommended(application, caseworker)
    client.force_login(caseworker)

    page = client.get(reverse("admin:index")).content.decode()

    assert '<h2 id="office-inbox-heading">Venter på deg</h2>' in page
    assert f"Saken {ORG} – Kompetanse- og tjenesteutviklingstilskudd {grant_round.year} " \
           "er tildelt deg" in page
