"""A sent application's own page says where it stands, as its row in «Mine søknader»
does (applications.archive_views.standing): the status line with the amount granted, and
the other documents with their links; only to the organisation's members."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment import services as assessment_services
from tilskudd.models import OfficeRole

from .factories import office_staff
from .grants import decided, submitted, with_letter

pytestmark = pytest.mark.django_db


def standing(page: str) -> str:
    """The page's «Slik står saken» section."""
    found = re.search(r'<section id="section-standing".*?</section>', page, re.S)
    assert found, "no «Slik står saken» section"
    return found[0]


def status_line(html: str, tag: str) -> tuple[str, str]:
    stage, text = re.search(rf'<{tag} class="grant-status" data-stage="(\w+)">(.*?)</{tag}>',
                            html, re.S).groups()
    return stage, re.sub(r"<[^>]+>", "|", text).strip("|")


def archive_documents_cell(archive: str) -> str:
    """The «Andre dokumenter» cell of the archive's one row."""
    cells = re.findall(r"<td>\n(.*?)</td>\n", re.search(r"<tbody>(.*?)</tbody>", archive,
                                                        re.S)[1], re.S)
    return cells[1]  # after «Referanse og kvittering»


def test_a_decided_applications_page_says_innvilget_with_the_letter_and_the_decision(
        client, trondheim, grant_round, signatory, caseworker, approver, budget,
        django_capture_on_commit_callbacks):
    application = submitted(trondheim, grant_round, signatory)
    case = with_letter(decided(application, caseworker, approver), caseworker,
                       django_capture_on_commit_callbacks)
    letter = case.letters.get()
    client.force_login(signatory)

    page = client.get(reverse("applications:edit", args=[application.pk])).content.decode()
    archive = client.get(reverse("applications:archive")).content.decode()

    part = standing(page)
    assert '<h2 id="standing-heading" class="h4">Slik står saken</h2>' in part
    assert status_line(part, "dd") == ("granted", "Innvilget kr\u00a060\u00a0000")
    assert status_line(part, "dd") == status_line(archive, "td")
    assert f'<a href="{reverse("assessment:letter", args=[letter.pk])}">' \
           "Tilskuddsbrev, versjon 1</a>" in part
    assert f'<a href="{reverse("assessment:decision", args=[application.pk])}" ' \
           'class="d-block">Aksepter tilskuddet</a>' in part
    assert letter.sha256 in part
    # the same documents as the archive's row, written out by the same code
    assert f"<dd>{archive_documents_cell(archive)}</dd>" in part
    # One status on the page: the facts at the top leave it to «Slik står saken», so a
    # «Status: Sendt inn» above does not contradict the «Innvilget» under it
    assert page.count(">Status</dt>") == 1


def test_an_undecided_applications_page_says_what_the_archive_says_for_its_stage(
        client, trondheim, grant_round, signatory, caseworker):
    application = submitted(trondheim, grant_round, signatory)
    client.force_login(signatory)
    url = reverse("applications:edit", args=[application.pk])

    sent = standing(client.get(url).content.decode())
    assessment_services.assessment_open(application=application, user=caseworker)
    opened = standing(client.get(url).content.decode())
    archive = client.get(reverse("applications:archive")).content.decode()

    assert status_line(sent, "dd") == ("submitted", "Sendt inn")
    assert status_line(opened, "dd") == ("in_assessment", "Under behandling")
    assert status_line(opened, "dd") == status_line(archive, "td")
    assert "Andre dokumenter" not in sent + opened  # nothing made yet: no empty list


def test_the_standing_is_translated(client, settings, trondheim, grant_round, signatory,
                                    caseworker, approver, budget):
    application = submitted(trondheim, grant_round, signatory)
    decided(application, caseworker, approver)
    client.force_login(signatory)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    part = standing(client.get(reverse("applications:edit", args=[application.pk]))
                    .content.decode())

    assert "Where the application stands" in part
    assert status_line(part, "dd") == ("granted", "Granted NOK\u00a060\u00a0000")


@pytest.mark.parametrize("who", ["another organisation's member",
                                 "another office's caseworker", "the office's caseworker"])
def test_another_organisations_member_gets_404_and_nothing_is_written(
        client, trondheim, grant_round, signatory, caseworker, approver, budget,
        stavanger_signatory, django_capture_on_commit_callbacks, who):
    """Only the organisation's members see the page; the office's staff are none of them."""
    application = submitted(trondheim, grant_round, signatory)
    with_letter(decided(application, caseworker, approver), caseworker,
                django_capture_on_commit_callbacks)
    client.force_login({
        "another organisation's member": stavanger_signatory,
        "another office's caseworker": office_staff(
            stavanger_signatory.memberships.get().organisation.office, OfficeRole.CASEWORKER,
            email="saksbehandler@sfro.example.no"),
        "the office's caseworker": caseworker,
    }[who])

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("applications:edit", args=[application.pk]))

    assert response.status_code == 404
    assert "Innvilget" not in response.content.decode()
    assert [q["sql"] for q in queries
            if q["sql"].lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}] == []
