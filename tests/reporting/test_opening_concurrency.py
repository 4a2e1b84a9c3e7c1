"""The daily opening of a report and a change decision at the same time, on PostgreSQL:
the opening takes the decision's locks in its order (the pending change request, then the
report), so the report opens with the lines the grant has once both are done."""

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reporting import grants
from reporting import services as report_services
from reporting.changes import services
from reporting.changes.models import ChangeStatus
from reporting.models import Report

from .change_helpers import accept, ask, recommended

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _lines(report) -> list[tuple[str, int, object]]:
    return sorted([("competence", line.source_id, line.granted)
                   for line in report.competence_lines.all()]
                  + [("bpa", line.source_id, line.granted) for line in report.bpa_lines.all()])


def _granted(application) -> list[tuple[str, int, object]]:
    grant = grants.grant_for(application.pk)
    return sorted((line.part, line.line_id, grant.granted_for(line.part, line.line_id))
                  for line in grant.lines if line.part in ("competence", "bpa")
                  and grant.granted_for(line.part, line.line_id) > 0)


def _eager_tasks_one_thread_at_a_time(monkeypatch):
    """Celery's denied_join_result flag is process-wide."""
    from celery.app.task import Task
    apply_async, alone = Task.apply_async, threading.RLock()

    def apply_async_alone(self, *args, **kwargs):
        with alone:
            return apply_async(self, *args, **kwargs)

    monkeypatch.setattr(Task, "apply_async", apply_async_alone)


def test_a_change_decided_while_the_report_opens_moves_the_opened_reports_lines(
    application, caseworker, approver, signatory, django_capture_on_commit_callbacks,
    monkeypatch
):
    # given: a change that moves kr 40 000 to BPA, recommended, and no report yet
    accept(application, caseworker, signatory, django_capture_on_commit_callbacks)
    change = recommended(ask(application, signatory), caseworker)
    _eager_tasks_one_thread_at_a_time(monkeypatch)
    deciding: list[threading.Thread] = []
    decided: list = []

    def decide():
        try:
            decided.append(services.change_request_decide(change_request=change,
                                                          user=approver))
        finally:
            connection.close()

    real = grants.grant_for

    def grant_read_while_a_decision_is_made(application_id):
        # the opening has read the grant; the approver decides now, before it is written
        grant = real(application_id)
        if not deciding:
            deciding.append(threading.Thread(target=decide))
            deciding[0].start()
            deciding[0].join(timeout=3)  # it waits for the opening, if the opening holds
        return grant                     # the change request's lock

    monkeypatch.setattr(grants, "grant_for", grant_read_while_a_decision_is_made)
    # when: the daily task opens the report
    [opened] = report_services.reports_open_due()
    deciding[0].join(timeout=30)
    monkeypatch.setattr(grants, "grant_for", real)
    # then: the change is decided, and the report has the lines the grant now has
    assert [c.status for c in decided] == [ChangeStatus.APPROVED]
    report = Report.objects.get(pk=opened.pk)
    assert _lines(report) == _granted(application)
    assert sum(line[2] for line in _lines(report) if line[0] == "bpa") == 100_000


def test_the_opening_locks_the_change_request_before_the_report(
    application, caseworker, signatory, django_capture_on_commit_callbacks
):
    accept(application, caseworker, signatory, django_capture_on_commit_callbacks)
    recommended(ask(application, signatory), caseworker)

    with CaptureQueriesContext(connection) as queries:
        report_services.report_open(application=application)

    locking = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert [sql.split(" FROM ")[1].split()[0] for sql in locking[:2]] == [
        '"reporting_changerequest"', '"reporting_report"']
