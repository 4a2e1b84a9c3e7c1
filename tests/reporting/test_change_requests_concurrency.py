"""Two approvers deciding one change request at once on PostgreSQL give one decision and
one letter; two signatories asking at once give one request."""

import itertools
import threading

import pytest
from django.db import connection

from reporting.changes import services
from reporting.changes.models import ChangeLetter, ChangeRequest, ChangeRequestEvent, ChangeStatus
from tests.applications.test_concurrency import run_together
from tests.tilskudd.factories import member, office_staff
from tilskudd.errors import ServiceError
from tilskudd.models import MembershipRole, OfficeRole

from .change_helpers import accept, ask, recommended

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _each_once(users):
    """A function that hands each thread the next of `users`."""
    lock, given = threading.Lock(), itertools.cycle(users)

    def next_user():
        with lock:
            return next(given)

    return next_user


def test_two_approvers_at_once_make_one_decision(
    application, caseworker, approver, signatory, trondheim, django_capture_on_commit_callbacks
):
    accept(application, caseworker, signatory, django_capture_on_commit_callbacks)
    change = recommended(ask(application, signatory), caseworker)
    other = office_staff(trondheim.office, OfficeRole.APPROVER, email="g2@sftl.example.no")
    next_user = _each_once([approver, other])

    results = run_together(lambda: services.change_request_decide(
        change_request=change, user=next_user()))

    decided = [r for r in results if isinstance(r, ChangeRequest)]
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert (len(decided), len(refused)) == (1, 1), results
    assert refused[0].code == "not_recommended"
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED
    assert change.decided_by == decided[0].decided_by
    assert ChangeLetter.objects.filter(change_request=change).count() == 1
    assert ChangeRequestEvent.objects.filter(change_request=change,
                                             to_status=ChangeStatus.APPROVED).count() == 1


def test_two_signatories_asking_at_once_make_one_request(
    application, caseworker, signatory, trondheim, django_capture_on_commit_callbacks
):
    accept(application, caseworker, signatory, django_capture_on_commit_callbacks)
    second = member(trondheim, MembershipRole.SIGNATORY, email="signatur2@trondheim.example.no")
    next_user = _each_once([signatory, second])

    results = run_together(lambda: ask(application, next_user()))

    made = [r for r in results if isinstance(r, ChangeRequest)]
    assert len(made) == 1, results
    assert [r.code for r in results if isinstance(r, ServiceError)] == ["pending"]
    assert ChangeRequest.objects.count() == 1


def test_a_report_sent_while_a_change_is_decided_never_keeps_lines_it_was_not_sent_with(
    application, caseworker, approver, signatory, django_capture_on_commit_callbacks,
    monkeypatch
):
    # given: a report filled in with every line used in full, and a change that moves money
    from reporting import services as report_services
    from reporting import snapshot
    from reporting.changes import selectors
    from reporting.models import Report, ReportStatus

    from .helpers import ready_report
    accept(application, caseworker, signatory, django_capture_on_commit_callbacks)
    report = report_services.report_open(application=application, user=signatory)
    ready_report(report, signatory, used=lambda line: line.granted)
    change = recommended(ask(application, signatory), caseworker)
    sent: list = []
    sending: list[threading.Thread] = []

    def submit():
        try:
            sent.append(report_services.report_submit(report=report, user=signatory))
        except ServiceError as error:
            sent.append(error)
        finally:
            connection.close()

    real = selectors.current_grant

    def current_grant_while_the_report_is_sent(*args, **kwargs):
        # the decision has asked whether the report is open; the signatory sends it now
        sending.append(threading.Thread(target=submit))
        sending[0].start()
        sending[0].join(timeout=5)  # it waits on the report's lock, if the decision holds it
        return real(*args, **kwargs)

    monkeypatch.setattr(selectors, "current_grant", current_grant_while_the_report_is_sent)
    # eager tasks one thread at a time: Celery's denied_join_result flag is process-wide
    from celery.app.task import Task
    apply_async, alone = Task.apply_async, threading.RLock()

    def apply_async_alone(self, *args, **kwargs):
        with alone:
            return apply_async(self, *args, **kwargs)

    monkeypatch.setattr(Task, "apply_async", apply_async_alone)
    # when
    decided = services.change_request_decide(change_request=change, user=approver)
    sending[0].join(timeout=30)
    # then: the change moved the lines, and a report sent was sent with the lines it has
    # (its receipt's content says what the lines say), else the sending was refused
    assert decided.status == ChangeStatus.APPROVED
    report = Report.objects.get(pk=report.pk)
    lines = [*report.competence_lines.all(), *report.bpa_lines.all()]
    assert any(line.amount_used != line.granted for line in lines)
    if report.status == ReportStatus.SUBMITTED:
        content = report.submissions.get(returned_at__isnull=True).content
        assert sorted(line["granted"] for line in [*content["competence"], *content["bpa"]]) \
            == sorted(snapshot._money(line.granted) for line in lines)
    else:
        assert len(sent) == 1 and isinstance(sent[0], ServiceError), sent
