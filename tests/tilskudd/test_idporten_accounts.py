"""After ID-porten's callback: the e-mail verification link's refusals, an address already
in use, the front-channel logout ID-porten calls, signing out there too, and password
sign-in next to the ID-porten backend."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils.html import escape

from tests.tilskudd.factories import UserFactory
from tilskudd.audit import AuditEvent
from tilskudd.errors import ServiceError
from tilskudd.idporten import services
from tilskudd.idporten.models import IdportenSession
from tilskudd.idporten.provider import pid_hash
from tilskudd.models import User
from tilskudd.outbox import OutboundEmail


def sign_in(client, provider, sub: str, pid: str):
    provider.person(sub, pid=pid)
    location = client.get(reverse("idporten:login"))["Location"]
    callback = urlparse(provider.authorize(location, sub))
    return client.get(f"{callback.path}?{callback.query}")


def new_person(client, provider, sub: str, pid: str, email: str):
    sign_in(client, provider, sub, pid)
    client.post(reverse("idporten:details"), {"full_name": sub.title(), "email": email})
    return User.objects.get(pid_hash=pid_hash(pid))


def verify_url(user) -> str:
    return reverse("idporten:verify_email", kwargs={"token": services.verification_token(user)})


@pytest.mark.django_db
def test_a_verification_link_for_another_account_is_refused_and_changes_nothing(
    client, idporten
):
    # given: Kari's link, opened while Ola is signed in
    kari = new_person(client, idporten, "kari", "24079417894", "kari@example.no")
    client.logout()
    new_person(client, idporten, "ola", "01017012345", "ola@example.no")

    # when
    response = client.post(verify_url(kari))

    # then
    assert response.status_code == 400
    assert "Lenken gjelder en annen konto" in response.content.decode()
    kari.refresh_from_db()
    assert kari.email_verified_at is None


@pytest.mark.django_db
def test_an_expired_verification_link_is_refused_and_changes_nothing(
    client, idporten, monkeypatch
):
    # given
    kari = new_person(client, idporten, "kari", "24079417894", "kari@example.no")
    url = verify_url(kari)
    monkeypatch.setattr(services, "VERIFY_MAX_AGE", timedelta(seconds=-1))

    # when
    response = client.post(url)

    # then
    assert response.status_code == 400
    assert "Lenken er utløpt" in response.content.decode()
    kari.refresh_from_db()
    assert kari.email_verified_at is None


@pytest.mark.django_db
def test_a_used_verification_link_is_refused_the_second_time(client, idporten):
    # given
    kari = new_person(client, idporten, "kari", "24079417894", "kari@example.no")
    url = verify_url(kari)
    client.post(url)
    kari.refresh_from_db()
    verified_at = kari.email_verified_at

    # when
    response = client.post(url)

    # then
    assert response.status_code == 400
    assert "Lenken er allerede brukt" in response.content.decode()
    kari.refresh_from_db()
    assert kari.email_verified_at == verified_at is not None


@pytest.mark.django_db
def test_a_link_for_an_address_since_replaced_is_refused(client, idporten):
    # given: Kari asked for a link, then gave another address
    kari = new_person(client, idporten, "kari", "24079417894", "kari@example.no")
    old_url = verify_url(kari)
    client.post(reverse("idporten:details"), {"full_name": "Kari", "email": "kari@ny.no"})

    # when
    response = client.post(old_url)

    # then
    assert response.status_code == 400
    kari.refresh_from_db()
    assert (kari.email, kari.email_verified_at) == ("kari@ny.no", None)


@pytest.mark.django_db
def test_a_tampered_verification_link_is_refused(client, idporten):
    # given
    kari = new_person(client, idporten, "kari", "24079417894", "kari@example.no")

    # when
    response = client.post(verify_url(kari)[:-3] + "abc/")

    # then
    assert response.status_code == 400
    assert "Lenken er ugyldig" in response.content.decode()


@pytest.mark.django_db
def test_an_address_already_in_use_is_refused_next_to_the_form_and_changes_nothing(
    client, idporten
):
    # given
    UserFactory(email="taken@example.no")
    sign_in(client, idporten, "new", "24079417894")
    person = User.objects.get(pid_hash=pid_hash("24079417894"))
    before = (person.full_name, person.email)

    # when
    response = client.post(reverse("idporten:details"),
                           {"full_name": "Ny Person", "email": "Taken@example.no"})

    # then
    assert response.status_code == 200
    assert "E-postadressen taken@example.no er allerede i bruk" in response.content.decode()
    person.refresh_from_db()
    assert (person.full_name, person.email) == before
    assert not OutboundEmail.objects.exists()


@pytest.mark.django_db
def test_give_details_refuses_a_password_user(django_user_model):
    # given
    user = UserFactory(email="pw@example.no")

    # when / then
    with pytest.raises(ServiceError):
        services.person_give_details(user=user, full_name="X", email="x@example.no")
    user.refresh_from_db()
    assert user.email == "pw@example.no"


@pytest.mark.django_db
def test_front_channel_logout_ends_the_session_with_that_sid(client, idporten):
    # given: signed in; ID-porten session "sid-kari"
    sign_in(client, idporten, "kari", "24079417894")
    session_key = client.session.session_key
    assert IdportenSession.objects.get().sid == "sid-kari"

    # when: ID-porten calls us (from its page, so without our cookie)
    from django.test import Client

    response = Client().get(reverse("idporten:front_channel_logout"),
                            {"iss": idporten.url, "sid": "sid-kari"})

    # then
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    assert f"frame-ancestors {idporten.url}" in response.headers["Content-Security-Policy"]
    assert not Session.objects.filter(session_key=session_key).exists()
    assert not IdportenSession.objects.exists()
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated
    logout = AuditEvent.objects.filter(action="user_logout").get()
    assert logout.data == {"source": "idporten_front_channel"}


@pytest.mark.django_db
def test_front_channel_logout_from_another_issuer_ends_nothing(client, idporten):
    # given
    sign_in(client, idporten, "kari", "24079417894")
    session_key = client.session.session_key

    # when
    from django.test import Client

    Client().get(reverse("idporten:front_channel_logout"),
                 {"iss": "https://evil.example", "sid": "sid-kari"})

    # then
    assert Session.objects.filter(session_key=session_key).exists()
    assert client.get(reverse("home")).wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_signing_out_after_idporten_also_signs_out_at_idporten(client, idporten):
    # given
    sign_in(client, idporten, "kari", "24079417894")

    # when
    response = client.post(reverse("logout"))

    # then: a page that forwards to ID-porten's end_session_endpoint at once
    assert response.status_code == 200
    url = response.context["end_session_url"]
    assert f'content="0;url={escape(url)}"' in response.content.decode()
    location = urlparse(url)
    query = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        f"{idporten.url}/oauth2/end_session"
    )
    assert query["post_logout_redirect_uri"] == ["http://127.0.0.1:8000/"]
    assert query["id_token_hint"][0].count(".") == 2
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated
    assert not IdportenSession.objects.exists()


@pytest.mark.django_db
def test_password_sign_in_still_works_beside_idporten(client, idporten):
    # given
    UserFactory(email="staff@example.no", password="Riktig-passord-1")

    # when
    response = client.post(reverse("login"),
                           {"username": "staff@example.no", "password": "Riktig-passord-1"})

    # then
    assert response.status_code == 302
    assert client.get(reverse("home")).wsgi_request.user.email == "staff@example.no"


@pytest.mark.django_db
def test_two_first_sign_ins_of_one_person_make_one_user(client, idporten, monkeypatch):
    # given: another tab created the person between our lookup and our insert
    from tilskudd.idporten import backend

    real = services.person_first_sign_in

    def raced(*, pid_hash):
        real(pid_hash=pid_hash)
        return real(pid_hash=pid_hash)

    monkeypatch.setattr(backend.services, "person_first_sign_in", raced)

    # when
    response = sign_in(client, idporten, "race", "24079417894")

    # then
    assert response.status_code == 302
    assert User.objects.filter(pid_hash=pid_hash("24079417894")).count() == 1
    assert client.get(reverse("home")).wsgi_request.user.is_authenticated
