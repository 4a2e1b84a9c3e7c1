"""The CSRF token of now for a page loaded before a sign-in in another tab (Django gives the
token a new secret at every sign-in): the page's script is told in JSON that its token was
refused, and asks `session_token` (a GET that writes nothing) for the new one, which only
a signed-in user gets."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.tilskudd.factories import member
from tilskudd.session_views import SAVED_AT

TOKEN = "/okt/nokkel/"
KEEP_ALIVE = "/okt/forleng/"
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture
def editor(trondheim):
    return member(trondheim)


def _signed_in_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_a_signed_in_user_gets_a_token_the_csrf_check_takes(editor):
    client = _signed_in_client(editor)

    response = client.get(TOKEN, **FETCH)

    assert response.status_code == 200
    body = response.json()
    assert body["signed_in"] is True
    assert len(body["csrf_token"]) == 64
    assert "no-store" in response["Cache-Control"]
    assert client.post(KEEP_ALIVE, HTTP_X_CSRFTOKEN=body["csrf_token"]).status_code == 200


def test_nobody_signed_in_gets_no_token(db):
    client = Client(enforce_csrf_checks=True)

    response = client.get(TOKEN, **FETCH)

    assert response.status_code == 401
    assert response.json() == {"signed_in": False}
    assert "csrftoken" not in response.cookies


def test_the_token_is_read_with_a_get_that_writes_nothing(editor):
    client = _signed_in_client(editor)
    session = client.session
    session[SAVED_AT] = time.time() - 3600
    session.save()
    row = Session.objects.get(session_key=session.session_key)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(TOKEN, **FETCH)

    assert response.status_code == 200
    assert [q["sql"] for q in queries
            if not q["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT", "RELEASE"))
            ] == []
    after = Session.objects.get(session_key=session.session_key)
    assert (after.session_data, after.expire_date) == (row.session_data, row.expire_date)
    assert client.session[SAVED_AT] == session[SAVED_AT]
    token = response.json()["csrf_token"]
    assert client.post(TOKEN, HTTP_X_CSRFTOKEN=token).status_code == 405


def test_after_a_sign_in_elsewhere_the_old_token_is_refused_in_json_and_the_new_one_taken(
    editor,
):
    # given a page's token, then a sign-in in another tab of the same browser
    client = Client(enforce_csrf_checks=True)
    old = client.get("/logg-inn/").context["csrf_token"]
    client.force_login(editor)
    client.cookies["csrftoken"] = "n" * 32  # what the sign-in's rotate_token leaves

    refused = client.post(KEEP_ALIVE, HTTP_X_CSRFTOKEN=str(old), **FETCH)
    fresh = client.get(TOKEN, **FETCH).json()["csrf_token"]

    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf"
    assert refused.json()["message"].startswith("Ikke lagret fordi sikkerhetskontrollen")
    assert client.post(KEEP_ALIVE, HTTP_X_CSRFTOKEN=fresh, **FETCH).status_code == 200


def test_a_person_whose_form_is_refused_still_gets_the_page(editor):
    client = _signed_in_client(editor)

    response = client.post(KEEP_ALIVE)

    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert "<h1>Skjemaet ble ikke sendt</h1>" in response.content.decode()


def test_a_page_made_for_another_user_gets_no_token(editor, trondheim):
    """Signed in as a colleague in another tab: the page made for the editor must not save
    what the editor typed in the colleague's name (review of e3da7af)."""
    colleague = member(trondheim)
    client = _signed_in_client(colleague)

    refused = client.get(TOKEN, {"user": editor.pk}, **FETCH)
    own = client.get(TOKEN, {"user": colleague.pk}, **FETCH)

    assert refused.status_code == 409
    assert refused.json() == {"signed_in": True, "other_user": True}
    assert "csrftoken" not in refused.cookies
    assert own.status_code == 200
    assert own.json()["signed_in"] is True
    assert len(own.json()["csrf_token"]) == 64


def test_the_session_dialog_says_whom_the_page_was_made_for(editor):
    client = _signed_in_client(editor)

    html = client.get("/").content.decode()

    assert f'data-user-id="{editor.pk}"' in html
    assert 'data-token-url="/okt/nokkel/"' in html
