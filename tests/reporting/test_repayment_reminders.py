"""An overdue repayment claim: the day after its due date (in Oslo) the recipient is reminded
once (a SentReminder row), with the amount, the reference and the letter's link, in the
organisation's language; not before, not for a claim paid or cancelled, and by the daily
task the beat runs."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from reporting import repayment_reminders, repayments, tasks
from reporting.transfer_models import RepaymentClaim
from tilskudd.languages import WrittenLanguage
from tilskudd.links import absolute_url
from tilskudd.outbox import OutboundEmail
from tilskudd.reminders import SentReminder

from .conftest import OSLO
from .test_repayments import repaid  # noqa: F401 (the fixture)


def day_after_due(claim: RepaymentClaim, days: int = 1, hour: int = 6) -> datetime:
    return datetime.combine(claim.due_date + timedelta(days=days), time(hour), tzinfo=OSLO)


def run(now, capture) -> int:
    with capture(execute=True):
        return repayment_reminders.send_overdue_claim_reminders(now=now)


def reminders_sent():
    return list(OutboundEmail.objects.filter(kind=repayment_reminders.REMINDER_KIND))


def test_an_overdue_claim_is_reminded_once(repaid, django_capture_on_commit_callbacks):  # noqa: F811
    capture = django_capture_on_commit_callbacks
    on_due_day = datetime.combine(repaid.due_date, time(23, 30), tzinfo=OSLO)
    assert run(on_due_day, capture) == 0
    assert run(day_after_due(repaid), capture) == 1
    assert run(day_after_due(repaid, hour=18), capture) == 0
    assert run(day_after_due(repaid, days=10), capture) == 0

    [email] = reminders_sent()
    reference = repayments.claim_reference(repaid)
    assert reference in email.subject and email.subject.startswith("Påminnelse")
    assert "kr\u00a030\u00a0000" in email.body and reference in email.body
    assert absolute_url("reporting:repayment_letter", repaid.pk) in email.body
    assert repaid.report.application.contact_email in email.to
    assert SentReminder.objects.filter(kind="repayment_overdue", key=str(repaid.pk)).count() == 1


def test_a_paid_or_cancelled_claim_is_not_reminded(
        repaid, caseworker, django_capture_on_commit_callbacks):  # noqa: F811
    repayments.repayment_mark_paid(claim=repaid, user=caseworker,
                                   paid_on=timezone.localdate())
    assert run(day_after_due(repaid), django_capture_on_commit_callbacks) == 0

    RepaymentClaim.objects.filter(pk=repaid.pk).update(status="open", paid_on=None,
                                                        paid_by=None)
    repayments.repayment_claim_cancel(claim=repaid, user=caseworker, reason="Feil krav.")
    assert run(day_after_due(repaid), django_capture_on_commit_callbacks) == 0
    assert reminders_sent() == []


def test_the_reminder_is_in_the_organisations_language(
        repaid, django_capture_on_commit_callbacks):  # noqa: F811
    organisation = repaid.report.application.organisation
    organisation.written_language = WrittenLanguage.NYNORSK
    organisation.save(update_fields=["written_language"])

    run(day_after_due(repaid), django_capture_on_commit_callbacks)

    [email] = reminders_sent()
    assert "ikkje" in email.body


def test_the_daily_task_sends_it(repaid, mailoutbox):  # noqa: F811
    mailoutbox.clear()

    result = tasks.daily.delay(now=day_after_due(repaid).isoformat()).get()

    assert result["repayment_overdue"] == 1
    assert tasks.daily.delay(now=day_after_due(repaid).isoformat()).get()[
        "repayment_overdue"] == 0
