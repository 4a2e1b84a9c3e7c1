"""Every document job goes to the Celery queue `documents`, which a worker pool of its own
serves (README, docker-compose.yml); everything else stays on the default queue."""

from tilskudd.celery import app
from tilskudd.documents.jobs import DOCUMENTS_QUEUE, document_job_models


def queue_of(task_name: str) -> str:
    task = app.tasks[task_name]
    return app.amqp.router.route(dict(task._get_exec_options()), task.name, (1,), {},
                                 task)["queue"].name


def test_every_document_task_is_routed_to_the_documents_queue():
    names = {model.task_name for model in document_job_models()}

    assert {"applications.tasks.render_receipt_pdf", "reporting.tasks.render_report_receipt_pdf",
            "assessment.tasks.render_allocation_letter"} <= names
    assert {name: queue_of(name) for name in names} == dict.fromkeys(names, "documents")
    assert DOCUMENTS_QUEUE == "documents"


def test_e_mail_and_the_sweeps_stay_on_the_default_queue():
    assert queue_of("tilskudd.tasks.send_outbox_email") == "celery"
    assert queue_of("tilskudd.tasks.sweep_pending_documents") == "celery"
    assert queue_of("tilskudd.tasks.sweep_pending_emails") == "celery"
