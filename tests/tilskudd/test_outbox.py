"""The e-mail outbox: a queued e-mail is sent once after the commit, an SMTP or broker
fault never breaks the work that queued it, and the sweep sends what was left pending."""

import smtplib
import time
from datetime import timedelta

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from applications import services as application_services
from applications.models import ReceiptDocument, Submission
from tests.applications import conftest as applications
from tests.applications.test_concurrency import run_together
from tests.tilskudd.factories import UserFactory, office_staff
from tilskudd import outbox
from tilskudd.celery import app as celery_app
from tilskudd.models import AuditEvent
from tilskudd.outbox import EmailStatus, OutboundEmail, queue_email
from tilskudd.tasks import send_outbox_email

# An organisation with an editor and a signatory, and a complete draft (the application
# tests' fixtures).
trondheim = applications.trondheim
open_round = applications.open_round
editor = applications.editor
signatory = applications.signatory
draft = applications.draft

SMTP_ERROR = "SMTPServerDisconnected: Connection unexpectedly closed"


class FailingBackend(BaseEmailBackend):
    """An SMTP server that hangs up on every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class FlakyBackend(LocmemBackend):
    """Hangs up on the first message, then delivers to mail.outbox."""

    failures_left = 0

    def send_messages(self, email_messages):
        if FlakyBackend.failures_left:
            FlakyBackend.failures_left -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(email_messages)


class SlowBackend(LocmemBackend):
    """Takes a moment per message, so two senders overlap."""

    def send_messages(self, email_messages):
        time.sleep(0.5)
        return super().send_messages(email_messages)


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "tests.tilskudd.test_outbox.FailingBackend"


@pytest.fixture
def smtp_flaky(settings):
    settings.EMAIL_BACKEND = "tests.tilskudd.test_outbox.FlakyBackend"
    FlakyBackend.failures_left = 1
    yield
    FlakyBackend.failures_left = 0


def _reset_broker_connections() -> None:
    # The app keeps its connection pools; drop them so no later test reuses a dead broker.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    """A real (not eager) Celery app pointed at a port nobody listens on."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    conf.task_always_eager = False
    conf.broker_url = "redis://127.0.0.1:1/0"
    _reset_broker_connections()
    yield
    conf.task_always_eager, conf.broker_url = saved
    _reset_broker_connections()


def _queue(**overrides) -> OutboundEmail:
    data = {"to": ["kari@trondheim.example.no"], "subject": "Kvittering",
            "body": "Søknaden er sendt inn.", **overrides}
    return queue_email(**data)


@pytest.mark.django_db
def test_a_queued_email_is_sent_after_the_commit_and_marked_sent(
    mailoutbox, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue(kind="application_receipt", reference="KKT-2027-5001-7F3K")
        assert mailoutbox == []

    assert [(m.to, m.subject, m.body, m.from_email) for m in mailoutbox] == [
        (["kari@trondheim.example.no"], "Kvittering", "Søknaden er sendt inn.",
         settings.DEFAULT_FROM_EMAIL)
    ]
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (EmailStatus.SENT, 1, "")
    assert email.sent_at is not None
    assert (email.kind, email.reference) == ("application_receipt", "KKT-2027-5001-7F3K")


@pytest.mark.django_db
def test_running_the_task_twice_sends_once(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue()

    again = send_outbox_email.apply(args=(email.pk,))

    assert again.get() == EmailStatus.SENT
    assert len(mailoutbox) == 1
    email.refresh_from_db()
    assert email.attempts == 1


@pytest.mark.django_db
def test_recipients_are_deduplicated_and_invalid_ones_left_out():
    email = _queue(to=["kari@trondheim.example.no", " kari@trondheim.example.no", "",
                       "ikke en adresse", "ola@trondheim.example.no"])

    assert email.to == ["kari@trondheim.example.no", "ola@trondheim.example.no"]


@pytest.mark.django_db
def test_nothing_is_queued_without_a_recipient(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        email = _queue(to=["", "   "])

    assert email is None
    assert callbacks == []
    assert OutboundEmail.objects.count() == 0


@pytest.mark.django_db
def test_a_line_break_in_the_subject_cannot_add_a_header(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue(subject="Søknad klar til signering: Org\r\nBcc: ond@example.com")

    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert mailoutbox[0].subject == "Søknad klar til signering: Org Bcc: ond@example.com"
    assert mailoutbox[0].bcc == []


@pytest.mark.django_db
def test_an_smtp_failure_leaves_the_row_pending_with_the_error(smtp_down):
    email = _queue()
    now = timezone.now()

    with pytest.raises(outbox.DeliveryFailed) as failure:
        outbox.deliver(email.pk, now=now)

    assert failure.value.retry_in == 60
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (
        EmailStatus.PENDING, 1, SMTP_ERROR)
    assert email.enqueued_at == now + timedelta(seconds=60)
    assert email.sent_at is None


@pytest.mark.django_db
def test_smtp_down_does_not_break_the_service_and_the_row_fails_after_the_last_try(
    draft, editor, smtp_down, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application_services.application_request_signature(application=draft, user=editor)

    draft.refresh_from_db()
    assert draft.signature_requested_at is not None
    email = OutboundEmail.objects.get()
    assert (email.status, email.attempts, email.last_error) == (
        EmailStatus.FAILED, outbox.MAX_ATTEMPTS, SMTP_ERROR)
    assert email.to == ["signatur@example.no"]
    assert email.kind == "application_request_signature"
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_failed_try_is_retried_and_the_email_sent_once(
    smtp_flaky, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue()

    assert [m.to for m in mailoutbox] == [["kari@trondheim.example.no"]]
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (
        EmailStatus.SENT, 2, SMTP_ERROR)


@pytest.mark.django_db(transaction=True)
def test_submit_succeeds_with_the_broker_down_and_the_sweep_sends_the_receipt_later(
    client, draft, signatory, broker_down, mailoutbox, monkeypatch
):
    # The receipt PDF has its own path through the broker; this test is about e-mail.
    monkeypatch.setattr(ReceiptDocument, "enqueue_on_commit", lambda job: None)
    client.force_login(signatory)

    started = time.monotonic()
    response = client.post(reverse("applications:submit", args=[draft.pk]))
    elapsed = time.monotonic() - started

    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:receipt", args=[submission.reference])
    assert elapsed < 15, f"the request waited {elapsed:.1f} s for the broker"
    email = OutboundEmail.objects.get()
    assert (email.status, email.attempts, email.kind, email.reference) == (
        EmailStatus.PENDING, 0, "application_receipt", submission.reference)
    assert mailoutbox == []

    celery_app.conf.task_always_eager = True
    swept = outbox.sweep_pending(now=timezone.now() + outbox.SWEEP_AFTER + timedelta(seconds=1))

    assert swept == 1
    assert [m.subject for m in mailoutbox] == [
        f"Kvittering: søknad sendt inn ({submission.reference})"]
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT


@pytest.mark.django_db
def test_the_sweep_leaves_recent_sent_and_failed_rows_alone(
    mailoutbox, django_capture_on_commit_callbacks
):
    now = timezone.now()
    long_ago = now - outbox.SWEEP_AFTER - timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        sent = _queue(subject="Sendt")
    failed = _queue(subject="Feilet")
    recent = _queue(subject="Nylig")
    stale = _queue(subject="Glemt")
    OutboundEmail.objects.filter(pk__in=[sent.pk, failed.pk, stale.pk]).update(
        enqueued_at=long_ago)
    OutboundEmail.objects.filter(pk=failed.pk).update(status=EmailStatus.FAILED)
    mailoutbox.clear()

    assert outbox.sweep_pending(now=now) == 1

    assert [m.subject for m in mailoutbox] == ["Glemt"]
    recent.refresh_from_db()
    assert recent.status == EmailStatus.PENDING


@pytest.mark.django_db
def test_the_sweep_stops_at_the_first_enqueue_that_fails(broker_down):
    long_ago = timezone.now() - outbox.SWEEP_AFTER - timedelta(seconds=1)
    _queue(subject="En")
    _queue(subject="To")
    OutboundEmail.objects.update(enqueued_at=long_ago)

    assert outbox.sweep_pending() == 0

    assert list(OutboundEmail.objects.values_list("status", flat=True)) == [
        EmailStatus.PENDING, EmailStatus.PENDING]


@pytest.mark.django_db
def test_an_email_queued_in_a_transaction_that_rolls_back_is_never_sent(
    mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _queue()
        raise RuntimeError("the work failed")

    assert callbacks == []
    assert OutboundEmail.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_superuser_sends_a_failed_email_again(
    smtp_down, settings, mailoutbox, django_capture_on_commit_callbacks
):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue()
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with django_capture_on_commit_callbacks(execute=True):
        outbox.email_resend(email=email, user=admin_user)

    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 1)
    assert len(mailoutbox) == 1
    event = AuditEvent.objects.get(action="outbox_resend")
    assert (event.actor, event.target_id, event.data) == (
        admin_user, email.pk, {"last_error": SMTP_ERROR})


@pytest.mark.django_db
def test_superuser_lists_the_outbox_filtered_by_status(client, smtp_down,
                                                       django_capture_on_commit_callbacks):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    with django_capture_on_commit_callbacks(execute=True):
        failed = _queue(subject="Feilet")
    _queue(subject="Venter")

    response = client.get(reverse("admin:tilskudd_outboundemail_changelist"),
                          {"status__exact": "failed"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [failed]


@pytest.mark.django_db
def test_office_staff_cannot_see_the_outbox(client, trondheim):
    _queue()
    client.force_login(office_staff(trondheim.office))

    response = client.get(reverse("admin:tilskudd_outboundemail_changelist"))

    assert response.status_code == 403


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_a_row_once(settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.tilskudd.test_outbox.SlowBackend"
    # Written directly: queue_email outside a transaction would send it at once.
    email = OutboundEmail.objects.create(to=["kari@trondheim.example.no"], subject="Kvittering",
                                         body="Søknaden er sendt inn.")

    results = run_together(lambda: outbox.deliver(email.pk))

    assert results == [EmailStatus.SENT, EmailStatus.SENT]
    assert len(mailoutbox) == 1
    email.refresh_from_db()
    assert email.attempts == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_a_queued_email(celery_worker_process):
    email = _queue()  # no transaction around it: enqueued through Redis at once

    deadline = time.monotonic() + 60
    while email.status == EmailStatus.PENDING and time.monotonic() < deadline:
        time.sleep(0.5)
        email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 1), email.last_error
