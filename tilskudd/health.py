"""Health endpoints for load balancers, orchestrators and docker compose, answered before
any other middleware (first in MIDDLEWARE): no session, no sign-in, no host or HTTPS
redirect, no database on the way in.

- `/helse/` (live): 200 `{"status": "ok"}` while the process answers; touches nothing.
- `/helse/klar/` (ready): asks the database, the broker and the document storage, each
  once and briefly; 200 when all answer, else 503, with each part's state and the failed
  ones named. What went wrong in detail is logged, not shown (no host names or secrets).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse

from .storage import check_storage

logger = logging.getLogger(__name__)

LIVE_PATH = "/helse/"
READY_PATH = "/helse/klar/"
#: Seconds the broker check may take: a probe's own timeout is a few seconds.
BROKER_TIMEOUT = 2


def check_database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")


def check_broker() -> None:
    """The broker answers (embedded default: tasks run in the process, nothing to ask)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return
    from .celery import app

    with app.connection_for_write(settings.CELERY_BROKER_URL) as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT)


def check_default_storage() -> None:
    check_storage(default_storage)


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "broker": check_broker,
    "storage": check_default_storage,
}


def readiness() -> tuple[bool, dict]:
    """(all ready, the JSON body): each check's "ok" or "feil", its error's type and ms."""
    results: dict[str, dict] = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            check()
        except Exception as exc:
            logger.warning("Readiness: %s failed", name, exc_info=True)
            results[name] = {"status": "feil", "error": type(exc).__name__}
        else:
            results[name] = {"status": "ok"}
        results[name]["ms"] = round((time.monotonic() - started) * 1000, 1)
    failed = [name for name, result in results.items() if result["status"] != "ok"]
    body = {"status": "feil" if failed else "ok", "failed": failed, "checks": results}
    return not failed, body


def _answer(body: dict, status: int) -> HttpResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"  # a cached answer about health is a wrong one
    return response


class HealthCheckMiddleware:
    """Answers LIVE_PATH and READY_PATH itself; every other request goes on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info not in (LIVE_PATH, READY_PATH):
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = _answer({"status": "feil", "error": "method"}, 405)
            response["Allow"] = "GET, HEAD"
            return response
        if request.path_info == LIVE_PATH:
            return _answer({"status": "ok"}, 200)
        ready, body = readiness()
        return _answer(body, 200 if ready else 503)
