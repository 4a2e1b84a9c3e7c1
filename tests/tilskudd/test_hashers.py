"""The production password hasher: Argon2id first with pinned parameters (`make bench-passwords`
measures a check: ≤ 0.1 s is the goal), older hashes upgraded."""

import pytest
from django.conf import settings as project_settings
from django.contrib.auth.hashers import (
    Argon2PasswordHasher,
    PBKDF2PasswordHasher,
    identify_hasher,
    make_password,
)

from tilskudd.hashers import TunedArgon2PasswordHasher

PRODUCTION_HASHERS = list(project_settings.PASSWORD_HASHERS)


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS


def test_argon2id_is_the_first_hasher():
    assert PRODUCTION_HASHERS[0] == "tilskudd.hashers.TunedArgon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in PRODUCTION_HASHERS


def test_a_new_password_is_hashed_with_argon2id(production_hashers):
    encoded = make_password("korrekt hest batteri")

    assert encoded.startswith("argon2$argon2id$v=19$m=47104,t=1,p=1$")
    assert isinstance(identify_hasher(encoded), TunedArgon2PasswordHasher)


@pytest.mark.parametrize(
    "old_hasher",
    # Django's default until now, and Django's own Argon2 parameters (100 MiB, t=2, p=8).
    [PBKDF2PasswordHasher(), Argon2PasswordHasher()],
    ids=["pbkdf2", "argon2-django-default"],
)
def test_an_old_hash_still_signs_in_and_is_upgraded(
    production_hashers, django_user_model, old_hasher
):
    user = django_user_model.objects.create_user(email="gammel@example.no", password="x")
    user.password = old_hasher.encode("korrekt hest batteri", old_hasher.salt())
    assert not user.password.startswith("argon2$argon2id$v=19$m=47104,t=1,p=1$")
    user.save(update_fields=["password"])
    old = user.password

    assert user.check_password("korrekt hest batteri")

    user.refresh_from_db()
    assert user.password != old
    assert user.password.startswith("argon2$argon2id$v=19$m=47104,t=1,p=1$")
    assert user.check_password("korrekt hest batteri")


def test_a_wrong_password_does_not_upgrade_the_hash(production_hashers, django_user_model):
    user = django_user_model.objects.create_user(email="gammel@example.no", password="x")
    user.password = make_password("korrekt hest batteri", hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    old = user.password

    assert not user.check_password("feil")

    user.refresh_from_db()
    assert user.password == old
