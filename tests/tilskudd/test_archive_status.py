"""«Mine søknader» and the receipt say the one status line (tilskudd.status): the
decision with its amount, the acceptance, the report, each status once; and the archive
reads as much for ten decided and reported applications as for one."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reporting import services as report_services
from tests.tilskudd.factories import OfficeBudgetFactory, RoundFactory

from .grants import accepted, decided, report_sent, submitted

pytestmark = pytest.mark.django_db


def status_cells(page: str) -> list[str]:
    cells = re.findall(r'<td class="grant-status" data-stage="(\w+)">(.*?)</td>', page, re.S)
    return [(stage, re.sub(r"<[^>]+>", "|", text).strip("|")) for stage, text in cells]


def test_the_archive_says_innvilget_then_akseptert_with_the_amount(
        client, trondheim, grant_round, signatory, caseworker, approver, budget,
        django_capture_on_commit_callbacks):
    application = submitted(trondheim, grant_round, signatory)
    case = decided(application, caseworker, approver)
    client.force_login(signatory)

    page = client.get(reverse("applications:archive")).content.decode()
    assert status_cells(page) == [("granted", "Innvilget kr\u00a060\u00a0000")]

    accepted(case, caseworker, signatory, django_capture_on_commit_callbacks)

    page = client.get(reverse("applications:archive")).content.decode()
    assert status_cells(page) == [("accepted", "Akseptert|Innvilget kr\u00a060\u00a0000")]


def test_the_archive_names_the_reports_state_once(
        client, trondheim, grant_round, signatory, caseworker, approver, budget):
    application = submitted(trondheim, grant_round, signatory)
    decided(application, caseworker, approver)
    report = report_services.report_open(application=application, user=signatory)
    client.force_login(signatory)

    page = client.get(reverse("applications:archive")).content.decode()

    assert status_cells(page) == [("report_draft",
                                   "Rapport under arbeid|Innvilget kr\u00a060\u00a0000")]
    assert "Under arbeid (Under arbeid)" not in page
    assert f'<a href="{reverse("reporting:edit", args=[report.pk])}" class="d-block">' \
           "Skriv rapporten</a>" in page


def test_the_receipt_says_where_the_application_stands_now(
        client, trondheim, grant_round, signatory, caseworker, approver, budget):
    application = submitted(trondheim, grant_round, signatory)
    decided(application, caseworker, approver, amount=lambda line: line.applied / 2)
    reference = application.submissions.get().reference
    client.force_login(signatory)

    page = client.get(reverse("applications:receipt", args=[reference])).content.decode()

    assert '<dd class="col-sm-9" id="grant-status">Delvis innvilget kr\u00a030\u00a0000</dd>' \
        in page


def _granted_and_reported(organisation, signatory, caseworker, approver, years):
    """One application per year, granted after its round closed and its report sent (so
    each row has documents, and none may still be withdrawn)."""
    now = timezone.now()
    for year in years:
        rnd = RoundFactory(year=year, opens_at=now - timedelta(days=30),
                           application_deadline=now + timedelta(days=10),
                           reporting_deadline=now + timedelta(days=100))
        OfficeBudgetFactory(round=rnd, office=organisation.office)
        application = submitted(organisation, rnd, signatory)
        rnd.application_deadline = now - timedelta(minutes=1)
        rnd.save()
        decided(application, caseworker, approver)
        report_sent(application, signatory)


def _archive_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("applications:archive")).status_code == 200
    return len(captured)


def test_the_archive_reads_as_much_for_ten_applications_as_for_one(
        client, trondheim, signatory, caseworker, approver):
    start = timezone.now().year + 1
    _granted_and_reported(trondheim, signatory, caseworker, approver, range(start, start + 1))
    client.force_login(signatory)
    one = _archive_queries(client)

    _granted_and_reported(trondheim, signatory, caseworker, approver,
                          range(start + 1, start + 10))
    ten = _archive_queries(client)

    page = client.get(reverse("applications:archive")).content.decode()
    assert [stage for stage, _text in status_cells(page)] == ["report_submitted"] * 10
    assert one == ten
