"""Probes of the caseworkers' admin pages (assessment and reporting): a GET of any of them
writes nothing, and a list action or a page's POST by a caseworker of another office
reaches no row of this office's and changes nothing."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reporting import transfers
from reporting.transfer_models import RepaymentClaim

from .test_admin_actions import _action_urls, _state
from .test_transfers_admin import asking  # noqa: F401 (the fixture)


def _pages(report, claim) -> list[str]:
    application = report.application
    return [
        reverse("admin:index"),
        reverse("admin:reporting_report_changelist"),
        reverse("admin:reporting_report_change", args=[report.pk]),
        reverse("admin:reporting_report_approve", args=[report.pk]),
        reverse("admin:reporting_repaymentclaim_changelist"),
        reverse("admin:reporting_repaymentclaim_change", args=[claim.pk]),
        reverse("admin:assessment_submittedapplication_changelist"),
        reverse("admin:assessment_submittedapplication_change", args=[application.pk]),
        reverse("admin:assessment_pot_changelist"),
        *_action_urls(report, claim),
    ]


def _claimed(report, caseworker):
    transfers.transfer_decide(report=report, user=caseworker, outcome="refuse",
                              reason="Ikke bundet.")
    return RepaymentClaim.objects.get()


def test_no_admin_page_writes_on_a_get(client, asking, caseworker,  # noqa: F811
                                       django_capture_on_commit_callbacks):
    pages = _pages(asking, _claimed(asking, caseworker))
    client.force_login(caseworker)
    before = _state()

    with django_capture_on_commit_callbacks(execute=True) as scheduled:
        statuses = [client.get(url).status_code for url in pages]

    approve = pages.index(reverse("admin:reporting_report_approve", args=[asking.pk]))
    assert statuses == [403 if i == approve else 200 for i in range(len(pages))]  # POST only
    assert _state() == before and scheduled == []


@pytest.mark.parametrize(("changelist", "action", "row"), [
    ("reporting_report", "approve_reports", "report"),
    ("assessment_submittedapplication", "assign_to_me", "application"),
    ("assessment_submittedapplication", "generate_letters", "application"),
])
def test_another_offices_caseworker_runs_no_list_action_on_this_offices_rows(
        client, asking, rogaland_caseworker, changelist, action, row):  # noqa: F811
    pk = asking.pk if row == "report" else asking.application.pk
    client.force_login(rogaland_caseworker)
    before = _state()

    response = client.post(reverse(f"admin:{changelist}_changelist"),
                           {"action": action, "_selected_action": [pk], "index": 0})

    assert response.status_code == 302  # Django's "Items must be selected": none were theirs
    assert _state() == before


def _exported(client, report) -> list[str]:
    response = client.post(reverse("admin:reporting_report_changelist"),
                           {"action": "export_excel", "_selected_action": [report.pk],
                            "index": 0})
    assert response.status_code == 200
    return [str(cell) for sheet in load_workbook(BytesIO(response.content)).worksheets
            for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]


def _summed_over(cells: list[str]) -> list[str]:
    """How many reports the export's sheets say they sum (the export holds totals only)."""
    return [match[1] for cell in cells if (match := re.match(r"Summert over (\d+) ", cell))]


def test_another_offices_caseworker_exports_none_of_this_offices_reports(
        client, asking, caseworker, rogaland_caseworker):  # noqa: F811
    client.force_login(caseworker)
    own = _exported(client, asking)
    client.force_login(rogaland_caseworker)

    other = _exported(client, asking)

    assert set(_summed_over(own)) == {"1"}
    assert set(_summed_over(other)) == {"0"}


def test_another_offices_caseworker_cannot_approve_this_offices_report(
        client, asking, rogaland_caseworker):  # noqa: F811
    client.force_login(rogaland_caseworker)
    before = _state()

    url = reverse("admin:reporting_report_approve", args=[asking.pk])

    assert [client.get(url).status_code, client.post(url, {}).status_code] == [404, 404]
    assert _state() == before
