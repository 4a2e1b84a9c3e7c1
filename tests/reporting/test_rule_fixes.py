"""Issue 14, fixes to the reporting rules: a report returned for correction and not sent
again by the deadline is overdue (gate, reminders, the office's list); the deadline
«kl. 23:59» accepts the whole minute; completed + still studying + stopped must add up to
the persons on the line, or be explained."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from reporting import reminders, rules, selectors, services
from reporting.gates import overdue_report_gate
from reporting.models import Report, ReportStatus
from tilskudd.errors import ServiceError

from .helpers import ready_report, submitted_application


def _sent_kinds(report) -> list[str]:
    return [reminders.kind_of(r) for r in reminders.sent_for(report)]


def _returned(report, signatory, caseworker, deadline):
    ready_report(report, signatory)
    services.report_submit(report=report, user=signatory, now=deadline - timedelta(days=20))
    return services.report_return(report=report, user=caseworker, message="Rett tallene.",
                                  now=deadline - timedelta(days=10))


def test_a_returned_report_not_sent_again_by_the_deadline_is_overdue(
    report, signatory, caseworker, trondheim, next_round, deadline
):
    _returned(report, signatory, caseworker, deadline)
    after = deadline + timedelta(hours=1)

    assert [r.pk for r in selectors.overdue_reports_of(trondheim, after)] == [report.pk]
    assert list(selectors.overdue(Report.objects.all(), after)) == [report]
    gates = overdue_report_gate(trondheim, next_round, after)
    assert [g.blocking for g in gates] == [True]
    # before the deadline it is not (yet) overdue
    assert selectors.overdue_reports_of(trondheim, deadline - timedelta(days=1)) == []


def test_a_returned_report_sent_again_is_not_overdue(
    report, signatory, caseworker, trondheim, next_round, deadline
):
    _returned(report, signatory, caseworker, deadline)
    services.report_submit(report=report, user=signatory, now=deadline - timedelta(days=5))

    assert selectors.overdue_reports_of(trondheim, deadline + timedelta(days=1)) == []
    assert overdue_report_gate(trondheim, next_round, deadline + timedelta(days=1)) == []


def test_the_office_is_told_of_a_returned_report_not_sent_again(
    report, signatory, caseworker, deadline, mailoutbox, django_capture_on_commit_callbacks
):
    _returned(report, signatory, caseworker, deadline)
    with django_capture_on_commit_callbacks(execute=True):
        counts = reminders.send_reminders(now=deadline + timedelta(hours=7))

    assert counts["office"] == 1
    assert "overdue" in _sent_kinds(report)
    assert "Trondheim - Tråante kommune" in mailoutbox[-1].body


def test_the_deadline_minute_is_accepted_whole(deadline):
    assert rules.accepts_report_at(deadline, deadline + timedelta(seconds=59, microseconds=999999))
    assert not rules.accepts_report_at(deadline, deadline + timedelta(seconds=60))


def test_a_report_sent_at_23_59_30_is_accepted(report, signatory, deadline):
    ready_report(report, signatory)

    submission = services.report_submit(report=report, user=signatory,
                                        now=deadline + timedelta(seconds=30))

    assert submission.reference
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_a_report_sent_at_midnight_is_refused_and_kept_as_a_draft(report, signatory, deadline):
    ready_report(report, signatory)

    with pytest.raises(ServiceError) as refused:
        services.report_submit(report=report, user=signatory, now=deadline + timedelta(minutes=1))

    assert refused.value.code == "deadline_passed"
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert not report.submissions.exists()


def test_overdue_starts_at_midnight_not_within_the_minute(report, trondheim, deadline):
    assert selectors.overdue_reports_of(trondheim, deadline + timedelta(seconds=59)) == []
    assert [r.pk for r in selectors.overdue_reports_of(
        trondheim, deadline + timedelta(minutes=1))] == [report.pk]


# --- persons on a competence line ---------------------------------------------------------


def _persons(report, signatory, completed, still, stopped, explanation=None):
    line = report.competence_lines.order_by("source_id").first()
    data = {"id": line.pk, "completed": completed, "still_studying": still, "stopped": stopped,
            "amount_used": line.granted}
    if explanation is not None:
        data["persons_explanation"] = explanation
    services.report_update(report=report, user=signatory, competence=[data])
    return line


def test_persons_that_do_not_add_up_stop_the_report_next_to_the_line(
    report, signatory, deadline
):
    ready_report(report, signatory)
    line = _persons(report, signatory, 1, 0, 0)  # the line is for 3 employees

    with pytest.raises(ServiceError) as refused:
        services.report_submit(report=report, user=signatory, now=deadline - timedelta(days=1))

    [error] = [e for e in refused.value.errors if e.field == "persons_explanation"]
    assert error.section == "competence"
    assert error.line_id == line.pk
    assert "1 fullført, 0 studerer fortsatt og 0 avbrutt er 1, men linjen gjelder 3" in (
        error.message)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert not report.submissions.exists()


def test_an_explanation_lets_persons_that_do_not_add_up_through(report, signatory, deadline):
    ready_report(report, signatory)
    _persons(report, signatory, 1, 0, 0, explanation="To sluttet i kommunen før studiestart.")

    submission = services.report_submit(report=report, user=signatory,
                                        now=deadline - timedelta(days=1))

    assert submission.reference


def test_persons_that_add_up_need_no_explanation(report, signatory):
    ready_report(report, signatory)
    _persons(report, signatory, 1, 1, 1)
    report = selectors.report_with_content(report.pk)

    assert [e for e in rules.check_report(report) if e.field == "persons_explanation"] == []


def test_the_line_form_shows_the_persons_message_next_to_the_field(report):
    from reporting.forms import CompetenceForm

    line = report.competence_lines.order_by("source_id").first()  # for 3 employees
    form = CompetenceForm(
        data={"completed": "1", "still_studying": "0", "stopped": "0", "amount_used": "100",
              "persons_explanation": ""},
        line=line,
    )

    assert not form.is_valid()
    assert "men linjen gjelder 3" in form.errors["persons_explanation"][0]


def test_the_returned_report_gets_a_reminder_once(
    report, signatory, caseworker, deadline, mailoutbox, django_capture_on_commit_callbacks
):
    _returned(report, signatory, caseworker, deadline)
    returned_at = deadline - timedelta(days=10)

    def run(now):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders.send_reminders(now=now)

    run(returned_at + timedelta(days=3))
    assert "returned" not in _sent_kinds(report)
    run(returned_at + timedelta(days=7, hours=1))
    run(returned_at + timedelta(days=8))

    assert _sent_kinds(report).count("returned") == 1
    [mail] = [m for m in mailoutbox if m.subject.startswith("Påminnelse: rapporten må rettes")]
    assert "Rett tallene." in mail.body
    assert f"{settings.SITE_URL}/rapporter/{report.pk}/" in mail.body


# --- the office is warned when it decides for an organisation with an overdue report --------


def _case_page(client, user, application) -> str:
    client.force_login(user)
    return client.get(reverse("admin:assessment_submittedapplication_change",
                              args=[application.pk])).content.decode()


def test_the_case_page_warns_of_an_overdue_returned_report(
    client, report, signatory, caseworker, trondheim, next_round, deadline
):
    new_application = submitted_application(trondheim, next_round, signatory)
    assert 'id="case-warnings"' not in _case_page(client, caseworker, new_application)

    _returned(report, signatory, caseworker, deadline)
    Report.objects.filter(pk=report.pk).update(  # the deadline (extended) has passed
        extended_deadline=timezone.now() - timedelta(days=1))

    page = _case_page(client, caseworker, new_application)
    warnings = page.split('id="case-warnings"', 1)[1].split("</ul>", 1)[0]
    assert "Forsinket rapport:" in warnings
    assert f"Trondheim - Tråante kommune har ikke sendt inn rapporten om tilskuddet for " \
           f"KKT {report.application.round.year}" in warnings
