"""Reminders every app sends, each once: a SentReminder row, unique per kind and key (an
application's deadline reminder 7 days before, a letter not accepted, ...), is written
before the e-mail is queued in the outbox (tilskudd.outbox.queue_email) for after the
commit; two runs at once cannot both send one, the unique constraint decides.

When a reminder is due before a deadline is asked of `due_before` (the calendar days in
Oslo, the most urgent one); whether one was sent about a row, in the same query as the rows,
of `was_sent`."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import deadlines

OSLO = ZoneInfo("Europe/Oslo")


class SentReminder(models.Model):
    """A reminder that has been sent: what kind, about what (`key`), when, to whom."""

    kind = models.CharField(_("påminnelse"), max_length=40)
    key = models.CharField(_("gjelder"), max_length=80)
    sent_at = models.DateTimeField(_("sendt"), default=timezone.now)
    recipients = models.JSONField(_("mottakere"), default=list, blank=True)

    class Meta:
        app_label = "tilskudd"
        ordering = ["sent_at", "pk"]
        verbose_name = _("sendt påminnelse")
        verbose_name_plural = _("sendte påminnelser")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="sent_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


def record_once(*, kind: str, key: str, recipients: list[str], now: datetime) -> bool:
    """Record a reminder; False if it was sent before."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(kind=kind, key=key, recipients=recipients, sent_at=now)
    except IntegrityError:
        return False
    return True


def sent_keys(kind_prefix: str) -> set[tuple[str, str]]:
    """(kind, key) of the reminders sent whose kind starts with `kind_prefix`."""
    return set(SentReminder.objects.filter(kind__startswith=kind_prefix)
               .values_list("kind", "key"))


def was_sent(kind: str, about: str = "pk") -> Exists:
    """Whether a reminder of `kind` was sent about a row whose `about` (its primary key
    unless told) is the key: for a queryset's .filter(), .exclude() or .annotate()."""
    return Exists(SentReminder.objects.filter(
        kind=kind, key=Cast(OuterRef(about), output_field=models.CharField())))


def days_left(deadline: datetime, now: datetime) -> int:
    """Whole calendar days, in Oslo, from today to the deadline's day (0 on the day)."""
    return (deadline.astimezone(OSLO).date() - now.astimezone(OSLO).date()).days


def due_before(deadline: datetime, now: datetime, days: tuple[int, ...]) -> int | None:
    """The reminder of `days` (e.g. 7 or 1 days before) that is due now, the most urgent;
    None when none is (more days left than any, or the deadline has passed)."""
    if not deadlines.is_open(deadline, now):
        return None
    left = days_left(deadline, now)
    due = [d for d in days if left <= d]
    return min(due) if due else None
