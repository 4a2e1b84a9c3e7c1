"""E-mail leaves through an outbox. `queue_email` writes a row inside the caller's
transaction, so the row exists exactly when the work committed; after the commit a Celery
task sends it, retrying with backoff on SMTP errors, and a periodic sweep re-enqueues rows
left pending. An SMTP or broker fault is logged and never reaches the request that did the
work."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
#: Seconds to wait after the first and after the second failed try.
RETRY_DELAYS = (60, 300)
#: A row still pending this long after it was (last) due is handed to the worker again.
SWEEP_AFTER = timedelta(minutes=2)
SWEEP_BATCH = 500
SEND_TASK = "tilskudd.tasks.send_outbox_email"
SUBJECT_MAX_LENGTH = 255


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Venter")
    SENT = "sent", _("Sendt")
    FAILED = "failed", _("Feilet")


class OutboundEmail(models.Model):
    """One e-mail to send. `enqueued_at` is when it was last handed to the worker, or
    when its next try is due after a failure."""

    to = models.JSONField(_("mottakere"), default=list)
    subject = models.CharField(_("emne"), max_length=SUBJECT_MAX_LENGTH)
    body = models.TextField(_("tekst"))
    kind = models.CharField(_("type"), max_length=60, blank=True)
    reference = models.CharField(_("referanse"), max_length=80, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("forsøk"), default=0)
    last_error = models.TextField(_("siste feil"), blank=True)
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now, db_index=True)
    enqueued_at = models.DateTimeField(_("lagt i kø"), default=timezone.now)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("utgående e-post")
        verbose_name_plural = _("utgående e-poster")
        indexes = [models.Index(fields=["status", "enqueued_at"], name="outbox_status_due")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=EmailStatus.SENT) | Q(sent_at__isnull=False),
                name="outbound_email_sent_has_sent_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"


class DeliveryFailed(Exception):  # noqa: N818 (a state, not a programming error)
    """One try failed and the row is still pending: try again in `retry_in` seconds."""

    def __init__(self, error: str, *, retry_in: int) -> None:
        super().__init__(error)
        self.retry_in = retry_in


def _addresses(to: Iterable[str]) -> list[str]:
    """The recipients in the order given, each once; an invalid address is left out
    (and logged) rather than failing the work that sends the e-mail."""
    addresses = []
    for address in dict.fromkeys(a.strip() for a in to if a and a.strip()):
        try:
            validate_email(address)
        except ValidationError:
            logger.warning("Outbox: leaving out invalid address %r", address)
            continue
        addresses.append(address)
    return addresses


def _without_unverified(addresses: list[str]) -> list[str]:
    from django.contrib.auth import get_user_model  # tilskudd.models imports this module

    unverified = {
        email.lower() for email in get_user_model().objects.filter(
            email__in=[a.lower() for a in addresses], pid_hash__isnull=False,
            email_verified_at__isnull=True,
        ).values_list("email", flat=True)
    }
    if unverified:
        logger.info("Outbox: leaving out %s unverified address(es)", len(unverified))
    return [a for a in addresses if a.lower() not in unverified]


@transaction.atomic
def queue_email(
    *, to: Iterable[str], subject: str, body: str, kind: str = "", reference: str = "",
    unverified_ok: bool = False,
) -> OutboundEmail | None:
    """Write an e-mail to the outbox in the caller's transaction and send it after the
    commit. Nothing is written when there is no valid recipient. Never raises for a broker
    or SMTP fault: the row stays pending and the sweep sends it later. An address that a
    person from ID-porten has not yet verified is left out unless `unverified_ok` (the
    verification e-mail itself)."""
    recipients = _addresses(to)
    if not unverified_ok:
        recipients = _without_unverified(recipients)
    if not recipients:
        return None
    # A header holds one line: a name with a line break in it must not break the e-mail.
    one_line = re.sub(r"\s*[\r\n]+\s*", " ", str(subject)).strip()
    email = OutboundEmail(
        to=recipients, subject=one_line[:SUBJECT_MAX_LENGTH], body=str(body),
        kind=kind, reference=reference[:80],
    )
    # A new row is pending: the constraint on a sent row's time (a query) has nothing to ask.
    email.full_clean(exclude=["status", "sent_at"])
    email.save()
    transaction.on_commit(partial(enqueue, email.pk), robust=True)
    return email


def enqueue(email_id: int) -> bool:
    """Hand one row to the worker (in-process in eager mode). False, and logged, when the
    broker cannot be reached; the sweep tries again."""
    from .tasks import send_outbox_email

    try:
        # No publish retries: a request must not wait for a broker that is down.
        send_outbox_email.apply_async((email_id,), retry=False)
    except Exception:
        logger.exception("Outbox: could not enqueue e-mail %s; the sweep will send it", email_id)
        return False
    return True


def retry_delay(attempts: int) -> int:
    """Seconds before the next try after `attempts` failed tries."""
    return RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]


def deliver(email_id: int, *, now: datetime | None = None) -> str:
    """Send one row and mark it sent; returns its status. The row is locked while it is
    sent, so two workers never send it twice, and a row no longer pending is left alone.
    A failed try is recorded on the row; raises DeliveryFailed while tries remain, and
    after the last one marks the row failed."""
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None:
            logger.warning("Outbox: e-mail %s does not exist", email_id)
            return "missing"
        if email.status != EmailStatus.PENDING:
            return email.status
        email.attempts += 1
        message = EmailMessage(
            subject=email.subject, body=email.body,
            from_email=settings.DEFAULT_FROM_EMAIL, to=email.to,
        )
        try:
            message.send()
        except Exception as exc:
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            failure = _record_failure(email, now or timezone.now())
        else:
            email.status = EmailStatus.SENT
            email.sent_at = now or timezone.now()
            email.save(update_fields=["status", "attempts", "sent_at"])
            return email.status
    if failure:
        raise failure
    return email.status


def _record_failure(email: OutboundEmail, now: datetime) -> DeliveryFailed | None:
    if email.attempts >= MAX_ATTEMPTS:
        email.status = EmailStatus.FAILED
        logger.error("Outbox: e-mail %s failed after %s tries: %s",
                     email.pk, email.attempts, email.last_error)
        failure = None
    else:
        delay = retry_delay(email.attempts)
        email.enqueued_at = now + timedelta(seconds=delay)
        logger.warning("Outbox: e-mail %s try %s failed, next in %s s: %s",
                       email.pk, email.attempts, delay, email.last_error)
        failure = DeliveryFailed(email.last_error, retry_in=delay)
    email.save(update_fields=["status", "attempts", "last_error", "enqueued_at"])
    return failure


def sweep_pending(*, now: datetime | None = None) -> int:
    """Re-enqueue rows still pending SWEEP_AFTER after they were due, so a lost message or
    a broker outage loses no e-mail. Stops at the first enqueue that fails (the broker is
    down; the next sweep goes on). Returns how many were handed on."""
    now = now or timezone.now()
    stale = list(
        OutboundEmail.objects.filter(
            status=EmailStatus.PENDING, enqueued_at__lt=now - SWEEP_AFTER
        ).order_by("enqueued_at").values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    count = 0
    for pk in stale:
        OutboundEmail.objects.filter(pk=pk, status=EmailStatus.PENDING).update(enqueued_at=now)
        if not enqueue(pk):
            break
        count += 1
    return count


@transaction.atomic
def email_resend(*, email: OutboundEmail, user) -> OutboundEmail:
    """A superuser sends a failed e-mail again: it gets fresh tries, after the commit."""
    from .services import audit

    email = OutboundEmail.objects.select_for_update().get(pk=email.pk)
    if email.status != EmailStatus.FAILED:
        return email
    email.status = EmailStatus.PENDING
    email.attempts = 0
    email.enqueued_at = timezone.now()
    email.save(update_fields=["status", "attempts", "enqueued_at"])
    audit(actor=user, action="outbox_resend", target=email, last_error=email.last_error)
    transaction.on_commit(partial(enqueue, email.pk), robust=True)
    return email
