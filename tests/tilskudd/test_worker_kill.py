"""A worker killed (SIGKILL) in the middle of a receipt PDF: another worker makes it, once.

Runs real `celery worker` processes over Redis on the PostgreSQL test database:
DATABASE_URL=postgres://... CELERY_BROKER_URL=redis://... pytest -m worker.

How the render is made slow without touching production code: the workers are started
with celery's `--include tests.tilskudd.slow_render`, a test-only module that wraps the
receipt render (a marker file per run, then a wait). The job goes to a queue of this test
only, so a worker started by another test (celery_worker_process) never takes it. The
workers get CELERY_VISIBILITY_TIMEOUT=10 in their environment: the message the killed
worker took but never acknowledged (acks_late) is put back by the next worker once it is
older than that, whatever this process was started with."""

import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from celery import current_app
from django.db import connection

from applications import services
from applications.models import ReceiptDocument
from tests.applications.conftest import bpa_line, competence_line, complete_header, project
from tests.tilskudd.factories import OrganisationFactory, RoundFactory, member
from tilskudd.documents import jobs
from tilskudd.documents.jobs import DocumentStatus
from tilskudd.models import MembershipRole

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

VISIBILITY_TIMEOUT = 10  # seconds, for the workers this test starts
RESTORE_INTERVAL = 10  # settings: CELERY_BROKER_TRANSPORT_OPTIONS["unacked_restore_interval"]


@pytest.fixture
def worker_env(settings):
    if settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("needs CELERY_BROKER_URL (a real broker)")
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("needs PostgreSQL, shared between the test and the workers")
    media_root = tempfile.mkdtemp(prefix="tilskudd-kill-media-")
    render_log = tempfile.mkdtemp(prefix="tilskudd-kill-renders-")
    settings.MEDIA_ROOT = media_root
    return {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "DJANGO_MEDIA_ROOT": media_root,
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "TILSKUDD_TEST_RENDER_LOG": render_log,
        "TILSKUDD_TEST_RENDER_DELAY": "120",  # the first attempt; the test kills it sooner
    }


@pytest.fixture
def workers():
    """Starts workers in their own process group, so a kill takes the whole worker; stops
    what is left at the end."""
    started: list[subprocess.Popen] = []

    def start(env: dict, queue: str, *, pool: str = "solo") -> subprocess.Popen:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tilskudd", "worker", f"--pool={pool}",
             "--concurrency=1",
             "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "-Q", queue, "--include", "tests.tilskudd.slow_render",
             "-n", f"kill-{len(started)}-{uuid.uuid4().hex[:6]}@%h"],
            env=env,
            start_new_session=True,
        )
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    pytest.fail(f"waited {timeout} s for {what}")


def submit_application():
    org = OrganisationFactory()
    signatory = member(org, MembershipRole.SIGNATORY)
    application = services.application_start(organisation=org, round=RoundFactory(),
                                             user=signatory)
    services.application_update(application=application, user=signatory,
                                header=complete_header(), competence=[competence_line()],
                                bpa=[bpa_line()], projects=[project()])
    return services.application_submit(application=application, user=signatory)


def send_to_own_queue(monkeypatch) -> str:
    queue = f"kill-test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(jobs, "enqueue", lambda model, pk: current_app.tasks[
        model.task_name].apply_async(args=[pk], queue=queue))
    return queue


def wait_until_made(job, timeout: float) -> None:
    def done():
        job.refresh_from_db()
        return job.status != DocumentStatus.PENDING

    wait_for(done, timeout, "the PDF")
    assert job.status == DocumentStatus.READY, job.error


def assert_made_once(job, renders: Path, media_root: str) -> None:
    """Two runs (the killed one and the next), one file, the checksum of that file."""
    time.sleep(2)  # a third delivery, if there were one, would have started by now
    job.refresh_from_db()
    assert job.attempts == 2
    runs = sorted(p.name.rsplit("-", 1)[0] for p in renders.iterdir())
    assert runs == [f"{job.pk}-1", f"{job.pk}-2"]
    files = [p for p in Path(media_root).rglob("*") if p.is_file()]
    assert [str(p.relative_to(media_root)) for p in files] == [job.file.name]
    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == job.sha256


def test_a_job_of_a_killed_worker_is_made_once_by_the_next(worker_env, workers, monkeypatch):
    # Given a receipt job sent, after commit as always, to this test's own queue
    queue = send_to_own_queue(monkeypatch)
    job = ReceiptDocument.objects.get(submission=submit_application())
    renders = Path(worker_env["TILSKUDD_TEST_RENDER_LOG"])

    # And a worker that takes it and is killed, all of it, in the middle of the render
    first = workers(worker_env, queue)
    wait_for(lambda: list(renders.iterdir()), 90, "the first worker to start rendering")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    killed_at = time.monotonic()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (DocumentStatus.PENDING, 1)

    # When a new worker starts
    workers(worker_env, queue)

    # Then it gets the message back after the visibility timeout and makes the PDF, once
    wait_until_made(job, VISIBILITY_TIMEOUT + RESTORE_INTERVAL + 30)
    assert time.monotonic() - killed_at < VISIBILITY_TIMEOUT + RESTORE_INTERVAL + 30
    assert_made_once(job, renders, worker_env["DJANGO_MEDIA_ROOT"])


def test_a_job_of_a_killed_pool_process_is_put_back_at_once(worker_env, workers, monkeypatch):
    # Given a receipt job on this test's own queue, and a prefork worker (as in production)
    queue = send_to_own_queue(monkeypatch)
    job = ReceiptDocument.objects.get(submission=submit_application())
    renders = Path(worker_env["TILSKUDD_TEST_RENDER_LOG"])
    workers(worker_env, queue, pool="prefork")

    # When the pool process rendering it is killed (as the OOM killer would)
    marker = wait_for(lambda: list(renders.iterdir()), 90, "the worker to start rendering")[0]
    os.kill(int(marker.name.rsplit("-", 1)[1]), signal.SIGKILL)
    killed_at = time.monotonic()

    # Then the worker puts the message back (reject_on_worker_lost), well before any
    # visibility timeout, and a new pool process makes the PDF, once
    wait_until_made(job, VISIBILITY_TIMEOUT)
    assert time.monotonic() - killed_at < VISIBILITY_TIMEOUT
    assert_made_once(job, renders, worker_env["DJANGO_MEDIA_ROOT"])
