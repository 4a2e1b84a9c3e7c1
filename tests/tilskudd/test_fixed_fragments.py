"""{% fixed %} (tilskudd/templatetags/fixed.py): the header's, footer's and session warning's
markup that is the same for every request in a language is rendered once a language and
kept; what is the request's (the user, the CSRF token, where to go back) is not in it."""

import re

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from tests.tilskudd.factories import UserFactory

pytestmark = pytest.mark.django_db


def _render(source: str, context=None) -> str:
    return engines["django"].from_string(source).render(context or {})


def test_a_fixed_block_renders_as_its_content_does_in_each_language():
    content = "{% trans 'Logg inn' %} {% url 'login' %} {% static 'js/portal.js' %}"
    fixed = engines["django"].from_string(
        "{% load fixed i18n static %}{% fixed %}" + content + "{% endfixed %}")
    for language in ("nb", "en", "nb"):
        with translation.override(language):
            assert fixed.render({}) == _render("{% load i18n static %}" + content)
    with translation.override("en"):
        assert fixed.render({}).startswith("Sign in /logg-inn/")


def test_a_fixed_block_sees_no_variable_it_does_not_name():
    source = ("{% load fixed %}{% fixed admin %}[{{ secret }}|"
              "{% if admin %}A{% else %}B{% endif %}]{% endfixed %}")
    template = engines["django"].from_string(source)

    assert template.render({"secret": "token", "admin": True}) == "[|A]"
    assert template.render({"secret": "token", "admin": False}) == "[|B]"
    assert template.render({"admin": True}) == "[|A]"


def test_a_value_that_is_not_plain_is_used_but_not_kept():
    template = engines["django"].from_string(
        "{% load fixed %}{% fixed who %}{{ who.0 }}{% endfixed %}")

    assert template.render({"who": ["Kari"]}) == "Kari"
    assert template.render({"who": ["Ola"]}) == "Ola"


def test_each_request_gets_its_own_token_path_and_name_around_the_kept_markup(client):
    kari = UserFactory(email="kari@example.no", full_name="Kari Nordmann")
    ola = UserFactory(email="ola@example.no", full_name="Ola Nordmann")
    pages = []
    for user, path in ((kari, reverse("home")), (ola, reverse("password_change"))):
        client.force_login(user)
        response = client.get(path + "?side=2")
        html = response.content.decode()
        tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
        assert len(tokens) == 1  # the language form's and the sign-out form's
        assert f'name="next" value="{path}?side=2"' in html
        assert f"?next={path}%3Fside%3D2" in html  # the session warning's «Logg inn igjen»
        assert user.full_name in html
        assert 'action="/logg-ut/"' in html and 'action="/sprak/"' in html
        pages.append(tokens)
        client.logout()
    assert pages[0] != pages[1]
    assert "Kari Nordmann" not in html


def _current(language: str) -> str:
    return (f'lang="{language}" class="btn btn-link nav-link d-inline px-1 fw-bold"'
            ' aria-current="true"')


def test_the_header_follows_the_language_chosen(client):
    client.force_login(UserFactory(language="en"))
    english = client.get(reverse("home")).content.decode()
    assert "Sign out" in english and _current("en") in english
    client.post(reverse("set_language"), {"language": "nn", "next": "/"})
    nynorsk = client.get(reverse("home")).content.decode()
    assert _current("nn") in nynorsk and _current("en") not in nynorsk
    assert "Sign out" not in nynorsk
