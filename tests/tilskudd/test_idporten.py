"""Signing in with ID-porten against a real OpenID Connect provider on localhost
(tests/tilskudd/idporten_provider.py): the code flow with PKCE, the first sign-in with
e-mail verification, a second sign-in finding the same person, and each refusal."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from tests.tilskudd.idporten_fixtures import CLIENT_ID
from tilskudd.audit import AuditEvent
from tilskudd.idporten.provider import pid_hash
from tilskudd.models import User
from tilskudd.outbox import OutboundEmail, queue_email

PID = "24079417894"  # a synthetic fødselsnummer (Tenor test data style)


def start(client, next_url: str | None = None):
    url = reverse("idporten:login") + (f"?next={next_url}" if next_url else "")
    response = client.get(url)
    assert response.status_code == 302
    return response["Location"]


def back_to_portal(client, callback_url: str):
    parsed = urlparse(callback_url)
    return client.get(f"{parsed.path}?{parsed.query}")


def sign_in(client, provider, sub: str):
    return back_to_portal(client, provider.authorize(start(client), sub))


def signed_in_user(client):
    return client.get(reverse("home")).wsgi_request.user


@pytest.mark.django_db
def test_the_login_page_offers_idporten_first_when_it_is_configured(client, idporten):
    # when
    page = client.get(reverse("login")).content.decode()

    # then
    assert "Logg inn med ID-porten" in page
    assert page.index("Logg inn med ID-porten") < page.index('name="password"')


@pytest.mark.django_db
def test_without_the_variables_the_login_page_has_only_the_password_form(client, settings):
    # given
    settings.IDPORTEN_ISSUER = ""

    # when
    page = client.get(reverse("login")).content.decode()

    # then
    assert "ID-porten" not in page
    assert 'name="password"' in page
    assert client.get(reverse("idporten:login")).status_code == 404


@pytest.mark.django_db
def test_the_authorization_request_asks_for_pkce_substantial_and_the_pages_language(
    client, idporten
):
    # when
    location = start(client)

    # then
    query = {k: v[0] for k, v in parse_qs(urlparse(location).query).items()}
    assert location.startswith(f"{idporten.url}/oauth2/authorize?")
    assert query["response_type"] == "code"
    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == "http://testserver/idporten/callback/"
    assert query["scope"] == "openid profile"
    assert query["acr_values"] == "idporten-loa-substantial"
    assert query["ui_locales"] == "nb"
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43
    assert len(query["nonce"]) == 32
    assert len(query["state"]) == 32


@pytest.mark.django_db
def test_first_sign_in_asks_for_name_and_email_and_verifies_the_email(client, idporten):
    # given
    idporten.person("first", pid=PID)

    # when: the code flow with PKCE
    response = sign_in(client, idporten, "first")

    # then: a new person, found by the keyed hash of the pid, asked who they are
    assert response.status_code == 302
    assert response["Location"] == reverse("idporten:details")
    user = User.objects.get(pid_hash=pid_hash(PID))
    assert signed_in_user(client) == user
    assert user.email_verified_at is None
    assert not user.has_usable_password()
    token_request = idporten.pkce.token_requests[-1]
    assert token_request["grant_type"] == "authorization_code"
    assert len(token_request["code_verifier"]) == 64
    assert PID not in str(User.objects.filter(pk=user.pk).values().get())
    assert PID not in str(list(AuditEvent.objects.values()))

    # when: they give name and e-mail
    response = client.post(reverse("idporten:details"), {
        "full_name": "Kari Nordmann", "email": "Kari.Nordmann@Trondheim.Kommune.no"})

    # then: one verification e-mail, and nothing else may be sent before it is opened
    assert response["Location"] == reverse("idporten:details_sent")
    user.refresh_from_db()
    assert (user.full_name, user.email) == ("Kari Nordmann", "kari.nordmann@trondheim.kommune.no")
    assert user.email_verified_at is None
    verification = OutboundEmail.objects.get()
    assert verification.to == ["kari.nordmann@trondheim.kommune.no"]
    assert verification.kind == "email_verify"
    assert queue_email(to=[user.email], subject="Søknad", body="...") is None
    assert OutboundEmail.objects.count() == 1

    # when: they open the link and confirm
    link = next(word for word in verification.body.split() if "/bekreft-e-post/" in word)
    path = urlparse(link).path
    assert "Bekreft e-postadressen" in client.get(path).content.decode()
    response = client.post(path)

    # then
    assert response.status_code == 200
    assert "E-postadressen er bekreftet" in response.content.decode()
    user.refresh_from_db()
    assert user.email_verified_at is not None
    assert queue_email(to=[user.email], subject="Søknad", body="...") is not None


@pytest.mark.django_db
def test_a_second_sign_in_finds_the_same_person(client, idporten):
    # given: signed in once, gave details, signed out
    idporten.person("again", pid="01017012345")
    sign_in(client, idporten, "again")
    client.post(reverse("idporten:details"), {
        "full_name": "Ola Nordmann", "email": "ola@example.no"})
    first = signed_in_user(client)
    client.logout()

    # when
    response = sign_in(client, idporten, "again")

    # then: the same person, straight to where they were going
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in_user(client) == first
    assert User.objects.filter(pid_hash__isnull=False).count() == 1


@pytest.mark.django_db
def test_a_wrong_state_is_refused_and_changes_nothing(client, idporten):
    # given
    idporten.person("state", pid=PID)
    callback = idporten.authorize(start(client), "state")
    parsed = urlparse(callback)
    query = parse_qs(parsed.query)

    # when
    response = client.get(parsed.path, {"code": query["code"][0], "state": "not-ours"})

    # then
    assert response.status_code == 400
    assert "Innloggingen kunne ikke bekreftes" in response.content.decode()
    assert not signed_in_user(client).is_authenticated
    assert not User.objects.filter(pid_hash__isnull=False).exists()


@pytest.mark.django_db
def test_a_wrong_nonce_is_refused_and_changes_nothing(client, idporten):
    # given: the ID token will carry the nonce the provider got, not the one we expect
    idporten.person("nonce", pid=PID)
    location = start(client)
    session = client.session
    state = parse_qs(urlparse(location).query)["state"][0]
    session["oidc_states"][state]["nonce"] = "another-nonce"
    session.save()

    # when
    response = back_to_portal(client, idporten.authorize(location, "nonce"))

    # then
    assert response.status_code == 400
    assert "Innloggingen kunne ikke bekreftes" in response.content.decode()
    assert not signed_in_user(client).is_authenticated
    assert not User.objects.filter(pid_hash__isnull=False).exists()


@pytest.mark.django_db
def test_a_replayed_code_is_refused_and_changes_nothing(client, idporten, django_user_model):
    # given: a code already used to sign in
    idporten.person("replay", pid=PID)
    callback = idporten.authorize(start(client), "replay")
    back_to_portal(client, callback)
    client.logout()
    users = django_user_model.objects.count()
    code = parse_qs(urlparse(callback).query)["code"][0]

    # when: it comes back with a fresh state of ours
    fresh_state = parse_qs(urlparse(start(client)).query)["state"][0]
    response = client.get(reverse("idporten:callback"), {"code": code, "state": fresh_state})

    # then
    assert response.status_code == 400
    assert "ID-porten godtok ikke innloggingen" in response.content.decode()
    assert not signed_in_user(client).is_authenticated
    assert django_user_model.objects.count() == users


@pytest.mark.django_db
def test_a_code_verifier_that_does_not_match_the_challenge_is_refused(client, idporten):
    # given: PKCE is checked by the provider, as in ID-porten
    idporten.person("pkce", pid=PID)
    location = start(client)
    session = client.session
    state = parse_qs(urlparse(location).query)["state"][0]
    session["oidc_states"][state]["code_verifier"] = "x" * 64
    session.save()

    # when
    response = back_to_portal(client, idporten.authorize(location, "pkce"))

    # then
    assert response.status_code == 400
    assert not signed_in_user(client).is_authenticated
    assert not User.objects.filter(pid_hash__isnull=False).exists()


@pytest.mark.django_db
def test_a_level_of_assurance_below_substantial_is_refused(client, idporten):
    # given
    idporten.person("low", pid=PID, acr="idporten-loa-low")

    # when
    response = sign_in(client, idporten, "low")

    # then
    assert response.status_code == 400
    assert not signed_in_user(client).is_authenticated
    assert not User.objects.filter(pid_hash__isnull=False).exists()


@pytest.mark.django_db
def test_a_cancelled_sign_in_says_so(client, idporten):
    # given
    state = parse_qs(urlparse(start(client)).query)["state"][0]

    # when
    response = client.get(reverse("idporten:callback"),
                          {"error": "access_denied", "state": state})

    # then
    assert response.status_code == 400
    assert "Innloggingen med ID-porten ble avbrutt" in response.content.decode()
    assert state not in client.session["oidc_states"]


@pytest.mark.django_db
def test_a_provider_that_is_down_gets_a_page_that_says_so(client, settings):
    # given: nothing listens on the issuer's port
    from tilskudd.idporten import provider

    settings.IDPORTEN_ISSUER = "http://127.0.0.1:9"
    settings.IDPORTEN_CLIENT_ID = CLIENT_ID
    settings.IDPORTEN_CLIENT_SECRET = "s"  # noqa: S105
    settings.IDPORTEN_PID_KEY = "k"
    provider.forget_discovery()

    # when
    response = client.get(reverse("idporten:login"))

    # then
    assert response.status_code == 503
    assert "ID-porten svarer ikke" in response.content.decode()
    assert "oidc_states" not in client.session


@pytest.mark.django_db
def test_the_provider_going_down_between_start_and_callback_gets_the_same_page(
    client, idporten, settings
):
    # given: discovery was read, then the token endpoint is unreachable
    from dataclasses import replace

    from tilskudd.idporten import provider

    idporten.person("down", pid=PID)
    location = start(client)
    callback = idporten.authorize(location, "down")
    endpoints = provider.endpoints()
    provider._cache[settings.IDPORTEN_ISSUER] = (
        provider._cache[settings.IDPORTEN_ISSUER][0],
        replace(endpoints, token="http://127.0.0.1:9/token"),
    )

    # when
    response = back_to_portal(client, callback)

    # then
    assert response.status_code == 503
    assert "ID-porten svarer ikke" in response.content.decode()
    assert not User.objects.filter(pid_hash__isnull=False).exists()


@pytest.mark.django_db
def test_a_first_sign_in_keeps_where_the_person_was_going(client, idporten):
    # given: the person came from a page that asked them to sign in
    idporten.person("going", pid=PID)
    target = reverse("applications:archive")

    # when
    response = back_to_portal(client, idporten.authorize(start(client, target), "going"))
    details = client.post(response["Location"],
                          {"full_name": "Kari Nordmann", "email": "kari@example.no"})
    sent = client.get(details["Location"])

    # then
    query = "?next=" + target.replace("/", "%2F")
    assert response["Location"] == reverse("idporten:details") + query
    assert details["Location"] == reverse("idporten:details_sent") + query
    assert f'href="{target}"' in sent.content.decode()


@pytest.mark.django_db
def test_a_next_to_another_site_is_not_followed(client, idporten):
    # given
    idporten.person("away", pid=PID)

    # when
    response = back_to_portal(
        client, idporten.authorize(start(client, "https://evil.example/"), "away"))

    # then
    assert response["Location"] == reverse("idporten:details")


@pytest.mark.django_db
def test_the_pid_is_never_logged(client, idporten, caplog):
    # given
    caplog.set_level("DEBUG")
    idporten.person("quiet", pid=PID)

    # when: a first sign-in, details, and a refused replay
    callback = idporten.authorize(start(client), "quiet")
    back_to_portal(client, callback)
    client.post(reverse("idporten:details"), {"full_name": "Kari", "email": "kari@example.no"})
    back_to_portal(client, callback)

    # then
    assert caplog.records
    assert PID not in caplog.text
