"""Reminders with a fixed `now`: the contact person 30, 7 and 1 days before the deadline,
each once, extensions honoured; the office a list of its overdue reports, once each."""

from datetime import datetime, timedelta

import pytest
from django.conf import settings

from reporting import reminders, services, tasks
from tilskudd.models import Office

from .conftest import OSLO
from .helpers import ready_report


def _at(deadline: datetime, days_before: int, hour: int = 6) -> datetime:
    """`hour` o'clock (Oslo) on the day `days_before` days before the deadline's day."""
    day = deadline.astimezone(OSLO).date() - timedelta(days=days_before)
    return datetime(day.year, day.month, day.day, hour, tzinfo=OSLO)


def _run(now, capture) -> dict:
    with capture(execute=True):
        return reminders.send_reminders(now=now)


def _kinds(report) -> list[str]:
    return [reminders.kind_of(r) for r in reminders.sent_for(report)]


def test_each_reminder_goes_once_30_7_and_1_days_before(
    report, deadline, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    # 31 days before: nothing yet
    assert _run(_at(deadline, 31), capture) == {"contact": 0, "office": 0}
    # 30 days before: the first reminder, once however often the task runs that day
    assert _run(_at(deadline, 30), capture) == {"contact": 1, "office": 0}
    assert _run(_at(deadline, 30, hour=18), capture) == {"contact": 0, "office": 0}
    assert _run(_at(deadline, 8), capture) == {"contact": 0, "office": 0}
    # 7 and 1 days before
    assert _run(_at(deadline, 7), capture) == {"contact": 1, "office": 0}
    assert _run(_at(deadline, 1), capture) == {"contact": 1, "office": 0}
    assert _run(_at(deadline, 1, hour=20), capture) == {"contact": 0, "office": 0}

    assert _kinds(report) == ["days_30", "days_7", "days_1"]
    year = report.application.round.year
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["kari@trondheim.example.no"],
         f"Påminnelse: rapporten for KKT {year} skal sendes innen 1. mars {year + 1} kl. 23:59"),
    ] * 3
    assert "Det er 30 dager til fristen." in mailoutbox[0].body
    assert "Det er 7 dager til fristen." in mailoutbox[1].body
    assert "Fristen er i morgen." in mailoutbox[2].body
    assert f"{settings.SITE_URL}/rapporter/{report.pk}/" in mailoutbox[0].body


def test_a_late_first_run_sends_only_the_most_urgent(
    report, deadline, django_capture_on_commit_callbacks
):
    # the report was opened with five days left: the 7-day reminder only
    assert _run(_at(deadline, 5), django_capture_on_commit_callbacks)["contact"] == 1

    assert _kinds(report) == ["days_7"]


def test_no_reminders_for_a_report_that_is_sent(
    report, signatory, deadline, django_capture_on_commit_callbacks
):
    ready_report(report, signatory)
    services.report_submit(report=report, user=signatory, now=_at(deadline, 10))

    assert _run(_at(deadline, 1), django_capture_on_commit_callbacks) == {
        "contact": 0, "office": 0}
    assert _run(deadline + timedelta(days=1), django_capture_on_commit_callbacks) == {
        "contact": 0, "office": 0}
    assert _kinds(report) == []


def test_an_extension_moves_the_reminders(
    report, caseworker, deadline, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    # given: the 30-day reminder went; then the office extends the deadline by two weeks
    _run(_at(deadline, 30), capture)
    new = deadline + timedelta(days=14)
    services.report_extend_deadline(report=report, user=caseworker, new_deadline=new,
                                    reason="Sykdom.", now=_at(deadline, 20))

    # then: nothing on the old deadline's 7 and 1 days, nor the day after it
    for now in (_at(deadline, 7), _at(deadline, 1), deadline + timedelta(hours=1)):
        assert _run(now, capture) == {"contact": 0, "office": 0}
    # and the reminders come before the new one
    assert _run(_at(new, 7), capture) == {"contact": 1, "office": 0}
    assert _run(_at(new, 1), capture) == {"contact": 1, "office": 0}
    assert _kinds(report) == ["days_30", "days_7", "days_1"]
    assert mailoutbox[-1].subject.endswith(
        f"skal sendes innen 15. mars {deadline.year} kl. 23:59")


def test_the_office_gets_a_list_of_overdue_reports_once(
    report, rogaland_report, deadline, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    Office.objects.filter(code="trondelag").update(email="post@sftl.example.no")

    # the day after the deadline: one list per office, each report in it once
    assert _run(deadline + timedelta(hours=7), capture) == {"contact": 0, "office": 2}
    assert _run(deadline + timedelta(days=2), capture) == {"contact": 0, "office": 0}

    office_mails = {tuple(m.to): m for m in mailoutbox}
    trondelag = office_mails[("post@sftl.example.no",)]
    assert trondelag.subject == "Forsinkede rapporter: 1"
    assert "Trondheim - Tråante kommune" in trondelag.body
    assert "Stavanger" not in trondelag.body
    # an office without an e-mail address: its staff
    rogaland = office_mails[("godkjenner@sfro.example.no", "saksbehandler@sfro.example.no")]
    assert "Stavanger kommune" in rogaland.body
    assert _kinds(report) == ["overdue"]
    assert _kinds(rogaland_report) == ["overdue"]


@pytest.mark.django_db(transaction=True)
def test_the_daily_task_opens_reports_and_sends_reminders(
    application, deadline, mailoutbox
):
    # given: the application's own receipt mail is not what this test is about
    mailoutbox.clear()

    # when: the task runs 30 days before the deadline (eagerly, as in the default setup)
    result = tasks.daily.delay(now=_at(deadline, 30).isoformat()).get()

    # then: the report was opened, and the reminder went
    assert result == {"opened": 1, "contact": 1, "office": 0, "repayment_overdue": 0}
    assert [m.subject.split(":")[0] for m in mailoutbox] == ["Påminnelse"]
    assert tasks.daily.delay(now=_at(deadline, 30).isoformat()).get() == {
        "opened": 0, "contact": 0, "office": 0, "repayment_overdue": 0}


def test_beat_runs_the_daily_task_once_a_day(settings):
    from celery import current_app

    entry = settings.CELERY_BEAT_SCHEDULE["reporting-daily"]

    assert entry["task"] in current_app.tasks
    assert entry["schedule"] == timedelta(days=1)
