"""A generated document (PDF or Excel) is a row: the Celery task takes the row's id,
is idempotent and safe to retry, and a periodic sweep re-enqueues rows left pending."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import ClassVar

from celery import current_app
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
SWEEP_AFTER = timedelta(minutes=2)


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("Lages")
    READY = "ready", _("Klar")
    FAILED = "failed", _("Feilet")


class DocumentJob(models.Model):
    """Abstract base: subclasses add the object the document is about and name their task."""

    task_name: ClassVar[str]

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

    def enqueue_on_commit(self) -> None:
        """Send the job to the worker once the surrounding transaction has committed."""
        model, pk = type(self), self.pk

        def send() -> None:
            model.objects.filter(pk=pk).update(enqueued_at=timezone.now())
            enqueue(model, pk)

        transaction.on_commit(send)


def enqueue(model: type[DocumentJob], pk: int) -> None:
    # Through the registered task (not send_task) so the embedded default runs it eagerly.
    current_app.tasks[model.task_name].delay(pk)


def run_document_job(
    model: type[DocumentJob],
    job_id: int,
    render: Callable[[DocumentJob], tuple[bytes, str]],
) -> str:
    """Render the document of one job row. A ready row is left as it is (idempotent).

    Raises on failure so the task can retry; after MAX_ATTEMPTS the row is marked failed."""
    with transaction.atomic():
        job = model.objects.select_for_update().get(pk=job_id)
        if job.status == DocumentStatus.READY:
            return job.status
        job.attempts += 1
        job.save(update_fields=["attempts"])
    try:
        content, filename = render(job)
    except Exception as exc:
        logger.exception("Document job %s %s failed", model.__name__, job_id)
        final = job.attempts >= MAX_ATTEMPTS
        model.objects.filter(pk=job_id).update(
            error=f"{type(exc).__name__}: {exc}"[:2000],
            status=DocumentStatus.FAILED if final else DocumentStatus.PENDING,
            finished_at=timezone.now() if final else None,
        )
        raise
    with transaction.atomic():
        job = model.objects.select_for_update().get(pk=job_id)
        if job.status == DocumentStatus.READY:  # another run finished first
            return job.status
        job.file.save(filename, ContentFile(content), save=False)
        job.sha256 = hashlib.sha256(content).hexdigest()
        job.status = DocumentStatus.READY
        job.error = ""
        job.finished_at = timezone.now()
        job.save()
    return job.status


def document_job_models() -> list[type[DocumentJob]]:
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, DocumentJob)]


def sweep_pending(now=None) -> int:
    """Re-enqueue jobs still pending after SWEEP_AFTER (a lost message loses nothing)."""
    now = now or timezone.now()
    count = 0
    for model in document_job_models():
        stale = model.objects.filter(status=DocumentStatus.PENDING).filter(
            models.Q(enqueued_at__lt=now - SWEEP_AFTER)
            | models.Q(enqueued_at__isnull=True, created_at__lt=now - SWEEP_AFTER)
        )
        for pk in stale.values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(enqueued_at=now)
            enqueue(model, pk)
            count += 1
    return count
