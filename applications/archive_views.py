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
from django.utils.safestring import SafeString

from tilskudd.archive import ArchiveDocument, archive_documents
from tilskudd.models import Round
from tilskudd.selectors import memberships_for_user, open_round_list
from tilskudd.status import GrantStatus, grant_status_for

from . import archive_rows, selectors, services
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
    rounds = open_round_list()
    counts = selectors.archive_counts(list(may_sign), rounds)
    paged_org = request.GET.get("org", "")
    pages = {}
    for membership in memberships:
        organisation_id = membership.organisation_id
        number = request.GET.get("side") if paged_org == str(organisation_id) else 1
        paginator = Paginator(selectors.ArchivePages(organisation_id), ARCHIVE_PAGE_SIZE)
        found = counts.get(organisation_id)
        paginator.count = found.count if found else 0  # read with the open rounds' ones
        page = pages[organisation_id] = paginator.get_page(number)
        page.object_list = list(page.object_list)
    applications = [a for page in pages.values() for a in page.object_list]
    submissions = selectors.archive_submissions([a.pk for a in applications])
    statuses, documents = statuses_and_documents(applications)
    refusals = services.withdrawal_refusals(_may_ask(applications, rounds, may_sign))
    urls, words = archive_rows.Urls(), archive_rows.Words()

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
            "rows": archive_rows.rows_html([
                (a, submissions[a.pk], documents.get(a.pk, []), statuses.get(a.pk),
                 a.pk in refusals and refusals[a.pk] is None)
                for a in page.object_list], urls, words),
            "page": page,
            "page_links": _page_links(page, organisation.pk),
            "previous_url": (_page_url(organisation.pk, page.previous_page_number())
                             if page.has_previous() else ""),
            "next_url": (_page_url(organisation.pk, page.next_page_number())
                         if page.has_next() else ""),
        })
    return render(request, "applications/archive.html", {"groups": groups})


def statuses_and_documents(applications: list[Application]) -> tuple[
        dict[int, GrantStatus], dict[int, list[ArchiveDocument]]]:
    """The status line and the other documents of each application, by id, as the archive
    and an application's own page show them: the document providers are asked only for
    the applications come far enough to have their documents (tilskudd.archive)."""
    statuses = grant_status_for(applications)
    return statuses, archive_documents([a.pk for a in applications], statuses)


def standing(application: Application) -> dict[str, SafeString]:
    """Where a sent application stands, for its own page: its row's status line and other
    documents in "Mine søknader"'s words, written out by the same code as the row."""
    statuses, documents = statuses_and_documents([application])
    return {
        "status": archive_rows.status_html(statuses.get(application.pk), archive_rows.Words(),
                                           tag="dd"),
        "documents": archive_rows.documents_html(documents.get(application.pk, [])),
    }


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


def _may_ask(applications: list[Application], rounds: list[Round],
             may_sign: dict[int, bool]) -> list[Application]:
    """The rows that ask the withdrawal gates: a signatory's submitted applications in the
    open rounds (the rows' rounds are not read: those in open rounds get theirs here)."""
    open_by_id = {rnd.pk: rnd for rnd in rounds}
    asking = []
    for application in applications:
        rnd = open_by_id.get(application.round_id)
        if rnd is not None:
            application.round = rnd
            if may_ask_withdrawal(application, may_sign.get(application.organisation_id)):
                asking.append(application)
    return asking


def may_ask_withdrawal(application: Application, may_sign: bool | None) -> bool:
    """The cheap checks, so only a signatory's submitted applications in open rounds ask
    the withdrawal gates."""
    return bool(may_sign and application.status == ApplicationStatus.SUBMITTED
                and application.round.is_open_for_applications)
