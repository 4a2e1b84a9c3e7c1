"""The inbox (tilskudd.inbox and the apps' providers): each kind of item for the right
user and never for another organisation's, the order by urgency, the links, what
happened lately, and the start page's queries, constant in the number of applications."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications import services as application_services
from assessment import services as assessment_services
from reporting import services as report_services
from tests.applications.conftest import competence_line, complete_header
from tests.tilskudd.factories import RoundFactory
from tilskudd.inbox import (
    DRAFT,
    LETTER,
    REPORT,
    REPORT_OVERDUE,
    REPORT_RETURNED,
    TO_SIGN,
    inbox_for,
)
from tilskudd.receipts import when

from .grants import decided, draft, report_sent, submitted, with_letter

pytestmark = pytest.mark.django_db


def kinds(items) -> list[tuple[str, str]]:
    return [(item.kind, item.title) for item in items]


def test_a_draft_waits_for_its_organisation_with_the_deadline_and_days_left(
        trondheim, grant_round, editor, stavanger_signatory):
    application = draft(trondheim, grant_round, editor)

    inbox = inbox_for(editor)

    year = grant_round.year
    assert kinds(inbox.mine) == [
        (DRAFT, f"Fullfør søknaden om Kompetanse- og tjenesteutviklingstilskudd {year}")]
    item = inbox.mine[0]
    assert item.detail == f"Frist {when(grant_round.application_deadline)} – 10 dager igjen."
    assert (item.url, item.link_text) == (
        reverse("applications:edit", args=[application.pk]), "Fortsett på søknaden")
    assert item.organisation == "Trondheim - Tråante kommune"
    assert inbox_for(stavanger_signatory).mine == []


def test_a_draft_after_the_deadline_is_not_offered(trondheim, grant_round, editor):
    draft(trondheim, grant_round, editor)
    later = grant_round.application_deadline + timedelta(minutes=1)

    assert inbox_for(editor, now=later).mine == []


def test_an_application_for_signing_waits_for_the_signatory_and_is_only_shown_to_the_editor(
        trondheim, grant_round, editor, signatory, stavanger_signatory):
    application = draft(trondheim, grant_round, editor)

    application_services.application_request_signature(application=application, user=editor)

    year = grant_round.year
    mine = inbox_for(signatory).mine
    assert kinds(mine) == [(TO_SIGN, "Søknaden om Kompetanse- og tjenesteutviklingstilskudd "
                                     f"{year} venter på din signatur")]
    assert mine[0].detail.startswith("Sendt til signering av Ulrikke Utfyller. Frist ")
    assert (mine[0].url, mine[0].link_text) == (
        reverse("applications:preview", args=[application.pk]), "Kontroller og send inn")
    editors = inbox_for(editor)
    assert editors.mine == []
    assert kinds(editors.others) == [(TO_SIGN, "Søknaden om Kompetanse- og "
                                               f"tjenesteutviklingstilskudd {year} venter på "
                                               "signatur")]
    assert inbox_for(stavanger_signatory).is_empty


def test_a_ready_letter_waits_for_the_signatory_until_accepted(
        trondheim, grant_round, signatory, editor, caseworker, approver, budget,
        stavanger_signatory, django_capture_on_commit_callbacks):
    application = submitted(trondheim, grant_round, signatory)
    case = decided(application, caseworker, approver)
    with_letter(case, caseworker, django_capture_on_commit_callbacks)

    letters = [i for i in inbox_for(signatory).mine if i.kind == LETTER]

    year = grant_round.year
    assert [i.title for i in letters] == [
        f"Les og aksepter tilskuddsbrevet for Kompetanse- og tjenesteutviklingstilskudd {year}"]
    assert letters[0].detail.startswith("Innvilget kr\u00a060\u00a0000. Brevet kom ")
    assert letters[0].url == reverse("assessment:decision", args=[application.pk])
    assert [i.kind for i in inbox_for(editor).others] == [LETTER]
    assert inbox_for(stavanger_signatory).is_empty

    assessment_services.grant_accept(assessment=case, user=signatory, letter=case.letters.get())

    assert LETTER not in [i.kind for i in inbox_for(signatory).mine]


def test_a_grant_asks_for_its_report_due_1_march(
        trondheim, grant_round, signatory, caseworker, approver, budget, stavanger_signatory):
    application = submitted(trondheim, grant_round, signatory)
    decided(application, caseworker, approver)

    reports = [i for i in inbox_for(signatory).mine if i.kind == REPORT]

    assert [(i.title, i.url, i.due) for i in reports] == [(
        f"Skriv rapporten for Kompetanse- og tjenesteutviklingstilskudd {grant_round.year}",
        reverse("reporting:list"), grant_round.reporting_deadline)]
    assert reports[0].detail.startswith(
        f"Frist 1. mars {grant_round.year + 1} kl. 23:59 – ")
    assert inbox_for(stavanger_signatory).is_empty

    report = report_services.report_open(application=application, user=signatory)

    reports = [i for i in inbox_for(signatory).mine if i.kind == REPORT]
    assert [i.url for i in reports] == [reverse("reporting:edit", args=[report.pk])]


def test_a_returned_report_shows_the_offices_message(
        trondheim, grant_round, signatory, caseworker, approver, budget):
    application = submitted(trondheim, grant_round, signatory)
    decided(application, caseworker, approver)
    report = report_sent(application, signatory)
    assert [i.kind for i in inbox_for(signatory).mine] == []

    report_services.report_return(report=report, user=caseworker, message="Legg ved revisor.")

    item = inbox_for(signatory).mine[0]
    assert (item.kind, item.url) == (REPORT_RETURNED, reverse("reporting:edit", args=[report.pk]))
    assert item.detail.startswith(
        "Statsforvalteren har sendt rapporten tilbake: «Legg ved revisor.» Frist ")


def test_an_overdue_report_comes_first_and_says_it_stops_the_next_application(
        trondheim, grant_round, signatory, caseworker, approver, budget):
    application = submitted(trondheim, grant_round, signatory)
    decided(application, caseworker, approver)
    report_services.report_open(application=application, user=signatory)
    later_round = grant_round.__class__.objects.create(
        scheme=grant_round.scheme, year=grant_round.year + 1,
        opens_at=grant_round.opens_at, application_deadline=grant_round.application_deadline,
        reporting_deadline=grant_round.reporting_deadline + timedelta(days=365))
    draft(trondheim, later_round, signatory)
    now = grant_round.reporting_deadline + timedelta(days=3)
    later_round.application_deadline = now + timedelta(days=20)
    later_round.save()

    mine = inbox_for(signatory, now=now).mine

    assert [i.kind for i in mine] == [REPORT_OVERDUE, DRAFT]
    assert mine[0].blocking is True
    assert mine[0].detail == (
        f"Fristen var {when(grant_round.reporting_deadline)}, for 3 dager siden. En ny søknad "
        "kan ikke sendes inn før rapporten er sendt.")


def test_items_are_ordered_by_the_nearest_deadline(
        trondheim, grant_round, signatory, caseworker, approver, budget):
    application = submitted(trondheim, grant_round, signatory)
    decided(application, caseworker, approver)  # report due 1 March next year
    sooner = grant_round.__class__.objects.create(
        scheme=grant_round.scheme, year=grant_round.year + 1,
        opens_at=timezone.now() - timedelta(days=1),
        application_deadline=timezone.now() + timedelta(days=2),
        reporting_deadline=grant_round.reporting_deadline + timedelta(days=365))
    draft(trondheim, sooner, signatory)

    assert [i.kind for i in inbox_for(signatory).mine] == [DRAFT, REPORT]


def test_what_happened_lately_is_the_organisations_own_newest_first(
        trondheim, grant_round, signatory, caseworker, approver, budget, stavanger_signatory):
    application = submitted(trondheim, grant_round, signatory)
    decided(application, caseworker, approver)
    report = report_sent(application, signatory)
    report_services.report_return(report=report, user=caseworker, message="Rett tallene.")

    texts = [event.text for event in inbox_for(signatory).events]

    name = f"Kompetanse- og tjenesteutviklingstilskudd {grant_round.year}"
    org = "Trondheim - Tråante kommune"
    assert texts == [
        f"{org}: Statsforvalteren sendte rapporten for {name} tilbake for retting.",
        f"{org}: rapporten for {name} ble sendt inn av Sigurd Signatur.",
        f"{org}: Statsforvalteren har fattet vedtak om {name}.",
        f"{org}: søknaden om {name} ble sendt inn av Sigurd Signatur.",
    ]
    assert inbox_for(stavanger_signatory).events == []


def test_the_start_page_shows_the_inbox_with_its_links(client, trondheim, grant_round, editor):
    application = draft(trondheim, grant_round, editor)
    client.force_login(editor)

    page = client.get(reverse("home")).content.decode()

    assert '<h2 id="inbox-heading" class="h4">Venter på deg</h2>' in page
    assert f'href="{reverse("applications:edit", args=[application.pk])}"' in page
    assert "10 dager igjen." in page
    assert "Siste hendelser" in page


def _add_applications(organisation, user, years):
    """For each year an open round, and the organisation's application in it: sent in in
    even years, sent for signing in odd ones."""
    for year in years:
        application = draft(organisation, RoundFactory(year=year), user)
        if year % 2:
            application_services.application_request_signature(application=application,
                                                                user=user)
        else:
            application_services.application_update(
                application=application, user=user, header=complete_header(),
                competence=[competence_line()])
            application_services.application_submit(application=application, user=user)


#: the session, the memberships, the open rounds, the gates' and the inbox's reads
START_PAGE_QUERIES = 14


def _queries_of_start_page(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    return len(captured)


def test_the_start_page_reads_as_much_for_ten_applications_as_for_one(
        client, trondheim, signatory):
    start = timezone.now().year + 1
    _add_applications(trondheim, signatory, range(start, start + 1))
    client.force_login(signatory)
    client.get(reverse("home"))  # the content types' cache filled, as any earlier page does
    one = _queries_of_start_page(client)

    _add_applications(trondheim, signatory, range(start + 1, start + 10))
    ten = _queries_of_start_page(client)

    assert [i.kind for i in inbox_for(signatory).mine] == [TO_SIGN] * 5
    assert len(inbox_for(signatory).events) == 8
    assert one == ten == START_PAGE_QUERIES
