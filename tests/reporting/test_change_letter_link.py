"""The change request's decision letter, decided but not yet made by the worker, is linked
on the applicant's page and on the office's page, as the decision and case pages link a
pending letter: a click makes it on the spot (ChangeLetter.renderer). The office's staff may
fetch it; staff of another office may not."""

import pytest
from django.urls import reverse

from reporting.changes import services as change_services
from reporting.changes.models import ChangeLetter
from tilskudd.documents.jobs import DocumentStatus

from .change_helpers import accept, ask, recommended


@pytest.fixture
def decided(application, signatory, caseworker, approver, monkeypatch,
            django_capture_on_commit_callbacks):
    """A change request decided while no worker runs: its letter is pending."""
    accept(application, caseworker, signatory, django_capture_on_commit_callbacks)
    monkeypatch.setattr(ChangeLetter, "enqueue_on_commit", lambda job: None)
    change = recommended(ask(application, signatory), caseworker)
    change_services.change_request_decide(change_request=change, user=approver)
    change.refresh_from_db()
    assert change.letter.status == DocumentStatus.PENDING
    return change


def letter_url(change):
    return reverse("reporting:change_letter", args=[change.reference])


def test_the_applicants_page_links_the_pending_letter(decided, signatory, client):
    client.force_login(signatory)

    page = client.get(reverse("reporting:change_detail", args=[decided.reference]))

    html = page.content.decode()
    assert f'<a href="{letter_url(decided)}">Brev om vedtaket (PDF)</a>' in html
    assert "Klikk lenken for å få det nå" in html


def test_the_offices_page_links_the_pending_letter_and_a_click_makes_it(
        decided, caseworker, client, renders):
    client.force_login(caseworker)

    page = client.get(reverse("admin:reporting_changerequest_change", args=[decided.pk]))

    assert f'<a href="{letter_url(decided)}">Brev om vedtaket (PDF)</a>' in (
        page.content.decode())
    renders.clear()
    response = client.get(letter_url(decided))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    b"".join(response.streaming_content)
    decided.letter.refresh_from_db()
    assert decided.letter.status == DocumentStatus.READY
    assert renders == [1]


def test_a_ready_letter_is_linked_on_the_offices_page_with_its_checksum(
        decided, caseworker, signatory, client):
    client.force_login(signatory)
    b"".join(client.get(letter_url(decided)).streaming_content)  # made by the first click
    decided.letter.refresh_from_db()
    client.force_login(caseworker)

    html = client.get(reverse("admin:reporting_changerequest_change",
                              args=[decided.pk])).content.decode()

    assert f'<a href="{letter_url(decided)}">Brev om vedtaket (PDF)</a>' in html
    assert decided.letter.sha256 in html


def test_another_offices_staff_cannot_fetch_the_letter(decided, rogaland_caseworker, client,
                                                       renders):
    client.force_login(rogaland_caseworker)
    renders.clear()

    assert client.get(letter_url(decided)).status_code == 404
    assert renders == []
