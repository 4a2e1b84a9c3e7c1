"""/helse/ (live) and /helse/klar/ (ready: database, broker, storage), answered before the
session, sign-in, host and HTTPS logic; each part failing in turn gives 503 naming it."""

import time
from unittest import mock

import pytest
from django.db import OperationalError, connections

from tests.tilskudd.factories import OrganisationFactory, member
from tilskudd.models import MembershipRole

LIVE, READY = "/helse/", "/helse/klar/"
ALL_OK = {"database": "ok", "broker": "ok", "storage": "ok"}


def states(response) -> dict[str, str]:
    return {name: check["status"] for name, check in response.json()["checks"].items()}


def test_live_answers_at_once_without_the_database_even_for_a_signed_in_browser(
    client, db, django_assert_num_queries
):
    client.force_login(member(OrganisationFactory(), MembershipRole.EDITOR))

    with django_assert_num_queries(0):
        response = client.get(LIVE)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies


def test_a_probe_from_any_host_over_plain_http_is_answered_not_refused_or_redirected(
    client, db, settings
):
    settings.ALLOWED_HOSTS = ["tilskudd.example.no"]
    settings.SECURE_SSL_REDIRECT = True

    live = client.get(LIVE, headers={"host": "10.0.3.7:8000"})
    ready = client.get(READY, headers={"host": "10.0.3.7:8000"})

    assert (live.status_code, ready.status_code) == (200, 200)


def test_ready_on_the_embedded_default_asks_each_part(client, db):
    response = client.get(READY)

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["failed"] == []
    assert states(response) == ALL_OK
    assert response["Cache-Control"] == "no-store"


def test_ready_with_a_broker_that_answers(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "memory://"

    response = client.get(READY)

    assert (response.status_code, states(response)) == (200, ALL_OK)


def test_a_database_that_does_not_answer_is_named(client, db):
    refused = OperationalError("connection refused")

    with mock.patch.object(connections["default"], "cursor", side_effect=refused):
        response = client.get(READY)

    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]
    assert states(response) == ALL_OK | {"database": "feil"}
    assert response.json()["checks"]["database"]["error"] == "OperationalError"


def test_a_broker_that_does_not_answer_is_named_within_seconds(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    started = time.monotonic()
    response = client.get(READY)

    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert response.json()["failed"] == ["broker"]
    assert states(response) == ALL_OK | {"broker": "feil"}


def test_a_media_folder_that_cannot_be_made_is_named(client, db, settings, tmp_path):
    blocked = tmp_path / "media"
    blocked.write_text("a file where the folder should be")
    settings.MEDIA_ROOT = blocked / "documents"

    response = client.get(READY)

    assert response.status_code == 503
    assert response.json()["failed"] == ["storage"]


def test_ready_on_the_object_storage(client, db, s3_storage):
    response = client.get(READY)

    assert (response.status_code, states(response)) == (200, ALL_OK)


@pytest.mark.parametrize("change", [
    {"bucket_name": "no-such-bucket"},
    {"secret_key": "wrong-secret"},
])
def test_a_bucket_that_is_missing_or_refuses_the_keys_is_named_and_nothing_leaks(
    client, db, settings, s3_storage, change
):
    settings.STORAGES = {**settings.STORAGES, "default": {
        **settings.STORAGES["default"],
        "OPTIONS": s3_storage.server.storage_options(s3_storage.name, **change)}}

    response = client.get(READY)

    assert response.status_code == 503
    assert response.json()["failed"] == ["storage"]
    assert states(response) == ALL_OK | {"storage": "feil"}
    body = response.content.decode()
    assert "wrong-secret" not in body and "127.0.0.1" not in body


def test_only_get_and_head(client, db):
    assert client.head(READY).status_code == 200
    response = client.post(LIVE)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
