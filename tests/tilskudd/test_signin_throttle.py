"""Sign-in throttling (django-axes) through the real login view, and its audit trail."""

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import AnonymousUser
from django.db.models import F
from django.urls import reverse

from tests.tilskudd.factories import OrganisationFactory, member
from tilskudd.auth import lockout_response
from tilskudd.models import AuditEvent

EMAIL = "kari@example.no"
RIGHT = "Passord-for-test-1"
WRONG = "Feil-passord-42"


@pytest.fixture
def kari(db):
    return member(OrganisationFactory(), email=EMAIL)


def sign_in(client, password, *, username=EMAIL, ip="127.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def fail_five_times(client, *, username=EMAIL, ip="127.0.0.1"):
    return [sign_in(client, WRONG, username=username, ip=ip) for _ in range(5)]


def expected_time(attempt: AccessAttempt) -> str:
    """The lock ends 15 minutes after the last attempt, rounded up to a whole minute."""
    until = attempt.attempt_time + timedelta(minutes=15)
    if until.second or until.microsecond:
        until = until.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return until.astimezone(ZoneInfo("Europe/Oslo")).strftime("%H:%M")


def test_four_wrong_passwords_then_the_right_one_signs_in(client, kari):
    for _ in range(4):
        assert sign_in(client, WRONG).status_code == 200

    response = sign_in(client, RIGHT)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(kari.pk)
    # A successful sign-in clears the count.
    assert AccessAttempt.objects.count() == 0


def test_five_wrong_passwords_lock_and_the_right_one_is_refused_with_the_time(client, kari):
    responses = fail_five_times(client)

    refused = sign_in(client, RIGHT)

    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    attempt = AccessAttempt.objects.get(username=EMAIL, ip_address="127.0.0.1")
    page = refused.content.decode()
    assert (
        "For mange mislykkede innlogginger. Av sikkerhetshensyn er innloggingen stengt i 15 "
        f"minutter. Prøv igjen etter kl. {expected_time(attempt)}."
    ) in page
    assert f'href="{reverse("home")}"' in page
    assert "<main" in page


def test_the_lockout_time_is_oslo_time_rounded_up_to_the_minute(rf):
    request = rf.post(reverse("login"))
    request.user = AnonymousUser()
    # 10:03:20 UTC in January is 11:03:20 in Oslo; plus 15 minutes, rounded up: 11:19.
    request.axes_attempt_time = datetime(2026, 1, 15, 10, 3, 20, tzinfo=UTC)

    response = lockout_response(request, None, {"username": EMAIL})

    assert response.status_code == 429
    assert "Prøv igjen etter kl. 11:19." in response.content.decode()


def test_after_the_cool_off_the_right_password_works(client, kari):
    fail_five_times(client)
    # Move the failures back beyond the 15-minute cool-off.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))

    response = sign_in(client, RIGHT)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(kari.pk)


def test_an_attempt_during_the_lockout_restarts_the_cool_off(client, kari):
    fail_five_times(client)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=10))

    during = sign_in(client, RIGHT)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=10))
    still = sign_in(client, RIGHT)

    assert during.status_code == 429
    assert still.status_code == 429
    assert "_auth_user_id" not in client.session


def test_another_address_is_not_locked(client, kari):
    fail_five_times(client, ip="127.0.0.1")

    response = sign_in(client, RIGHT, ip="10.0.0.2")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(kari.pk)


def test_another_user_on_the_same_address_is_not_locked(client, kari):
    per = member(OrganisationFactory(), email="per@example.no")
    fail_five_times(client)

    response = sign_in(client, RIGHT, username="per@example.no")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(per.pk)


def test_failures_and_the_lockout_are_audited_without_the_password(client, kari, caplog):
    caplog.set_level("DEBUG")
    fail_five_times(client)
    sign_in(client, RIGHT)

    failed = AuditEvent.objects.filter(action="user_login_failed").order_by("pk")
    locked = AuditEvent.objects.filter(action="user_locked_out").order_by("pk")
    assert failed.count() == 6
    assert [e.data["locked_out"] for e in failed] == [False] * 4 + [True, True]
    assert {e.target for e in failed} == {kari}
    assert {e.actor for e in failed} == {None}
    assert failed[0].data == {"username": EMAIL, "ip_address": "127.0.0.1", "locked_out": False}
    # Locked at the fifth failure, and refused again at the sixth attempt.
    assert [e.data["failures"] for e in locked] == [5, 6]
    assert locked[0].target == kari
    assert locked[0].data["username"] == EMAIL
    assert locked[0].data["ip_address"] == "127.0.0.1"
    assert set(locked[0].data) == {"username", "ip_address", "failures", "locked_until"}
    assert not AuditEvent.objects.filter(action="user_login").exists()
    everything = json.dumps(list(AuditEvent.objects.values_list("data", flat=True)))
    everything += "".join(AccessAttempt.objects.values_list("post_data", flat=True))
    everything += caplog.text
    assert WRONG not in everything
    assert RIGHT not in everything
    assert "password" not in json.dumps(list(AuditEvent.objects.values_list("data", flat=True)))


def test_a_failure_for_an_unknown_username_is_logged_not_audited(client, db, caplog):
    caplog.set_level("WARNING", logger="tilskudd.auth")

    response = sign_in(client, WRONG, username="ukjent@example.no")

    assert response.status_code == 200
    assert AuditEvent.objects.count() == 0
    assert "Failed sign-in for unknown username 'ukjent@example.no' from 127.0.0.1" in (
        caplog.text
    )
    assert WRONG not in caplog.text


def test_an_unknown_username_is_locked_too(client, db):
    responses = fail_five_times(client, username="ukjent@example.no")

    assert responses[-1].status_code == 429
    assert AuditEvent.objects.count() == 0


def test_sign_in_and_sign_out_are_audited_with_the_address(client, kari):
    sign_in(client, RIGHT, ip="10.0.0.7")
    client.post(reverse("logout"), REMOTE_ADDR="10.0.0.7")

    login = AuditEvent.objects.get(action="user_login")
    logout = AuditEvent.objects.get(action="user_logout")
    assert (login.actor, login.target, login.data) == (kari, kari, {"ip_address": "10.0.0.7"})
    assert (logout.actor, logout.target, logout.data) == (kari, kari, {"ip_address": "10.0.0.7"})


def test_signing_out_when_not_signed_in_writes_nothing(client, db):
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert AuditEvent.objects.count() == 0


def test_an_audit_failure_does_not_break_the_sign_in(client, kari, monkeypatch):
    from django.db import DatabaseError

    def broken(**kwargs):
        raise DatabaseError("audit table unavailable")

    monkeypatch.setattr("tilskudd.auth.audit", broken)

    response = sign_in(client, RIGHT)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(kari.pk)


def test_the_admin_sign_in_is_throttled_too(client, kari):
    url = reverse("admin:login")
    for _ in range(5):
        client.post(url, {"username": EMAIL, "password": WRONG})

    response = client.post(url, {"username": EMAIL, "password": RIGHT})

    assert response.status_code == 429
    assert "Prøv igjen etter kl." in response.content.decode()
    assert "_auth_user_id" not in client.session
