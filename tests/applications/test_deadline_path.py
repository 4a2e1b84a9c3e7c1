"""The deadline path: the receipt page shows the frozen submission at once while the PDF
copy is made elsewhere; a click on the copy before the worker made it makes it then; the
page's polling is answered by one indexed query, on a back-off schedule."""

import hashlib
import re
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from applications import services
from applications.documents import render_receipt
from applications.models import ReceiptDocument
from applications.tasks import render_receipt_pdf
from tests.applications.conftest import competence_line
from tilskudd.documents.jobs import DocumentStatus, render_now
from tilskudd.documents.polling import POLL_SCHEDULE


@pytest.fixture
def pending(draft, editor, signatory, monkeypatch, django_capture_on_commit_callbacks):
    """A submitted application whose PDF job the worker has not run yet."""
    monkeypatch.setattr(ReceiptDocument, "enqueue_on_commit", lambda job: None)
    services.application_update(application=draft, user=editor,
                                competence=[competence_line()])
    with django_capture_on_commit_callbacks(execute=True):
        return services.application_submit(application=draft, user=signatory)


def status_url_of(html: str) -> str:
    return re.search(r'data-status-url="([^"]+)"', html).group(1)


def stored_files(media_root) -> list[Path]:
    return [p for p in Path(media_root).rglob("*.pdf")]


def test_receipt_page_shows_the_submission_at_once_and_offers_the_pdf_while_it_is_made(
    client, signatory, pending
):
    client.force_login(signatory)

    html = client.get(reverse("applications:receipt", args=[pending.reference])).content.decode()

    assert pending.reference in html
    assert "PDF-kopien lages …" in html
    pdf_url = reverse("applications:receipt_pdf", args=[pending.reference])
    assert (f'<a href="{pdf_url}" id="pdf-now" data-again-text="Prøv å lage PDF-kopien igjen">'
            "Hent PDF-kopien nå</a>") in html
    assert 'data-poll-schedule="2,4,8,16,30,30,30,30,30,30,30,30"' in html
    assert ReceiptDocument.objects.get().status == DocumentStatus.PENDING


def test_the_poll_schedule_backs_off_and_stops_after_twelve_questions():
    assert POLL_SCHEDULE[:4] == (2, 4, 8, 16)
    assert all(later >= earlier for earlier, later in zip(POLL_SCHEDULE, POLL_SCHEDULE[1:],
                                                          strict=False))
    assert len(POLL_SCHEDULE) == 12
    assert max(POLL_SCHEDULE) == 30


def test_a_pdf_clicked_before_the_worker_made_it_is_made_then_and_once(
    client, signatory, pending, settings
):
    client.force_login(signatory)

    response = client.get(reverse("applications:receipt_pdf", args=[pending.reference]))

    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    job = ReceiptDocument.objects.get()
    assert job.status == DocumentStatus.READY
    assert response["X-Content-SHA256"] == job.sha256 == hashlib.sha256(body).hexdigest()
    assert job.attempts == 0  # the worker's attempts are left for the worker
    # ... and the worker's run later finds it made and writes nothing more
    assert render_receipt_pdf(job.pk) == DocumentStatus.READY
    assert len(stored_files(settings.MEDIA_ROOT)) == 1


def test_a_pdf_that_cannot_be_made_on_the_spot_is_left_for_the_worker(
    client, signatory, pending, monkeypatch, settings
):
    def broken(job):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("applications.documents.render_receipt", broken)
    client.force_login(signatory)

    response = client.get(reverse("applications:receipt_pdf", args=[pending.reference]))

    # a calm page that says to try again (tests/tilskudd/test_storage_down.py), not a 404
    assert response.status_code == 503
    assert "Prøv igjen om litt." in response.content.decode()
    job = ReceiptDocument.objects.get()
    assert (job.status, job.attempts, job.error, job.file.name) == (DocumentStatus.PENDING, 0,
                                                                     "", "")
    assert stored_files(settings.MEDIA_ROOT) == []


def test_someone_else_cannot_have_the_pdf_made(client, pending, settings):
    from tests.tilskudd.factories import OrganisationFactory, member
    from tilskudd.models import MembershipRole

    bergen = OrganisationFactory(name="Bergen kommune", org_number="964338531",
                                 municipality_number="4601")
    client.force_login(member(bergen, MembershipRole.SIGNATORY))

    response = client.get(reverse("applications:receipt_pdf", args=[pending.reference]))

    assert response.status_code == 404
    assert ReceiptDocument.objects.get().status == DocumentStatus.PENDING
    assert stored_files(settings.MEDIA_ROOT) == []


def test_the_status_poll_costs_one_indexed_query(
    client, signatory, pending, django_assert_num_queries
):
    client.force_login(signatory)
    url = status_url_of(client.get(
        reverse("applications:receipt", args=[pending.reference])).content.decode())

    with django_assert_num_queries(1):
        waiting = client.get(url, headers={"X-Requested-With": "fetch"})
    render_receipt_pdf(pending.receipt.pk)
    with django_assert_num_queries(1):
        ready = client.get(url, headers={"X-Requested-With": "fetch"})

    assert waiting.json() == {"status": "pending", "url": "", "sha256": ""}
    job = ReceiptDocument.objects.get()
    assert ready.json() == {
        "status": "ready", "sha256": job.sha256,
        "url": reverse("applications:receipt_pdf", args=[pending.reference]),
    }
    assert "no-store" in ready["Cache-Control"]


def test_the_status_url_answers_only_the_session_it_was_given_to(
    client, signatory, pending, django_assert_num_queries
):
    from django.test import Client

    client.force_login(signatory)
    url = status_url_of(client.get(
        reverse("applications:receipt", args=[pending.reference])).content.decode())
    other = Client()
    other.force_login(signatory)  # the same person in another browser: a new session

    with django_assert_num_queries(0):
        assert other.get(url).status_code == 404
        assert Client().get(url).status_code == 404
        assert client.get(url.replace("/status/", "x/status/")).status_code == 404


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("given_up", [False, True])
def test_two_clicks_at_once_make_one_file(
    draft, editor, signatory, monkeypatch, settings, given_up
):
    # Given a pending receipt, or one whose job gave up (the storage refused its three
    # attempts), and a renderer that counts its runs
    monkeypatch.setattr(ReceiptDocument, "enqueue_on_commit", lambda job: None)
    services.application_update(application=draft, user=editor,
                                competence=[competence_line()])
    submission = services.application_submit(application=draft, user=signatory)
    runs = []

    def counting(job):
        runs.append(job.pk)
        return render_receipt(job)

    monkeypatch.setattr("applications.documents.render_receipt", counting)
    job = ReceiptDocument.objects.get(submission=submission)
    if given_up:
        ReceiptDocument.objects.filter(pk=job.pk).update(
            status=DocumentStatus.FAILED, attempts=3, error="OSError: [Errno 28] No space")
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def click(i: int) -> None:
        try:
            barrier.wait()
            results[i] = render_now(ReceiptDocument.objects.get(pk=job.pk))
        finally:
            connection.close()

    # When two requests ask for it at the same moment
    threads = [threading.Thread(target=click, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # Then it is made once, stored once, and both get the same file
    assert runs == [job.pk]
    assert [r.status for r in results] == [DocumentStatus.READY] * 2
    assert results[0].file.name == results[1].file.name
    assert results[0].sha256 == results[1].sha256
    assert len(stored_files(settings.MEDIA_ROOT)) == 1
    # And a click counts no attempt of the worker's, and the old error is gone
    assert (results[0].attempts, results[0].error) == (3 if given_up else 0, "")
