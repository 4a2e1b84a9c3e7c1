"""The pages of a first ID-porten sign-in say what each one is: "the link is sent, check
your e-mail" and "confirm the address" are two pages with two titles, in every language."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.tilskudd.factories import UserFactory

TITLES = {
    "nb": ("Sjekk e-posten din", "Bekreft e-postadressen"),
    "nn": ("Sjekk e-posten din", "Stadfest e-postadressa"),
    "en": ("Check your email", "Confirm your email address"),
}


def title_and_heading(response) -> tuple[str, str]:
    html = response.content.decode()
    title = re.search(r"<title>(.*?) – Tilskudd</title>", html).group(1)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()
    return title, heading


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_link_sent_page_and_the_confirm_page_have_titles_of_their_own(
        db, client, language):
    client.force_login(UserFactory(language=language))

    sent = client.get(reverse("idporten:details_sent"))
    confirm = client.get(reverse("idporten:verify_email", args=["any-token"]))

    sent_title, confirm_title = TITLES[language]
    assert title_and_heading(sent) == (sent_title, sent_title)
    assert title_and_heading(confirm) == (confirm_title, confirm_title)
