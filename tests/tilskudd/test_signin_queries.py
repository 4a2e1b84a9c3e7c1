"""The sign-in POST (issue 15: half the web's CPU at the deadline; the Argon2 check is most
of it and is left as it is): its statements besides the password check are counted and
pinned. The session row is written once, at the end, under a new key (the old row is
deleted, as Django deletes it); django-axes keeps no access log of its own (the audit log
has the sign-in); its lockout still works (test_signin_throttle.py)."""

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.tilskudd.factories import OrganisationFactory, member
from tilskudd.auth import ACTION_LOGIN
from tilskudd.models import AuditEvent, User

EMAIL = "kari@example.no"
PASSWORD = "Passord-for-test-1"

#: axes: the failures of this (username, address), the sweep of expired attempts and this
#: pair's attempts reset; the user by e-mail; last_login; the audit row (and its
#: savepoint's two); the session: a free key, its row (and its savepoint's two).
SIGN_IN_QUERIES = 12


@pytest.fixture
def kari(db):
    user = member(OrganisationFactory(), email=EMAIL)
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client):
    return client.post(reverse("login"), {"username": EMAIL, "password": PASSWORD})


def test_a_sign_in_writes_its_session_once_and_no_access_log(client, kari):
    client.get(reverse("login"))
    ContentType.objects.get_for_model(User)  # as in a worker that has served a sign-in
    AuditEvent.objects.all().delete()

    with CaptureQueriesContext(connection) as ctx:
        response = sign_in(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    sql = [q["sql"] for q in ctx.captured_queries]
    assert len(sql) == SIGN_IN_QUERIES, "\n".join(s[:160] for s in sql)
    assert [s.split(" ")[0] for s in sql if '"django_session"' in s] == ["SELECT", "INSERT"]
    session = Session.objects.get()
    assert session.session_key == client.cookies["sessionid"].value
    assert session.get_decoded()["_auth_user_id"] == str(kari.pk)
    assert AccessLog.objects.count() == 0
    assert AccessAttempt.objects.count() == 0
    assert list(AuditEvent.objects.values_list("action", "target_id")) == [
        (ACTION_LOGIN, kari.pk)]


def test_a_session_from_before_keeps_its_data_under_a_new_key_and_its_row_is_deleted(
    client, kari
):
    session = client.session
    session["tilskudd_next"] = "/soknader/"
    session.save()
    old = session.session_key

    response = sign_in(client)

    assert response.status_code == 302
    kept = Session.objects.get()  # the old row is gone: no fixation of a known key
    assert kept.session_key != old
    assert kept.session_key == client.cookies["sessionid"].value
    assert kept.get_decoded()["tilskudd_next"] == "/soknader/"
    assert kept.get_decoded()["_auth_user_id"] == str(kari.pk)
    assert client.get(reverse("home")).context["user"] == kari
