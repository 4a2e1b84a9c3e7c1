"""Signing in: the page a locked-out person sees, and the audit trail of sign-ins.

django-axes counts failed sign-ins per (username, address), the username lower-case in
whatever capitals it was typed (`axes_username`), and locks that pair for
AXES_COOLOFF_TIME; it then calls `lockout_response` (AXES_LOCKOUT_CALLABLE). Sign-ins,
sign-outs, failures and lockouts are written to the audit log by the receivers below,
connected once in `TilskuddConfig.ready()` through `connect_signals()`.

Django's and axes' signals are the documented integration points for this, so they are
used here; domain logic elsewhere does not use signals. No password is ever stored: the
credentials Django sends are not kept, only the username that was typed.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from axes.helpers import get_client_ip_address, get_cool_off
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .models import User
from .services import audit

logger = logging.getLogger(__name__)

OSLO = ZoneInfo("Europe/Oslo")

ACTION_LOGIN = "user_login"
ACTION_LOGOUT = "user_logout"
ACTION_LOGIN_FAILED = "user_login_failed"
ACTION_LOCKED_OUT = "user_locked_out"

#: the login form's field for the e-mail address (AuthenticationForm calls it "username")
USERNAME_KEY = "username"
#: longest attempted username kept in the audit row (the form allows 254 characters)
USERNAME_MAX = 254


# --- Whose failures are counted ---------------------------------------------------------

def axes_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The address axes counts failures under (AXES_USERNAME_CALLABLE): the one typed,
    stripped and lower-case as addresses are stored, so «KARI@example.no» and
    «kari@example.no» share one lockout. axes passes the backend's credentials, or None
    from its middleware, where the address is the POST's."""
    if credentials:
        username = credentials.get(USERNAME_KEY)
    else:
        username = getattr(request, "POST", {}).get(USERNAME_KEY)
    return username.strip().lower() if isinstance(username, str) else username


# --- The lockout page -------------------------------------------------------------------

def locked_until(request: HttpRequest) -> datetime:
    """When the lock on this request's (username, address) ends, rounded up to a minute.

    axes restarts the cool-off at every attempt made during a lockout
    (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT, on by default), so the lock ends one
    cool-off after this attempt."""
    attempt_time = getattr(request, "axes_attempt_time", None) or timezone.now()
    cool_off = get_cool_off(request) or timedelta(0)
    until = attempt_time + cool_off
    if until.second or until.microsecond:
        until = until.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return until


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """The Norwegian lockout page (status 429), saying at what time to try again.

    axes calls this as (request, original_response, credentials); neither is needed."""
    cool_off = get_cool_off(request) or timedelta(0)
    until = timezone.localtime(locked_until(request), OSLO)
    context = {
        "minutes": math.ceil(cool_off.total_seconds() / 60),
        "until": until,
        "until_time": until.strftime("%H:%M"),
    }
    return render(request, "registration/locked_out.html", context, status=429)


# --- The audit trail --------------------------------------------------------------------

def _ip_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    ip_address = getattr(request, "axes_ip_address", None)
    return ip_address or get_client_ip_address(request)


def _user_by_username(username: str | None) -> User | None:
    if not username:
        return None
    return User.objects.filter(email__iexact=username.strip()).first()


def _attempted(username: str | None) -> str:
    return (username or "")[:USERNAME_MAX]


def _audit_safely(*, actor: User | None, action: str, target: User, **data) -> None:
    """An audit row that cannot be written is logged; it never turns a sign-in into a 500."""
    try:
        with transaction.atomic():
            audit(actor=actor, action=action, target=target, **data)
    except DatabaseError:
        logger.exception("Could not write the audit row %s for user %s", action, target.pk)


def record_login(sender, request=None, user=None, **kwargs) -> None:
    if user is None or not user.pk:
        return
    _audit_safely(actor=user, action=ACTION_LOGIN, target=user, ip_address=_ip_address(request))


def record_logout(sender, request=None, user=None, **kwargs) -> None:
    if user is None or not user.pk:
        return  # signing out while not signed in
    _audit_safely(actor=user, action=ACTION_LOGOUT, target=user, ip_address=_ip_address(request))


def record_login_failed(sender, credentials=None, request=None, **kwargs) -> None:
    """A wrong password (or a refused attempt during a lockout) for a known user.

    An unknown username has no user to hang an audit row on: it is only logged."""
    username = _attempted((credentials or {}).get(USERNAME_KEY))
    ip_address = _ip_address(request)
    locked_out = bool(getattr(request, "axes_locked_out", False))
    user = _user_by_username(username)
    if user is None:
        logger.warning(
            "Failed sign-in for unknown username %r from %s", username, ip_address
        )
        return
    _audit_safely(
        actor=None,
        action=ACTION_LOGIN_FAILED,
        target=user,
        username=username,
        ip_address=ip_address,
        locked_out=locked_out,
    )


def record_locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    """axes has locked (or keeps locked) a (username, address) pair."""
    username = _attempted(username)
    failures = getattr(request, "axes_failures_since_start", None)
    user = _user_by_username(username)
    logger.warning(
        "Sign-in locked for username %r from %s after %s failures", username, ip_address, failures
    )
    if user is None:
        return
    data = {"username": username, "ip_address": ip_address, "failures": failures}
    if request is not None:
        data["locked_until"] = locked_until(request).isoformat()
    _audit_safely(actor=None, action=ACTION_LOCKED_OUT, target=user, **data)


def connect_signals() -> None:
    """Called once from TilskuddConfig.ready(); dispatch_uid keeps it from doubling."""
    user_logged_in.connect(record_login, dispatch_uid="tilskudd.auth.record_login")
    user_logged_out.connect(record_logout, dispatch_uid="tilskudd.auth.record_logout")
    user_login_failed.connect(
        record_login_failed, dispatch_uid="tilskudd.auth.record_login_failed"
    )
    user_locked_out.connect(record_locked_out, dispatch_uid="tilskudd.auth.record_locked_out")
