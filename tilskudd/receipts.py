"""The receipt page, once for every app that sends something in (applications, reports,
and the flows after them): the reference, who sent what to whom and when, the PDF copy's
state (polled by portal.js), what was sent, and the links on.

An app's receipt view finds the submission (404 for anyone else) and calls
`render_receipt(...)` with what differs: the words, its own facts, its URLs and links.
The page is `templates/documents/receipt_page.html`. `receipt_document_views(...)` makes
the PDF copy's two views (its state for polling, the file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .documents import polling
from .documents.jobs import DocumentJob
from .documents.responses import document_download, job_state
from .submissions import FrozenSubmission

DATE_TIME = "DATETIME_FORMAT"  # tilskudd/formats/: «1. mars 2027 kl. 23:59»


def when(moment: datetime) -> str:
    """A moment as receipts show it: «1. mars 2027 kl. 23:59» (Oslo time)."""
    return date_format(timezone.localtime(moment), DATE_TIME)


@dataclass(frozen=True)
class Fact:
    """One line of the receipt's list: a label and its value (`id` for tests and links)."""

    label: str
    value: str
    id: str = ""


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class ReceiptWords:
    """What an app calls its receipt. `thing` is what was sent, definite and lower case
    («søknaden», «rapporten»); the sentences that name it are built from it."""

    title: str
    heading: str
    pdf_heading: str
    thing: str


@dataclass
class Receipt:
    """Everything the receipt page shows besides the submission itself."""

    words: ReceiptWords
    facts: list[Fact]
    pdf: dict[str, str]
    page_url: str
    status_url: str
    #: The PDF copy's download, offered while it is being made too (made on the spot then).
    pdf_url: str = ""
    #: When the page asks about the PDF copy again (polling.POLL_SCHEDULE, for portal.js).
    poll_schedule: str = ""
    links: list[Link] = field(default_factory=list)
    #: Paragraphs shown in a warning above the reference (e.g. the submission was withdrawn).
    notice: list[str] = field(default_factory=list)
    #: A template showing what was sent (folded away under «Se hva som ble sendt»).
    content_template: str = ""
    #: An app stylesheet (a static path) for the content template.
    stylesheet: str = ""

    @property
    def quote_reference(self) -> str:
        return _("Oppgi referansenummeret i all kontakt med Statsforvalteren om %(thing)s.") % {
            "thing": str(self.words.thing)}

    @property
    def failed_text(self) -> str:
        return _(
            "PDF-kopien kunne ikke lages. %(Thing)s er sendt inn og lagret, og kvitteringen "
            "med referansenummeret over gjelder. Feilen er meldt til driften av portalen. "
            "Trenger du PDF-kopien, kontakt Statsforvalteren og oppgi referansenummeret."
        ) % {"Thing": _first_upper(str(self.words.thing))}


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def sender_facts(submission: FrozenSubmission) -> list[Fact]:
    """The facts every receipt starts with: sent when, from whom, by whom, to whom (from
    the frozen content, so they say what was true when it was sent)."""
    content = submission.content
    organisation = content["organisation"]
    sender = organisation["name"]
    if organisation.get("org_number"):
        number = _("(org.nr. %(number)s)") % {"number": organisation["org_number"]}
        sender = f"{sender} {number}"
    return [
        Fact(_("Sendt"), when(submission.submitted_at)),
        Fact(_("Avsender"), sender),
        Fact(_("Sendt av"), submission.submitted_by.full_name),
        Fact(_("Mottaker"), content["office"]),
    ]


def receipt_js_texts(receipt: Receipt) -> dict[str, str]:
    """What portal.js shows when the PDF copy's state changes while the page is open."""
    return {
        "pdf_ready": _("Last ned PDF-kopi"),
        "pdf_sha256": _("Kontrollsum (SHA-256)"),
        "pdf_failed": receipt.failed_text,
    }


def render_receipt(
    request: HttpRequest, *, submission: FrozenSubmission, job: DocumentJob | None,
    words: ReceiptWords, facts: Iterable[Fact], pdf_url: str, page_url: str, status_url: str,
    links: Iterable[Link] = (), notice: Iterable[str] = (), content_template: str = "",
    stylesheet: str = "", context: dict | None = None,
) -> HttpResponse:
    """The receipt page: the sender facts, then the app's `facts`, the PDF copy's state
    (`job`, served at `pdf_url`), `links` on. portal.js polls the job's cheap signed status
    URL (documents.polling); the app's own `status_url` only while there is no job row."""
    receipt = Receipt(
        words=words, facts=[*sender_facts(submission), *facts], pdf=job_state(job, pdf_url),
        page_url=page_url,
        status_url=polling.status_url(request, job, pdf_url) if job else status_url,
        pdf_url=pdf_url, poll_schedule=polling.poll_schedule_attribute(),
        links=list(links), notice=list(notice),
        content_template=content_template, stylesheet=stylesheet,
    )
    return render(request, "documents/receipt_page.html", {
        **(context or {}),
        "submission": submission,
        "content": submission.content,
        "receipt": receipt,
        "pdf": receipt.pdf,
        "js_texts": receipt_js_texts(receipt),
    })


def receipt_document_views(
    *, submission_for_member: Callable[[Any, str], FrozenSubmission],
    job_of: Callable[[FrozenSubmission], DocumentJob | None], pdf_url_name: str,
):
    """The two views every receipt's PDF copy needs, for one app: its state for the page's
    polling (JSON) and the PDF itself (audited). `submission_for_member(user, reference)`
    is the app's selector that answers 404 unless the user may see the submission."""

    @login_required
    def receipt_status(request: HttpRequest, reference: str) -> JsonResponse:
        submission = submission_for_member(request.user, reference)
        return JsonResponse(job_state(job_of(submission), reverse(pdf_url_name, args=[reference])))

    @login_required
    def receipt_pdf(request: HttpRequest, reference: str) -> FileResponse:
        submission = submission_for_member(request.user, reference)
        return document_download(job_of(submission), f"{submission.reference}.pdf",
                                 user=request.user)

    return receipt_status, receipt_pdf
