"""tilskudd.sessions: Django's database sessions with the row read by SQL compiled once a
connection: a live session loads, an expired or unknown one starts empty (and gets a new
key when saved), and the read compiles nothing after the first."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from tests.tilskudd.compiles import counted_compiles
from tilskudd import sessions


def _saved(**data) -> str:
    store = sessions.SessionStore()
    store.update(data)
    store.save()
    return store.session_key


def test_a_live_session_loads_and_an_expired_or_unknown_one_is_empty(db):
    live, expired = _saved(who="Kari"), _saved(who="Ola")
    Session.objects.filter(session_key=expired).update(
        expire_date=timezone.now() - timedelta(seconds=1))

    assert sessions.SessionStore(live).load() == {"who": "Kari"}
    assert sessions._live_session.prepared(connections[DEFAULT_DB_ALIAS]) is not None
    gone = sessions.SessionStore(expired)
    assert gone.load() == {} and gone.session_key is None
    unknown = sessions.SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.session_key is None
    for key in (live, expired, "x" * 32, None):  # each as Django's own backend loads it
        ours, djangos = sessions.SessionStore(key), DjangoStore(key)
        assert ours.load() == djangos.load() and ours.session_key == djangos.session_key


def test_a_signed_in_request_reads_its_session_compiled_once(client, django_user_model):
    user = django_user_model.objects.create_user(email="kari@example.no", password="x")
    client.force_login(user)
    client.get("/")
    with counted_compiles() as (compiles, queries):
        loaded = sessions.SessionStore(client.session.session_key).load()

    assert Session not in compiles
    assert loaded["_auth_user_id"] == str(user.pk)
    assert len(queries) == 1 and "django_session" in queries[0]["sql"]
