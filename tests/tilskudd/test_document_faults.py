"""Document jobs under faults: a broker that cannot be reached at submit, a PDF that cannot
be stored (full disk, media folder that cannot be written), a database that fails after
the file was written, and runs that died. Eager Celery, SQLite."""

import errno
import hashlib
import logging
import os
from datetime import timedelta

import pytest
from celery import current_app
from django.core.files.storage import FileSystemStorage
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from applications import services
from applications.models import ReceiptDocument, Submission
from tests.applications.conftest import bpa_line, competence_line, complete_header, project
from tests.tilskudd.factories import OrganisationFactory, RoundFactory, member
from tilskudd.documents import jobs
from tilskudd.documents.jobs import MAX_ATTEMPTS, SWEEP_AFTER, DocumentStatus, run_document_job
from tilskudd.models import MembershipRole

FAILED_TEXT = (
    "PDF-kopien kunne ikke lages. Søknaden er sendt inn og lagret, og kvitteringen med "
    "referansenummeret over gjelder. Feilen er meldt til driften av portalen."
)
ENOSPC = "OSError: [Errno 28] No space left on device"


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def signatory(organisation):
    return member(organisation, MembershipRole.SIGNATORY)


@pytest.fixture
def draft(organisation, signatory):
    application = services.application_start(
        organisation=organisation, round=RoundFactory(), user=signatory
    )
    return services.application_update(
        application=application, user=signatory, header=complete_header(),
        competence=[competence_line()], bpa=[bpa_line()], projects=[project()],
    )


@pytest.fixture
def signatory_client(client, signatory):
    client.force_login(signatory)
    return client


@pytest.fixture
def submit(draft, signatory, django_capture_on_commit_callbacks):
    def submit() -> Submission:
        with django_capture_on_commit_callbacks(execute=True):
            return services.application_submit(application=draft, user=signatory)

    return submit



def files_under(root) -> list[str]:
    return [os.path.join(folder, name) for folder, _, names in os.walk(root) for name in names]


def receipt_task():
    return current_app.tasks[ReceiptDocument.task_name]


def test_a_broker_that_cannot_be_reached_does_not_break_the_submit(
    signatory_client, draft, monkeypatch, django_capture_on_commit_callbacks, caplog,
    mailoutbox,
):
    # Given a broker that refuses every message
    def unreachable(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as patch:
        patch.setattr(receipt_task(), "delay", unreachable)

        # When the signatory submits
        with django_capture_on_commit_callbacks(execute=True):
            response = signatory_client.post(reverse("applications:submit", args=[draft.pk]))

    # Then the application is submitted and the receipt says the PDF is being made
    submission = Submission.objects.get(application=draft)
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:receipt", args=[submission.reference])
    page = signatory_client.get(response["Location"]).content.decode()
    assert "PDF-kopien lages …" in page
    # The hooks after it still ran: the receipt e-mail went out
    assert [m.subject for m in mailoutbox] == [
        f"Kvittering: søknad sendt inn ({submission.reference})"
    ]
    job = ReceiptDocument.objects.get(submission=submission)
    assert (job.status, job.enqueued_at, job.attempts) == (DocumentStatus.PENDING, None, 0)
    assert [r.levelname for r in caplog.records if r.name == "tilskudd.documents.jobs"] == [
        "ERROR"
    ]

    # And when the broker is back, the sweep sends it and the PDF is made
    later = timezone.now() + SWEEP_AFTER + timedelta(minutes=1)
    assert jobs.sweep_pending(now=later) == 1
    job.refresh_from_db()
    assert (job.status, job.attempts, job.enqueued_at) == (DocumentStatus.READY, 1, later)
    assert job.file.read().startswith(b"%PDF")


def test_the_sweep_stops_at_a_broker_that_cannot_be_reached(submit, monkeypatch):
    # Given a job left pending
    job = submit().receipt
    ReceiptDocument.objects.filter(pk=job.pk).update(
        status=DocumentStatus.PENDING, enqueued_at=None, file="", sha256=""
    )

    def unreachable(*args, **kwargs):
        raise OperationalError("Connection refused.")

    monkeypatch.setattr(receipt_task(), "delay", unreachable)

    # When the sweep runs while the broker is down
    sent = jobs.sweep_pending(now=timezone.now() + SWEEP_AFTER + timedelta(minutes=1))

    # Then nothing is counted as sent and the row still waits for the next sweep
    job.refresh_from_db()
    assert sent == 0
    assert (job.status, job.enqueued_at) == (DocumentStatus.PENDING, None)


def test_a_full_disk_fails_the_job_visibly_and_leaves_no_file(
    submit, full_disk, settings, signatory_client, caplog
):
    # When the application is submitted and every attempt to store the PDF fills the disk
    submission = submit()

    # Then the task stopped after MAX_ATTEMPTS and the row says why
    job = ReceiptDocument.objects.get(submission=submission)
    assert len(full_disk.tried) == MAX_ATTEMPTS
    assert (job.status, job.attempts, job.error) == (DocumentStatus.FAILED, MAX_ATTEMPTS, ENOSPC)
    assert job.finished_at is not None
    assert (job.file.name, job.sha256) == ("", "")
    # No half-written file is left
    assert files_under(settings.MEDIA_ROOT) == []
    # The operators are told
    errors = [r.getMessage() for r in caplog.records
              if r.name == "tilskudd.documents.jobs" and r.levelno == logging.ERROR]
    assert errors == [
        f"Document job ReceiptDocument {job.pk} failed after {MAX_ATTEMPTS} attempts: {ENOSPC}"
    ]

    # And the receipt page and its polling answer say it failed
    page = signatory_client.get(reverse("applications:receipt", args=[submission.reference]))
    state = signatory_client.get(
        reverse("applications:receipt_status", args=[submission.reference]),
        headers={"X-Requested-With": "fetch"},
    )
    html = page.content.decode()
    assert 'data-status="failed"' in html
    assert FAILED_TEXT in html
    assert "PDF-kopien lages" not in html
    assert state.json() == {"status": "failed", "url": "", "sha256": ""}


def test_a_media_folder_that_cannot_be_written_fails_the_job(submit, settings, tmp_path):
    # Given a media folder that cannot be created (its parent is a file; tests run as root,
    # so a read-only folder would not stop the writes)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker / "media"

    # When the application is submitted
    job = submit().receipt

    # Then the job failed with the storage's error after MAX_ATTEMPTS
    job.refresh_from_db()
    assert (job.status, job.attempts) == (DocumentStatus.FAILED, MAX_ATTEMPTS)
    assert job.error.startswith(("FileExistsError: ", "NotADirectoryError: "))
    assert files_under(tmp_path) == [str(blocker)]


def test_a_database_error_after_the_file_was_written_deletes_the_file(
    submit, settings, monkeypatch
):
    # Given a database that fails when the ready row is saved
    def broken_save(self, *args, **kwargs):
        if self.status == DocumentStatus.READY:
            raise DatabaseError("server closed the connection unexpectedly")
        return original_save(self, *args, **kwargs)

    original_save = ReceiptDocument.save
    monkeypatch.setattr(ReceiptDocument, "save", broken_save)

    # When the application is submitted
    job = submit().receipt

    # Then the file written on each attempt was deleted again
    job.refresh_from_db()
    assert (job.status, job.attempts) == (DocumentStatus.FAILED, MAX_ATTEMPTS)
    assert job.error == "DatabaseError: server closed the connection unexpectedly"
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_storage_error_that_passes_is_retried_into_a_ready_pdf(submit, monkeypatch, settings):
    # Given a disk that is full on the first attempt only
    original = FileSystemStorage._save
    calls = []

    def full_once(self, name, content):
        calls.append(name)
        if len(calls) == 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return original(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", full_once)

    # When the application is submitted
    job = submit().receipt

    # Then the retry made it, and only its file exists
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == (DocumentStatus.READY, 2, "")
    assert files_under(settings.MEDIA_ROOT) == [os.path.join(settings.MEDIA_ROOT, job.file.name)]


def test_a_failed_job_is_not_run_again(submit, full_disk):
    job = submit().receipt
    rendered = []

    status = run_document_job(ReceiptDocument, job.pk, lambda j: rendered.append(j))

    job.refresh_from_db()
    assert status == DocumentStatus.FAILED
    assert rendered == []
    assert job.attempts == MAX_ATTEMPTS


def test_a_job_whose_runs_all_died_is_given_up(submit, caplog):
    # Given a job whose MAX_ATTEMPTS runs were killed before they could answer
    job = submit().receipt
    ReceiptDocument.objects.filter(pk=job.pk).update(
        status=DocumentStatus.PENDING, attempts=MAX_ATTEMPTS, file="", sha256="", error=""
    )
    rendered = []

    # When its message is delivered once more
    status = run_document_job(ReceiptDocument, job.pk, lambda j: rendered.append(j))

    # Then it is failed, not rendered a fourth time
    job.refresh_from_db()
    assert status == DocumentStatus.FAILED
    assert rendered == []
    assert (job.status, job.attempts) == (DocumentStatus.FAILED, MAX_ATTEMPTS)
    assert job.error == (
        f"WorkerLost: {MAX_ATTEMPTS} attempts ended without an answer (the worker stopped)."
    )


@pytest.mark.parametrize("name", [
    "applications.tasks.render_receipt_pdf",
    "assessment.tasks.render_allocation_letter",
    "reporting.tasks.render_report_receipt_pdf",
])
def test_document_tasks_survive_a_lost_worker_and_stop_at_max_attempts(name):
    task = current_app.tasks[name]

    assert (task.acks_late, task.reject_on_worker_lost) == (True, True)
    assert task.max_retries == MAX_ATTEMPTS - 1  # one run and two retries


def test_the_render_is_run_once_per_attempt_by_the_task(submit, monkeypatch):
    # Given a render that always fails
    job = submit().receipt
    ReceiptDocument.objects.filter(pk=job.pk).update(
        status=DocumentStatus.PENDING, attempts=0, file="", sha256=""
    )
    calls = []

    def broken(j):
        calls.append(j.attempts)
        raise RuntimeError("Pango mangler")

    monkeypatch.setattr("applications.tasks.render_receipt", broken)

    # When the task runs (eagerly, with its retries)
    receipt_task().delay(job.pk)

    # Then it rendered MAX_ATTEMPTS times and gave up
    job.refresh_from_db()
    assert calls == [1, 2, 3]
    assert (job.status, job.error) == (DocumentStatus.FAILED, "RuntimeError: Pango mangler")


def test_a_stored_pdf_is_one_whole_file_with_its_checksum(submit, settings):
    job = submit().receipt

    job.refresh_from_db()
    data = job.file.read()
    assert job.status == DocumentStatus.READY
    assert files_under(settings.MEDIA_ROOT) == [os.path.join(settings.MEDIA_ROOT, job.file.name)]
    assert hashlib.sha256(data).hexdigest() == job.sha256
    assert data.startswith(b"%PDF")
    assert data.rstrip().endswith(b"%%EOF")


def test_the_celery_app_takes_the_broker_options_from_the_settings(settings):
    options = current_app.conf.broker_transport_options

    assert options == settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert options["visibility_timeout"] > settings.CELERY_TASK_TIME_LIMIT
    assert (options["unacked_restore_interval"], options["unacked_restore_throttle"]) == (10, 1)


UNAVAILABLE_TEXT = ("Dokumentet er lagret, men lagringen svarer ikke akkurat nå. Ingenting "
                    "er endret. Prøv igjen om litt.")


@pytest.fixture
def storage_down(monkeypatch):
    """A storage that cannot be read: every FieldFile.open fails as a broken disk does."""
    from django.db.models.fields.files import FieldFile

    def down(self, mode="rb"):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(FieldFile, "open", down)


def test_a_receipt_the_storage_cannot_give_gets_a_calm_503_and_no_download_row(
    submit, signatory_client, storage_down, caplog
):
    from tilskudd.audit import AuditAction, AuditEvent
    submission = submit()
    submission.receipt.refresh_from_db()
    assert submission.receipt.is_ready
    signatory_client.raise_request_exception = False

    with caplog.at_level(logging.ERROR, logger="tilskudd.documents.responses"):
        response = signatory_client.get(
            reverse("applications:receipt_pdf", args=[submission.reference]))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert UNAVAILABLE_TEXT in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.DOCUMENT_DOWNLOAD).exists()
    assert "The storage did not give" in caplog.text


def test_the_page_is_in_the_users_language_and_a_script_gets_json(
    submit, signatory_client, storage_down
):
    submission = submit()
    url = reverse("applications:receipt_pdf", args=[submission.reference])

    english = signatory_client.get(url, headers={"Accept-Language": "en"})
    script = signatory_client.get(url, headers={"X-Requested-With": "fetch"})

    assert english.status_code == 503
    assert ("The document is stored, but the storage is not answering right now. Nothing "
            "has changed. Try again shortly.") in english.content.decode()
    assert (script.status_code, script.json()["code"]) == (503, "unavailable")


def test_an_s3_fault_is_a_storage_error_once_botocore_is_loaded():
    from botocore.exceptions import EndpointConnectionError

    from tilskudd.documents.responses import storage_fault

    assert storage_fault(EndpointConnectionError(endpoint_url="http://s3")) == "transient"
