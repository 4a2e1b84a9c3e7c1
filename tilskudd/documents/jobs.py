"""A generated document (PDF or Excel) is a row: the Celery task takes the row's id,
is idempotent and safe to retry, and a periodic sweep re-enqueues rows left pending.

What can go wrong, and what then happens:
- The broker is unreachable when the job is enqueued: the error is logged, the request goes
  on, the row stays pending with enqueued_at unset, and the sweep sends it later.
- Rendering or storing the file fails: the error is kept on the row and the task retries;
  after MAX_ATTEMPTS the row is failed (logged at ERROR, for the operators) and no partial
  file is left behind. A person who then asks for the document has it made on the spot
  (render_now), so a storage that was down for every attempt loses nothing once it is back.
- The worker is killed mid-way: the message was not acknowledged (acks_late), so the broker
  hands it to another worker (Redis: after the visibility timeout); a job whose runs keep
  dying is given up after MAX_ATTEMPTS like any other."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import timedelta
from operator import attrgetter
from typing import Any, ClassVar

from celery import current_app
from django.conf import settings
from django.core import checks
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from ..languages import letter_language
from ..storage import discard

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
SWEEP_AFTER = timedelta(minutes=2)

#: The Celery queue every document task goes to, served by its own worker pool (README,
#: docker-compose.yml), so rendering PDFs never holds up e-mail and the web's other work,
#: and web and documents can run on different hosts.
DOCUMENTS_QUEUE = "documents"

# The options of every document task (applications, assessment, reporting): on the
# documents queue, acknowledged only when done, put back on the queue when the worker
# process running it dies, retried on any error but a missing row, at most MAX_ATTEMPTS
# runs in all.
DOCUMENT_TASK_OPTIONS: dict[str, Any] = {
    "queue": DOCUMENTS_QUEUE,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (Exception,),
    "dont_autoretry_for": (ObjectDoesNotExist,),
    "retry_backoff": 5,
    "max_retries": MAX_ATTEMPTS - 1,
}


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("Lages")
    READY = "ready", _("Klar")
    FAILED = "failed", _("Feilet")


class DocumentJob(models.Model):
    """Abstract base: subclasses add the object the document is about and name their task."""

    task_name: ClassVar[str]
    #: The dotted path of the function that renders the document ((job) -> (bytes, file
    #: name)), for a subclass whose document is made on the spot when someone asks for it
    #: before the worker has (render_now); empty: the download waits for the worker.
    renderer: ClassVar[str] = ""

    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    file = models.FileField(_("fil"), upload_to="documents/%Y/%m/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("feilmelding"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("forsøk"), default=0)
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now)
    enqueued_at = models.DateTimeField(_("lagt i kø"), null=True, blank=True)
    finished_at = models.DateTimeField(_("ferdig"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_ready(self) -> bool:
        return self.status == DocumentStatus.READY

    def document_language(self) -> str:
        """The language the document is written in, whoever's request or worker makes it
        (tilskudd.languages): a job about a `submission` (a receipt) is in the language it
        was submitted in; a letter (LetterJob) is in its organisation's."""
        submission = getattr(self, "submission", None)
        return getattr(submission, "language", "") or settings.LANGUAGE_CODE

    def enqueue_on_commit(self) -> None:
        """Send the job to the worker once the surrounding transaction has committed.

        Never raises into the request: a broker that cannot be reached is logged, and the
        row stays pending with enqueued_at unset for the sweep to send later."""
        model, pk = type(self), self.pk
        transaction.on_commit(lambda: send(model, pk), robust=True)


class LetterJob(DocumentJob):
    """Abstract: a letter to an organisation (a decision, a change, a repayment claim),
    written in the organisation's own language form (språklova §15,
    tilskudd.languages.letter_language), not in that of whoever asks for it."""

    #: The path from the letter to the organisation it is written to, with dots:
    #: "claim.report.application.organisation".
    recipient: ClassVar[str]

    class Meta:
        abstract = True

    @classmethod
    def check(cls, **kwargs):
        # a concrete letter that forgot its recipient would fail only at its first render
        errors = super().check(**kwargs)
        if not isinstance(getattr(cls, "recipient", None), str):
            errors.append(checks.Error(
                f"{cls.__name__} does not name its recipient, the path to the organisation "
                "the letter is written to.", obj=cls, id="tilskudd.E101"))
        return errors

    def document_language(self) -> str:
        return letter_language(attrgetter(self.recipient)(self))


def enqueue(model: type[DocumentJob], pk: int) -> None:
    # Through the registered task (not send_task) so the embedded default runs it eagerly.
    current_app.tasks[model.task_name].delay(pk)


def send(model: type[DocumentJob], pk: int, *, now=None) -> bool:
    """Enqueue one job and note when; False (logged) if the broker could not take it."""
    try:
        enqueue(model, pk)
    except Exception:
        logger.exception(
            "Could not enqueue document job %s %s; the sweep sends it later", model.__name__, pk
        )
        return False
    model.objects.filter(pk=pk).update(enqueued_at=now or timezone.now())
    return True


def run_document_job(
    model: type[DocumentJob],
    job_id: int,
    render: Callable[[DocumentJob], tuple[bytes, str]],
) -> str:
    """Render and store the document of one job row. A ready row is left as it is
    (idempotent), and so is a failed one (given up).

    Raises on failure so the task can retry; the failure that uses up MAX_ATTEMPTS marks
    the row failed with its error."""
    with transaction.atomic():
        job = model.objects.select_for_update().get(pk=job_id)
        if job.status != DocumentStatus.PENDING:
            return job.status
        if job.attempts >= MAX_ATTEMPTS:  # the earlier runs died without a word
            return _give_up(model, job_id, job.attempts, _lost_error(job), exc_info=False)
        job.attempts += 1
        job.save(update_fields=["attempts"])
    try:
        with translation.override(job.document_language()):
            content, filename = render(job)
        return _store(model, job_id, content, filename)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if job.attempts >= MAX_ATTEMPTS:
            _give_up(model, job_id, job.attempts, error, exc_info=True)
        else:
            logger.warning("Document job %s %s failed (attempt %s of %s)",
                           model.__name__, job_id, job.attempts, MAX_ATTEMPTS, exc_info=True)
            model.objects.filter(pk=job_id).update(error=error)
        raise


def render_now(job: DocumentJob) -> DocumentJob:
    """The job's document made here and now for someone who asked for it before the worker
    made it (its model names a `renderer`), or after the worker gave up (the storage was
    down for all its attempts, say: it is tried once more when asked for), under the job's
    row lock from start to end, so two at once (or the worker at the same time) give one
    file: whoever waited for the lock finds the row ready. Returns the row as it then is; a
    render that fails is logged and leaves the row as it was (its attempts are not
    counted)."""
    model = type(job)
    if not model.renderer or job.status == DocumentStatus.READY:
        return job
    render = import_string(model.renderer)
    try:
        with transaction.atomic():
            locked = model.objects.select_for_update().get(pk=job.pk)
            if locked.status != DocumentStatus.READY:
                with translation.override(locked.document_language()):
                    content, filename = render(locked)
                _store(model, job.pk, content, filename)
                locked.refresh_from_db()
            return locked
    except Exception:
        # a pending one is left for the worker; a failed one waits for the next click
        logger.exception("Document job %s %s could not be made on demand (left %s)",
                         model.__name__, job.pk, job.status)
        return job


def _lost_error(job: DocumentJob) -> str:
    last = f" {job.error}" if job.error else ""
    return (f"WorkerLost: {job.attempts} attempts ended without an answer "
            f"(the worker stopped).{last}")[:2000]


def _give_up(
    model: type[DocumentJob], job_id: int, attempts: int, error: str, *, exc_info: bool
) -> str:
    """Mark the row failed and tell the operators: logged at ERROR."""
    model.objects.filter(pk=job_id, status=DocumentStatus.PENDING).update(
        status=DocumentStatus.FAILED, error=error, finished_at=timezone.now()
    )
    logger.error("Document job %s %s failed after %s attempts: %s",
                 model.__name__, job_id, attempts, error, exc_info=exc_info)
    return DocumentStatus.FAILED


def _store(model: type[DocumentJob], job_id: int, content: bytes, filename: str) -> str:
    """Save the file and mark the row ready, in one transaction; whatever was written is
    deleted again if anything fails, so a full disk leaves no truncated file behind."""
    field = model._meta.get_field("file")
    storage = field.storage
    written: list[str] = []
    try:
        with transaction.atomic():
            job = model.objects.select_for_update().get(pk=job_id)
            if job.status == DocumentStatus.READY:  # another run finished first
                return job.status
            # The name is chosen here, so a save that fails half-way is known to have
            # written under it. Only runs of this job write it, one at a time (row lock).
            name = storage.get_available_name(
                field.generate_filename(job, filename), max_length=field.max_length
            )
            written.append(name)
            stored = storage.save(name, ContentFile(content), max_length=field.max_length)
            written.append(stored)
            job.file.name = stored
            job.sha256 = hashlib.sha256(content).hexdigest()
            job.status = DocumentStatus.READY
            job.error = ""
            job.finished_at = timezone.now()
            job.save()
    except BaseException:
        for name in dict.fromkeys(written):
            discard(storage, name)
        raise
    return DocumentStatus.READY


def document_job_models() -> list[type[DocumentJob]]:
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, DocumentJob)]


def sweep_pending(now=None) -> int:
    """Re-enqueue jobs still pending after SWEEP_AFTER (a lost message loses nothing);
    stops at the first the broker refuses, for the next sweep to carry on."""
    now = now or timezone.now()
    count = 0
    for model in document_job_models():
        stale = model.objects.filter(status=DocumentStatus.PENDING).filter(
            models.Q(enqueued_at__lt=now - SWEEP_AFTER)
            | models.Q(enqueued_at__isnull=True, created_at__lt=now - SWEEP_AFTER)
        )
        for pk in stale.values_list("pk", flat=True):
            if not send(model, pk, now=now):
                return count
            count += 1
    return count
