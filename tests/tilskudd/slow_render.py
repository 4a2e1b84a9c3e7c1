"""Test-only: loaded into the worker processes that test_worker_kill.py starts, through
celery's own `worker --include tests.tilskudd.slow_render` (production never imports it).

The receipt task looks its render up at call time (applications.tasks.render_receipt), so
this wraps it: each run first leaves a marker file in $TILSKUDD_TEST_RENDER_LOG (named by
job, attempt and process id), and the first attempt then waits $TILSKUDD_TEST_RENDER_DELAY
seconds, so the test knows when a render is under way, and which process to kill in the
middle of it."""

import os
import time
from pathlib import Path

import applications.tasks

_render = applications.tasks.render_receipt


def slow_render(job):
    marker = Path(os.environ["TILSKUDD_TEST_RENDER_LOG"]) / f"{job.pk}-{job.attempts}-{os.getpid()}"
    marker.touch()
    if job.attempts == 1:
        time.sleep(float(os.environ["TILSKUDD_TEST_RENDER_DELAY"]))
    return _render(job)


applications.tasks.render_receipt = slow_render
