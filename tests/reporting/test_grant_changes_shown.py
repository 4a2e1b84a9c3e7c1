"""An approved change request shows where the grant is shown: the applicant's «Vedtak» page
and the office's case page say the decision was changed, when, the lines' amounts before
and now and link the change's letter; a request still waiting shows on the case page by
its status only, and on the applicant's page not at all. Each page reads one query more
than without change requests, however many there are, and nobody else sees them.

Trondheim is granted competence 60 000 and 140 000 and BPA 60 000 (kr 260 000)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting.changes import services as change_services
from reporting.changes.models import ChangeLetter

from .change_helpers import accept, ask, recommended

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
#: After MOVE_40K (change_helpers): 140 000 -> 100 000 on «Fagbrev», 60 000 -> 100 000 on BPA.
SECOND = {("competence", 0): "50000", ("bpa", 0): "110000"}
THIRD = {("competence", 1): "90000", ("bpa", 0): "120000"}


def kr(amount: str) -> str:
    return f"kr{NBSP}{amount.replace(' ', NBSP)}"


@pytest.fixture
def grant(application, caseworker, signatory, monkeypatch, django_capture_on_commit_callbacks):
    """The grant accepted; letters of decided changes stay pending (no worker runs), and
    the pages link a pending letter (a click makes it)."""
    accept(application, caseworker, signatory, django_capture_on_commit_callbacks)
    monkeypatch.setattr(ChangeLetter, "enqueue_on_commit", lambda job: None)
    return application


def approve(application, signatory, caseworker, approver, amounts=None):
    change = recommended(ask(application, signatory, amounts), caseworker)
    return change_services.change_request_decide(change_request=change, user=approver)


def decision_url(application) -> str:
    return reverse("assessment:decision", args=[application.pk])


def case_url(application) -> str:
    return reverse("admin:assessment_submittedapplication_change", args=[application.pk])


def letter_link(change) -> str:
    url = reverse("reporting:change_letter", args=[change.reference])
    return f'<a href="{url}">'


def moved_rows(html: str) -> list[tuple[str, ...]]:
    table = re.search(r'<table[^>]*id="moved-lines".*?</table>', html, re.S).group(0)
    return [tuple(re.sub(r"<[^>]+>", "", cell).strip()
                  for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S))
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]


def queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_applicants_page_shows_the_approved_change_with_its_amounts_and_letter(
    client, grant, signatory, caseworker, approver, rogaland_signatory
):
    change = approve(grant, signatory, caseworker, approver)
    client.force_login(signatory)

    html = client.get(decision_url(grant)).content.decode()

    assert "Endret vedtak" in html
    assert re.search(rf"Vedtaket ble endret \d+\. \w+ \d{{4}}: endringssøknad "
                     rf"{change.reference} ble innvilget\.", html)
    assert letter_link(change) + "Brev om endringssøknaden (PDF)</a>" in html
    assert moved_rows(html) == [
        ("Del", "Tiltak", "Innvilget i vedtaket", "Innvilget nå"),
        ("Kompetansetiltak", "Videregående opplæring / fagbrev (f.eks. helsefagarbeider): "
         "4 ansatte", kr("140 000"), kr("100 000")),
        ("BPA-opplæring", "2 arbeidsledere (brukere)", kr("60 000"), kr("100 000")),
        ("Sum", kr("200 000"), kr("200 000")),
    ]
    # and another organisation's member finds neither the page nor the letter, as before
    client.force_login(rogaland_signatory)
    assert client.get(decision_url(grant)).status_code == 404
    assert client.get(reverse("reporting:change_letter",
                              args=[change.reference])).status_code == 404


def test_the_case_page_shows_the_approved_change_with_its_amounts_and_letter(
    client, grant, signatory, caseworker, approver, rogaland_caseworker
):
    change = approve(grant, signatory, caseworker, approver)
    client.force_login(caseworker)

    html = client.get(case_url(grant)).content.decode()

    section = re.search(r'id="change-requests".*?</div>', html, re.S).group(0)
    assert change.reference in section and "Innvilget" in section
    assert f"Vedtaket er endret: endringssøknad {change.reference} ble innvilget" in section
    assert letter_link(change) + "Brev om endringssøknaden (PDF)</a>" in section
    assert [row[2:] for row in moved_rows(section)[1:-1]] == [
        (kr("140 000"), kr("100 000")), (kr("60 000"), kr("100 000")),
    ]
    # and another office's staff find neither the case nor the letter
    client.force_login(rogaland_caseworker)
    assert change.reference not in client.get(case_url(grant), follow=True).content.decode()
    assert client.get(reverse("reporting:change_letter",
                              args=[change.reference])).status_code == 404


def test_a_change_waiting_shows_on_the_case_page_by_status_and_changes_no_grant(
    client, grant, signatory, caseworker
):
    change = recommended(ask(grant, signatory), caseworker)

    client.force_login(signatory)
    applicant = client.get(decision_url(grant)).content.decode()
    client.force_login(caseworker)
    office = client.get(case_url(grant)).content.decode()

    assert "Endret vedtak" not in applicant and change.reference not in applicant
    assert 'id="moved-lines"' not in applicant
    section = re.search(r'id="change-requests".*?</div>', office, re.S).group(0)
    assert change.reference in section
    assert "Innstilt, venter på godkjenning" in section
    assert "Vedtaket er endret" not in section and 'id="moved-lines"' not in section
    assert "Brev om endringssøknaden" not in section


def test_after_three_changes_the_pages_show_the_decision_and_the_newest_amounts(
    client, grant, signatory, caseworker, approver
):
    changes = [approve(grant, signatory, caseworker, approver, amounts)
               for amounts in (None, SECOND, THIRD)]
    client.force_login(signatory)

    html = client.get(decision_url(grant)).content.decode()

    assert [row[2:] for row in moved_rows(html)[1:-1]] == [
        (kr("60 000"), kr("50 000")), (kr("140 000"), kr("90 000")),
        (kr("60 000"), kr("120 000")),
    ]
    assert moved_rows(html)[-1] == ("Sum", kr("260 000"), kr("260 000"))
    assert all(letter_link(change) in html for change in changes)


def test_the_pages_read_one_query_more_with_one_change_or_three(
    client, grant, signatory, caseworker, approver
):
    # Given the pages' queries before any change request
    client.force_login(signatory)
    decision_before = queries(client, decision_url(grant))
    client.force_login(caseworker)
    case_before = queries(client, case_url(grant))
    found = []

    # When one change, then three, are approved
    for amounts in (None, SECOND, THIRD):
        approve(grant, signatory, caseworker, approver, amounts)
        client.force_login(signatory)
        found.append(queries(client, decision_url(grant)))
        client.force_login(caseworker)
        found.append(queries(client, case_url(grant)))

    # Then each page reads one query more than it did before change requests were shown
    # (7 and 40; the query runs always), as many with three as with one; the case page's
    # pot reads one more once a change is approved (amounts.granted_changes), as it did
    assert (decision_before, case_before) == (8, 41)
    assert found == [8, 42] * 3


#: Moves all three lines of the grant as THIRD left it (50 000, 90 000, 120 000).
ALL_THREE = {("competence", 0): "60000", ("competence", 1): "100000", ("bpa", 0): "100000"}


def test_the_case_page_reads_as_many_queries_while_a_change_waits_after_one_change_or_three(
    client, grant, signatory, caseworker, approver
):
    # Given one change approved and a second, moving two lines, recommended for approval
    approve(grant, signatory, caseworker, approver)
    waiting = recommended(ask(grant, signatory, SECOND), caseworker)
    client.force_login(caseworker)
    after_one = queries(client, case_url(grant))

    # When it and a third are approved and a fourth, moving all three lines, waits
    change_services.change_request_decide(change_request=waiting, user=approver)
    approve(grant, signatory, caseworker, approver, THIRD)
    recommended(ask(grant, signatory, ALL_THREE), caseworker)
    client.force_login(caseworker)
    after_three = queries(client, case_url(grant))

    # Then the case page reads as many queries as with one approved change and none waiting
    # (42, test_the_pages_read_one_query_more_with_one_change_or_three), whatever waits
    assert (after_one, after_three) == (42, 42)
