""""Mine søknader": each organisation's applications, with their submissions, receipts,
documents and grant status, paged per organisation; and the open rounds one may start in.

Views stay thin: they read through selectors, write through services, and show only the
organisations the user is a member of."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tilskudd.archive import archive_documents
from tilskudd.documents.jobs import DocumentStatus
from tilskudd.money import format_nok
from tilskudd.selectors import memberships_for_user, open_rounds
from tilskudd.status import GrantStatus, grant_status_for

from . import selectors, services
from .models import Application, ApplicationStatus

#: Rows of one organisation's applications on a page of "Mine søknader" (newest first).
ARCHIVE_PAGE_SIZE = 25


@login_required
def archive(request: HttpRequest) -> HttpResponse:
    """Each organisation's applications, newest first, ARCHIVE_PAGE_SIZE a page; the page
    of the organisation `?org=` is `?side=` (the others show their first). Everything the
    rows need is read for the rows shown only, so the page's queries do not grow with the
    number of applications: how many each organisation has and its applications in the
    open rounds in one query, a query for each organisation's page, one for their
    submissions, the status lines, and the document providers those rows can have
    documents from (tilskudd.archive)."""
    memberships = list(memberships_for_user(request.user))
    may_sign = {m.organisation_id: m.may_sign for m in memberships}
    rounds = list(open_rounds())
    counts = selectors.archive_counts(list(may_sign), rounds)
    paged_org = request.GET.get("org", "")
    pages = {}
    for membership in memberships:
        organisation_id = membership.organisation_id
        number = request.GET.get("side") if paged_org == str(organisation_id) else 1
        paginator = Paginator(selectors.archive_applications(organisation_id),
                              ARCHIVE_PAGE_SIZE)
        found = counts.get(organisation_id)
        paginator.count = found.count if found else 0  # read with the open rounds' ones
        page = pages[organisation_id] = paginator.get_page(number)
        page.object_list = list(page.object_list)
        for application in page.object_list:
            application.organisation = membership.organisation
    applications = [a for page in pages.values() for a in page.object_list]
    submissions = selectors.archive_submissions([a.pk for a in applications])
    statuses = grant_status_for(applications)
    documents = archive_documents([a.pk for a in applications], statuses)
    refusals = services.withdrawal_refusals(
        [a for a in applications if may_ask_withdrawal(a, may_sign.get(a.organisation_id))])
    urls = _Urls()

    groups = []
    for membership in memberships:
        organisation = membership.organisation
        page = pages[organisation.pk]
        in_rounds = counts[organisation.pk].in_rounds if organisation.pk in counts else {}
        groups.append({
            "membership": membership,
            "organisation": organisation,
            "starts": [
                {"round": rnd, "application": in_rounds.get(rnd.pk)}
                for rnd in rounds if rnd.scheme.is_eligible(organisation)
            ],
            "rows": [_archive_row(a, submissions[a.pk], documents.get(a.pk, []),
                                  statuses.get(a.pk),
                                  a.pk in refusals and refusals[a.pk] is None, urls)
                     for a in page.object_list],
            "page": page,
            "page_links": _page_links(page, organisation.pk),
            "previous_url": (_page_url(organisation.pk, page.previous_page_number())
                             if page.has_previous() else ""),
            "next_url": (_page_url(organisation.pk, page.next_page_number())
                         if page.has_next() else ""),
        })
    return render(request, "applications/archive.html", {"groups": groups})


def _page_links(page, organisation_id: int) -> list[dict[str, Any]]:
    """The numbered links of an organisation's pagination nav (a gap is None), each to the
    list's heading on that page; empty when everything fits on one page."""
    if not page.has_other_pages():
        return []
    return [
        None if number == page.paginator.ELLIPSIS else {
            "number": number,
            "url": _page_url(organisation_id, number),
            "current": number == page.number,
        }
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=2,
                                                           on_ends=1)
    ]


def _page_url(organisation_id: int, number: int) -> str:
    return (f"{reverse('applications:archive')}?org={organisation_id}&side={number}"
            f"#org-{organisation_id}-applications")


class _Urls:
    """The rows' links, each URL pattern reversed once for the page (a row's link is the
    pattern's with its id or reference in place of a placeholder)."""

    _MARK = "000000"

    def __init__(self) -> None:
        self._patterns: dict[str, tuple[str, str]] = {}

    def __call__(self, name: str, arg: Any) -> str:
        pattern = self._patterns.get(name)
        if pattern is None:
            url = reverse(name, args=[self._MARK])
            pattern = self._patterns[name] = tuple(url.split(self._MARK, 1))
        return f"{pattern[0]}{arg}{pattern[1]}"


def _archive_row(application: Application, sent: list[dict[str, Any]], documents,
                 status: GrantStatus | None, may_withdraw: bool, url: _Urls) -> dict[str, Any]:
    """What a row of the list shows, its words, dates and links worked out here (the
    template only places them). `sent` is the application's archive_submissions."""
    submissions = []
    live = None
    for submission in sent:
        reference = submission["reference"]
        if submission["withdrawn_at"] is None:
            live = live or submission
            when = _("sendt %(at)s") % {"at": _date(submission["submitted_at"], "j.n.Y H:i")}
        else:
            when = _("trukket %(at)s") % {"at": _date(submission["withdrawn_at"], "j.n.Y")}
        ready = submission["receipt_status"] == DocumentStatus.READY
        submissions.append({
            "reference": reference,
            "url": url("applications:receipt", reference),
            "when": when,
            "pdf_url": url("applications:receipt_pdf", reference) if ready else "",
            "sha256": submission["receipt_sha256"] if ready else "",
            "failed": submission["receipt_status"] == DocumentStatus.FAILED,
        })
    rnd = application.round
    year = str(rnd.year)
    return {
        "application": application,
        "heading": f"{rnd.scheme.code.upper()} {year}",
        "year": year,
        "for_year": _("søknaden for %(year)s") % {"year": year},
        "status_key": status.key if status else "",
        "status_label": status.label if status else "",
        "amount_note": status.amount_note if status else "",
        "total": format_nok(live["total_applied"] if live else application.lines_total),
        "submissions": submissions,
        "documents": documents,
        "editable": application.is_editable,
        "edit_url": url("applications:edit", application.pk),
        "preview_url": url("applications:preview", application.pk),
        "withdraw_url": url("applications:withdraw", application.pk) if may_withdraw else "",
    }


def _date(moment, format: str) -> str:
    return date_format(timezone.localtime(moment), format)


def may_ask_withdrawal(application: Application, may_sign: bool | None) -> bool:
    """The cheap checks, so only a signatory's submitted applications in open rounds ask
    the withdrawal gates."""
    return bool(may_sign and application.status == ApplicationStatus.SUBMITTED
                and application.round.is_open_for_applications)
