"""The warning before the signed-in session ends (WCAG 2.2.1): every page tells the
browser how many seconds are left, and the keep-alive extends the session by its age."""

import re
import time

import pytest
from django.test import Client

from tests.tilskudd.factories import member
from tilskudd.session_views import SAVED_AT

KEEP_ALIVE = "/okt/forleng/"


def _expires_in(html: str) -> int:
    return int(re.search(r'data-expires-in="(\d+)"', html).group(1))


@pytest.fixture
def editor(trondheim):
    return member(trondheim)


def test_a_signed_in_page_says_how_long_the_session_has_left_and_when_to_warn(
    client, editor, settings
):
    settings.SESSION_WARNING_SECONDS = 90
    client.force_login(editor)

    html = client.get("/").content.decode()

    assert 8 * 60 * 60 - 5 <= _expires_in(html) <= 8 * 60 * 60
    assert 'data-lead="90"' in html
    assert 'data-keepalive-url="/okt/forleng/"' in html
    assert '<script src="/static/js/session-warning.js" defer></script>' in html


def test_the_seconds_left_count_from_when_the_session_was_last_saved(client, editor):
    client.force_login(editor)
    session = client.session
    session[SAVED_AT] = time.time() - 3600
    session.save()

    html = client.get("/").content.decode()

    assert 7 * 60 * 60 - 5 <= _expires_in(html) <= 7 * 60 * 60


def test_a_page_for_nobody_signed_in_has_no_warning(client, db):
    html = client.get("/logg-inn/").content.decode()

    assert "session-warning" not in html


def test_the_admin_pages_carry_the_warning_too(admin_client):
    html = admin_client.get("/admin/").content.decode()

    assert 'id="session-warning"' in html
    assert _expires_in(html) > 8 * 60 * 60 - 5


def test_keep_alive_extends_the_session_by_its_whole_age(client, editor):
    client.force_login(editor)
    session = client.session
    session[SAVED_AT] = time.time() - 3600
    session.save()

    response = client.post(KEEP_ALIVE)

    assert response.status_code == 200
    assert response.json() == {"signed_in": True, "expires_in": 8 * 60 * 60}
    assert _expires_in(client.get("/").content.decode()) >= 8 * 60 * 60 - 5


def test_keep_alive_is_post_only_and_needs_the_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    before = client.session[SAVED_AT]

    assert client.get(KEEP_ALIVE).status_code == 405
    assert client.post(KEEP_ALIVE).status_code == 403
    assert client.session[SAVED_AT] == before


def test_keep_alive_for_nobody_signed_in_says_so(client, db):
    response = client.post(KEEP_ALIVE)

    assert response.status_code == 401
    assert response.json() == {"signed_in": False, "expires_in": 0}
