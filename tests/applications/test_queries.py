"""The form page and the archive read a fixed number of queries, however many lines and
applications there are."""

import re

import pytest
from django.urls import reverse

from applications import services
from tests.applications.factories import (
    BpaLineFactory,
    CompetenceLineFactory,
    ProjectFactory,
    complete_application,
)
from tests.tilskudd.factories import RoundFactory
from tilskudd import archive

#: session, user, the acting-for header (memberships, office), the application and its
#: four prefetched relations (lines of three parts, attachments), its history with who,
#: and a transfer approved from last year (tilskudd.carryover).
EDIT_PAGE_QUERIES = 11
#: session, user, the acting-for header (memberships, office memberships), the
#: application and its four prefetched relations, the live submission, its history with who;
#: may they withdraw it asks the memberships the header read (tilskudd.access, per request).
SUBMITTED_PAGE_QUERIES = 11
#: session, user, memberships (read once for the page and its header), the header's office
#: membership, applications, their submissions
#: with receipts, their lines in three parts, open rounds; the status line (tilskudd.status:
#: one query for assessment, one for reporting); and one query for each app that shows
#: documents in the archive (tilskudd.archive).
ARCHIVE_PAGE_QUERIES = 12


def archive_providers() -> int:
    return len(archive._providers)


def with_lines(application, count: int, projects: int | None = None):
    """`count` lines in each part (a complete application has one of each)."""
    for _ in range(count - 1):
        CompetenceLineFactory(application=application)
        BpaLineFactory(application=application)
    for _ in range((count if projects is None else projects) - 1):
        ProjectFactory(application=application)
    return application


@pytest.mark.parametrize("lines", [1, 20])
def test_form_page_queries_do_not_grow_with_lines(
    client, editor, trondheim, open_round, lines, django_assert_num_queries
):
    application = with_lines(complete_application(organisation=trondheim, round=open_round),
                             lines)
    client.force_login(editor)

    pages = {}
    with django_assert_num_queries(EDIT_PAGE_QUERIES * 3):
        for step in ("kompetansetiltak", "bpa-opplaering", "tjenesteutvikling"):
            pages[step] = client.get(reverse("applications:step", args=[application.pk, step]))

    assert [response.status_code for response in pages.values()] == [200] * 3
    # every line of a part on its step; one project a page (the others go along hidden)
    assert [len(re.findall(r'id="(competence|bpa|projects)-line-\d+"',
                           response.content.decode())) for response in pages.values()] \
        == [lines, lines, 1]


@pytest.mark.parametrize("rounds", [1, 6])
def test_archive_queries_do_not_grow_with_applications_or_lines(
    client, editor, signatory, trondheim, rounds, django_assert_num_queries
):
    for year in range(2040, 2040 + rounds):
        application = with_lines(
            complete_application(organisation=trondheim, round=RoundFactory(year=year)), 20,
            projects=5,
        )
        submission = services.application_submit(application=application, user=signatory)
        if year % 2:
            services.application_withdraw(application=application, user=signatory,
                                          reason="Trekkes for å rette.")
    client.force_login(editor)

    with django_assert_num_queries(ARCHIVE_PAGE_QUERIES + archive_providers()):
        response = client.get(reverse("applications:archive"))

    assert response.status_code == 200
    assert submission.reference in response.content.decode()
    assert response.content.decode().count('<th scope="row">KKT') == rounds


@pytest.mark.parametrize("resubmissions", [0, 4])
def test_submitted_page_queries_do_not_grow_with_its_history(
    client, editor, signatory, trondheim, open_round, resubmissions, django_assert_num_queries
):
    application = complete_application(organisation=trondheim, round=open_round)
    services.application_submit(application=application, user=signatory)
    for _ in range(resubmissions):
        services.application_withdraw(application=application, user=signatory,
                                      reason="Trekkes for å rette.")
        services.application_submit(application=application, user=signatory)
    client.force_login(editor)

    with django_assert_num_queries(SUBMITTED_PAGE_QUERIES):
        response = client.get(reverse("applications:edit", args=[application.pk]))

    assert response.status_code == 200
    assert response.content.decode().count("Trekkes for å rette.") == resubmissions


@pytest.mark.parametrize("rounds", [10, 50])
def test_archive_asks_the_withdrawal_gate_once_for_a_signatorys_open_rounds(
    client, signatory, trondheim, rounds, django_assert_num_queries
):
    """«Trekk søknaden» is asked of the withdrawal gates in bulk: one more query for a
    signatory's submitted applications in open rounds, however many there are."""
    for year in range(2040, 2040 + rounds):
        application = complete_application(organisation=trondheim, round=RoundFactory(year=year))
        services.application_submit(application=application, user=signatory)
    client.force_login(signatory)

    with django_assert_num_queries(ARCHIVE_PAGE_QUERIES + archive_providers() + 1):
        response = client.get(reverse("applications:archive"))

    assert response.content.decode().count("/trekk/") == rounds
