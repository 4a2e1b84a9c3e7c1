"""The cheap answer to a page that waits for a document (the receipt page's PDF copy).

At a deadline hundreds of browsers wait for their receipts at once, so the question "is it
ready?" must cost next to nothing: the page that did the permission checks gives the
browser a signed status URL naming the job, its download URL and the session it was shown
in; answering it reads the session cookie (not the session) and the job's status by its
primary key, one indexed query and nothing else. The page asks on a back-off schedule
(POLL_SCHEDULE, read by portal.js from the page), then stops and offers a reload.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core import signing
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

from .jobs import DocumentJob
from .responses import job_state

SALT = "tilskudd.documents.polling"
#: A status URL is good for as long as a signed-in session lasts.
TOKEN_MAX_AGE = settings.SESSION_COOKIE_AGE

#: Seconds the page waits before each question: 2, 4, 8 … then every 30 s, 12 questions
#: (about 4½ minutes) in all; then it stops and the page's «Oppdater siden» remains.
POLL_SCHEDULE = (2, 4, 8, 16, 30, 30, 30, 30, 30, 30, 30, 30)


def poll_schedule_attribute() -> str:
    """The schedule as the page carries it (data-poll-schedule)."""
    return ",".join(str(seconds) for seconds in POLL_SCHEDULE)


def status_url(request: HttpRequest, job: DocumentJob, download_url: str) -> str:
    """The URL the page polls for `job`, for this session only; `download_url` is handed
    back once the document is ready."""
    token = signing.dumps(
        {"m": job._meta.label_lower, "j": job.pk, "u": download_url,
         "s": request.session.session_key or ""},
        salt=SALT,
    )
    return reverse("document_status", args=[token])


@require_GET
def document_status(request: HttpRequest, token: str) -> JsonResponse:
    """{"status", "url", "sha256"} of the job the token names, to the session it was made
    for; a bare 404 for anything else (a forged or expired token, another browser), without
    the 404 page, which would read the session."""
    try:
        data = signing.loads(token, salt=SALT, max_age=TOKEN_MAX_AGE)
        model = apps.get_model(data["m"])
    except (signing.BadSignature, LookupError, KeyError, ValueError):
        return _answer({"status": "unknown"}, status=404)
    cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    if not data.get("s") or cookie != data["s"] or not issubclass(model, DocumentJob):
        return _answer({"status": "unknown"}, status=404)
    job = model.objects.only("status", "sha256").filter(pk=data["j"]).first()
    if job is None:
        return _answer({"status": "unknown"}, status=404)
    return _answer(job_state(job, data["u"]))


class DocumentStatusMiddleware:
    """Answers the status URL before the session, sign-in and language middleware (which
    would each read the session and the user): placed right after WhiteNoise in
    settings.MIDDLEWARE, so the poll stays one query whatever is added after it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = reverse("document_status", args=["x"]).removesuffix("x/status/")

    def __call__(self, request: HttpRequest):
        path = request.path_info
        if path.startswith(self.prefix) and path.endswith("/status/"):
            token = path.removeprefix(self.prefix).removesuffix("/status/")
            if token and "/" not in token:
                return document_status(request, token)
        return self.get_response(request)


def _answer(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status)
    add_never_cache_headers(response)  # and so the headers middleware need not ask who
    return response
