"""Runs against a real Celery worker over Redis (see tests/worker_fixture.py)."""

import pytest

from tilskudd.tasks import ping

pytestmark = [pytest.mark.worker]


def test_a_task_goes_through_redis_to_a_real_worker(celery_worker_process):
    result = ping.delay()

    assert result.get(timeout=60) == "pong"
    assert result.successful()
