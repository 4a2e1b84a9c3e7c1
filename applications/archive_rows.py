"""The rows of "Mine søknader", written out here instead of by a template loop (the
markup the template had, cell for cell: a page of 25 rows rendered through the template
engine cost more than the rest of the page's own work). Every value is escaped."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tilskudd.archive import ArchiveDocument
from tilskudd.documents.jobs import DocumentStatus
from tilskudd.money import format_nok
from tilskudd.status import GrantStatus

from .models import Application


class Urls:
    """The rows' links, each URL pattern reversed once for the page (a row's link is the
    pattern's with its id or reference in place of a placeholder)."""

    _MARK = "000000"

    def __init__(self) -> None:
        self._patterns: dict[str, tuple[str, str]] = {}

    def __call__(self, name: str, arg: Any) -> str:
        pattern = self._patterns.get(name)
        if pattern is None:
            before, after = reverse(name, args=[self._MARK]).split(self._MARK, 1)
            pattern = self._patterns[name] = (before, after)
        return f"{pattern[0]}{arg}{pattern[1]}"


class Words:
    """The words every row repeats, translated once for the page."""

    def __init__(self) -> None:
        self.pdf_copy = escape(_("PDF-kopi"))
        self.pdf_failed = escape(_("PDF-kopien kunne ikke lages."))
        self.pdf_pending = escape(_("PDF-kopien lages …"))
        self.not_sent = escape(_("Ikke sendt inn"))
        self.change = escape(_("Endre"))
        self.preview = escape(_("Forhåndsvis"))
        self.see = escape(_("Se søknaden"))
        self.withdraw = escape(_("Trekk søknaden"))
        self.sent = _("sendt %(at)s")
        self.withdrawn = _("trukket %(at)s")
        self.for_year = _("søknaden for %(year)s")
        self._statuses: dict[tuple, tuple[str, str, str]] = {}

    def status(self, status: GrantStatus | None) -> tuple[str, str, str]:
        """A status line's key, label and amount note, escaped, worked out once a page for
        each stage and amount."""
        if status is None:
            return "", "", ""
        key = (status.stage, status.granted, status.decision)
        found = self._statuses.get(key)
        if found is None:
            note = status.amount_note
            found = self._statuses[key] = (
                status.key, escape(status.label),
                f'<span class="d-block small">{escape(note)}</span>' if note else "")
        return found


def _day(moment) -> str:
    """«1.3.2027», as the date filter's "j.n.Y" (Oslo time)."""
    local = timezone.localtime(moment)
    return f"{local.day}.{local.month}.{local.year}"


def _day_and_time(moment) -> str:
    """«1.3.2027 09:05», as the date filter's "j.n.Y H:i" (Oslo time)."""
    local = timezone.localtime(moment)
    return f"{local.day}.{local.month}.{local.year} {local.hour:02d}:{local.minute:02d}"


def _submission(submission: dict[str, Any], url: Urls, words: Words) -> str:
    reference = escape(submission["reference"])
    if submission["withdrawn_at"] is None:
        when = words.sent % {"at": _day_and_time(submission["submitted_at"])}
    else:
        when = words.withdrawn % {"at": _day(submission["withdrawn_at"])}
    status = submission["receipt_status"]
    if status == DocumentStatus.READY:
        pdf = (f'<a href="{escape(url("applications:receipt_pdf", submission["reference"]))}">'
               f'{words.pdf_copy}<span class="visually-hidden"> {reference}</span></a>\n'
               f'<span class="small d-block">SHA-256: <code class="sha256">'
               f'{escape(submission["receipt_sha256"])}</code></span>')
    elif status == DocumentStatus.FAILED:
        pdf = f'<span class="small">{words.pdf_failed}</span>'
    else:
        pdf = f'<span class="small">{words.pdf_pending}</span>'
    return (f'<div class="mb-2">\n'
            f'<a href="{escape(url("applications:receipt", submission["reference"]))}" '
            f'class="reference-inline">{reference}</a>\n'
            f'<span>({escape(when)})</span>\n<br>\n{pdf}\n</div>\n')


def _document(document: ArchiveDocument) -> str:
    title = escape(str(document.title))
    parts = [f'<a href="{escape(document.url)}">{title}</a>' if document.url else title]
    if document.status:
        parts.append(f'<span class="small">({escape(str(document.status))})</span>')
    if document.sha256:
        parts.append(f'<span class="small d-block">SHA-256: <code class="sha256">'
                     f'{escape(document.sha256)}</code></span>')
    if document.action_url:
        parts.append(f'<a href="{escape(document.action_url)}" class="d-block">'
                     f'{escape(str(document.action_label))}</a>')
    return '<div class="mb-2">\n' + "\n".join(parts) + "\n</div>\n"


def status_html(status: GrantStatus | None, words: Words, *, tag: str = "td") -> SafeString:
    """The status line as an element `tag` (a row's cell; the <dd> of an application's own
    page): its stage for the stylesheet, its label and the granted amount's note."""
    key, label, note = words.status(status)
    return mark_safe(  # noqa: S308 -- the label and the note are escaped (Words.status)
        f'<{tag} class="grant-status" data-stage="{key}">{label}{note}</{tag}>')


def documents_html(documents: Iterable[ArchiveDocument]) -> SafeString:
    """The other documents, each with its link, checksum and action; empty when none."""
    return mark_safe("".join(map(_document, documents)))  # noqa: S308 -- _document escapes


def row_html(application: Application, sent: list[dict[str, Any]],
             documents: list[ArchiveDocument], status: GrantStatus | None, may_withdraw: bool,
             url: Urls, words: Words) -> SafeString:
    """One row of the list: `sent` is the application's submissions
    (selectors.archive_submissions), `application` one of selectors.archive_applications."""
    year = str(application.round_year)
    live = next((s for s in sent if s["withdrawn_at"] is None), None)
    total = format_nok(live["total_applied"] if live else application.lines_total)
    sent_html = ("".join(_submission(s, url, words) for s in sent)
                 or f"<span>{words.not_sent}</span>\n")
    documents_cell = documents_html(documents) or "<span>–</span>\n"
    edit_url = escape(url("applications:edit", application.pk))
    if application.is_editable:
        for_year = escape(words.for_year % {"year": year})
        actions = (f'<li><a href="{edit_url}">{words.change}<span class="visually-hidden"> '
                   f'{for_year}</span></a></li>\n'
                   f'<li><a href="{escape(url("applications:preview", application.pk))}">'
                   f'{words.preview}<span class="visually-hidden"> {for_year}</span></a></li>\n')
    else:
        actions = (f'<li><a href="{edit_url}">{words.see}<span class="visually-hidden"> '
                   f'{year}</span></a></li>\n')
    if may_withdraw:
        actions += (f'<li><a href="{escape(url("applications:withdraw", application.pk))}">'
                    f'{words.withdraw}<span class="visually-hidden"> {year}</span></a></li>\n')
    return mark_safe(  # noqa: S308 -- every value above is escaped
        f'<tr>\n<th scope="row">{escape(application.scheme_code.upper())} {year}</th>\n'
        f'{status_html(status, words)}\n'
        f'<td class="amount">{escape(total)}</td>\n'
        f'<td>\n{sent_html}</td>\n'
        f'<td>\n{documents_cell}</td>\n'
        f'<td>\n<ul class="list-unstyled mb-0">\n{actions}</ul>\n</td>\n</tr>\n'
    )


def rows_html(rows: Iterable[tuple[Application, list[dict[str, Any]], list[ArchiveDocument],
                                   GrantStatus | None, bool]],
              url: Urls, words: Words) -> SafeString:
    """The rows of one table (each row_html's first five arguments) as one string, empty
    when there are none (the template writes it out as it is)."""
    return mark_safe("".join(row_html(*row, url, words) for row in rows))  # noqa: S308
