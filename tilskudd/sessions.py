"""The portal's session engine (SESSION_ENGINE): Django's database sessions, whose row is
read by SQL compiled once a connection (tilskudd.compiled) instead of compiled on every
signed-in request (issue 15: it was about a tenth of Mine søknader's CPU under cProfile).
The same table, rows, expiry and behaviour; only the read of the row differs."""

from __future__ import annotations

import logging

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from .compiled import CompiledAt

#: the session under this key that has not expired at the moment
_live_session = CompiledAt(
    lambda at, key: Session.objects.filter(session_key=key, expire_date__gt=at),
    held=lambda at: [at], arity=1)


class SessionStore(DatabaseStore):
    """Only the synchronous read is compiled; `aload` reads through Django's ORM as before.

    A sign-in's new key (`cycle_key`) is made when the session is saved at the end of the
    request, as after `flush`, instead of at once: Django's writes the row twice in the
    sign-in, once empty under the new key and again with the signed-in user (issue 15:
    two statements and a transaction of the sign-in POST's). The old row is deleted at
    once, as Django's is; whoever needs the new key before the end saves the session (as
    ID-porten's sign-in does): until then `session_key` is None after a sign-in."""

    def cycle_key(self):
        data = self._session
        key = self.session_key
        self._session_key = None
        self._session_cache = data
        self.modified = True
        if key:
            self.delete(key)

    def _get_session_from_db(self):
        try:
            found = _live_session(timezone.now(), self.session_key)
        except SuspiciousOperation as e:  # as Django's own backend logs it
            logging.getLogger(f"django.security.{e.__class__.__name__}").warning(str(e))
            found = []
        if found:
            return found[0]
        self._session_key = None
        return None
