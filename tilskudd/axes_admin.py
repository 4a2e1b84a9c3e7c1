"""django-axes in the admin in the user's language: an attempt, a failure and a sign-in
named in words of ours, and the clean-up action's message through our catalogue.

The admin names an object by `str(obj)` wherever it shows one: the change page's title,
heading and breadcrumbs, the delete confirmation and its list of what goes with it, the
history page, the messages after a change or a deletion and the log's entries. axes'
`__str__` is an English f-string («Attempted Access: …») no catalogue reaches, so its
models are given ours here, which every one of those places reads. A proxy model of ours
would have moved the pages' addresses and permissions away from axes'.
Its status column is a count before one English phrase («1 Attempt Remaining»), ours a
plural through the catalogue. Its clean-up action's message is an f-string inside gettext
(`_(f"Cleaned up {count} …")`), never found in a catalogue, and the action fails on a
request axes has not prepared; our admin gives the action, working, with a message of ours.
(axes' field, model and filter names are in the root catalogues: admin_texts.AXES_TEXTS.)"""

from __future__ import annotations

from datetime import datetime

from axes import admin as axes_admin
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext


def _when(moment: datetime | None) -> str:
    """«15. januar 2026 kl. 11:03» in Oslo time (tilskudd/formats/), as the admin shows it."""
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else "–"


def _attempt_name(attempt: AccessAttempt) -> str:
    return _("Innloggingsforsøk for %(username)s, %(time)s") % {
        "username": attempt.username or "–", "time": _when(attempt.attempt_time)}


def _failure_name(failure: AccessFailureLog) -> str:
    figures = {"username": failure.username or "–", "ip": failure.ip_address or "–",
               "time": _when(failure.attempt_time)}
    if failure.locked_out:
        return _("Mislykket innlogging for %(username)s fra %(ip)s, %(time)s (sperret)") % (
            figures)
    return _("Mislykket innlogging for %(username)s fra %(ip)s, %(time)s") % figures


def _log_name(log: AccessLog) -> str:
    return _("Innlogging for %(username)s, %(time)s") % {
        "username": log.username or "–", "time": _when(log.attempt_time)}


def _expiration_name(expiration: AccessAttemptExpiration) -> str:
    return _("Utløper %(time)s") % {"time": _when(expiration.expires_at)}


AccessAttempt.__str__ = _attempt_name
AccessFailureLog.__str__ = _failure_name
AccessLog.__str__ = _log_name
AccessAttemptExpiration.__str__ = _expiration_name


class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    @admin.display(description=gettext_lazy("Status"))
    def status(self, attempt: AccessAttempt) -> str:
        # axes' own puts the count before one phrase («1 Attempt Remaining»): no plural
        left = settings.AXES_FAILURE_LIMIT - attempt.failures_since_start
        if left <= 0:
            return _("Locked Out")
        return ngettext("%(count)d forsøk igjen", "%(count)d forsøk igjen", left) % {
            "count": left}

    @admin.action(description=gettext_lazy("Clean up expired attempts"))
    def cleanup_expired_attempts(self, request, queryset):
        # axes' sweep counts the cool-off back from the request's axes_attempt_time, which
        # only its sign-in handling sets: without it axes' own action fails (AttributeError)
        AxesProxyHandler.update_request(request)
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(request, ngettext(
            "Ryddet bort %(count)d utløpt innloggingsforsøk.",
            "Ryddet bort %(count)d utløpte innloggingsforsøk.", count) % {"count": count})


if admin.site.is_registered(AccessAttempt):  # AXES_ENABLE_ADMIN
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, AccessAttemptAdmin)
