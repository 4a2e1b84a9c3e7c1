"""The Celery task that makes a change request's decision letter (imported by
reporting.tasks, which Celery finds)."""

from __future__ import annotations

from celery import shared_task

from tilskudd.documents.jobs import DOCUMENT_TASK_OPTIONS, run_document_job

from .letters import render_change_letter
from .models import ChangeLetter


@shared_task(name=ChangeLetter.task_name, **DOCUMENT_TASK_OPTIONS)
def render_change_letter_pdf(job_id: int) -> str:
    return run_document_job(ChangeLetter, job_id, render_change_letter)
