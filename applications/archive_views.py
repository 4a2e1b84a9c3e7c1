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

from tilskudd.archive import archive_documents
from tilskudd.selectors import memberships_for_user, open_rounds
from tilskudd.status import grant_status_for

from . import selectors, services
from .models import Application, ApplicationStatus
from .snapshot import totals

#: Rows of one organisation's applications on a page of "Mine søknader" (newest first).
ARCHIVE_PAGE_SIZE = 25


@login_required
def archive(request: HttpRequest) -> HttpResponse:
    """Each organisation's applications, newest first, ARCHIVE_PAGE_SIZE a page; the page
    of the organisation `?org=` is `?side=` (the others show their first). Everything the
    rows need is read for the rows shown only, so the page's queries do not grow with the
    number of applications."""
    memberships = list(memberships_for_user(request.user))
    may_sign = {m.organisation_id: m.may_sign for m in memberships}
    paged_org = request.GET.get("org", "")
    pages = {}
    for membership in memberships:
        number = request.GET.get("side") if paged_org == str(membership.organisation_id) else 1
        pages[membership.organisation_id] = Paginator(
            selectors.archive_applications(membership.organisation_id), ARCHIVE_PAGE_SIZE
        ).get_page(number)
    applications = [a for page in pages.values() for a in page.object_list]
    selectors.with_archive_rows(applications)
    rounds = list(open_rounds())
    in_open_rounds = selectors.applications_in_rounds(list(may_sign), rounds)
    documents = archive_documents([a.pk for a in applications])
    statuses = grant_status_for(applications)
    refusals = services.withdrawal_refusals(
        [a for a in applications if may_ask_withdrawal(a, may_sign.get(a.organisation_id))])

    groups = []
    for membership in memberships:
        organisation = membership.organisation
        page = pages[organisation.pk]
        groups.append({
            "membership": membership,
            "organisation": organisation,
            "starts": [
                {"round": rnd, "application": in_open_rounds.get((organisation.pk, rnd.pk))}
                for rnd in rounds if rnd.scheme.is_eligible(organisation)
            ],
            "rows": [_archive_row(a, documents.get(a.pk, []))
                     | {"status": statuses.get(a.pk),
                        "may_withdraw": a.pk in refusals and refusals[a.pk] is None}
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


def _archive_row(application: Application, documents) -> dict[str, Any]:
    submissions = [
        {"submission": s, "receipt": selectors.receipt_of(s)} for s in application.submissions.all()
    ]
    live = next((s["submission"] for s in submissions if s["submission"].withdrawn_at is None),
                None)
    return {
        "application": application,
        "submissions": submissions,
        "live": live,
        "total": live.total_applied if live else totals(application)["applied"],
        "documents": documents,
    }


def may_ask_withdrawal(application: Application, may_sign: bool | None) -> bool:
    """The cheap checks, so only a signatory's submitted applications in open rounds ask
    the withdrawal gates."""
    return bool(may_sign and application.status == ApplicationStatus.SUBMITTED
                and application.round.is_open_for_applications)
