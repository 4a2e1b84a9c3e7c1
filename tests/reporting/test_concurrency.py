"""Two at once on PostgreSQL: a double click submits a report once, two runs of the daily
task send each reminder once, and two requests open one report."""

from datetime import timedelta

import pytest

from reporting import reminders, services
from reporting.models import Report, ReportEvent, ReportReceipt, ReportSubmission
from tests.applications.test_concurrency import run_together

from .helpers import ready_report

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_submits_make_one_submission(report, signatory):
    ready_report(report, signatory)

    results = run_together(lambda: services.report_submit(report=report, user=signatory))

    assert all(isinstance(r, ReportSubmission) for r in results), results
    assert results[0].pk == results[1].pk
    assert ReportSubmission.objects.count() == 1
    assert ReportReceipt.objects.count() == 1
    assert ReportEvent.objects.filter(report=report).count() == 1


def test_two_runs_at_once_send_each_reminder_once(report, deadline, mailoutbox):
    now = deadline - timedelta(days=30)

    results = run_together(lambda: reminders.send_reminders(now=now))

    assert sorted(r["contact"] for r in results) == [0, 1], results
    assert reminders.sent_for(report).count() == 1


def test_two_requests_open_one_report(application, signatory):
    results = run_together(lambda: services.report_open(application=application, user=signatory))

    assert all(isinstance(r, Report) for r in results), results
    assert results[0].pk == results[1].pk
    assert Report.objects.count() == 1
