"""A contact person who is not a member follows a letter's link, signs in and gets 404: the
page tells a signed-in portal user that an organisation's documents are for its members and
who can let them in, the same page whether the letter exists or not; a member still gets the
PDF, an anonymous visitor is sent to sign in and staff see the 404 as before."""

import re
from urllib.parse import quote

import pytest
from django.urls import reverse

from assessment import services
from tests.tilskudd.factories import UserFactory

from .helpers import decide

pytestmark = pytest.mark.django_db

MEMBERS_ONLY = {
    "nb": "Dokumenter og sider som hører til en organisasjon, kan bare medlemmene",
    "nn": "Dokument og sider som høyrer til ein organisasjon, kan berre medlemmene",
    "en": "Documents and pages that belong to an organisation can only be seen by its members",
}
WHO_INVITES = {
    "nb": "kan den som har signaturrett i organisasjonen, invitere deg under «Tilgang»",
    "nn": "kan den som har signaturrett i organisasjonen, invitere deg under «Tilgang»",
    "en": "a signatory for the organisation can invite you under “Access”",
}
# What differs from one response to the next whatever the page: the CSP nonce, the CSRF token.
PER_RESPONSE = re.compile(r'(nonce|csrf-token|name="csrfmiddlewaretoken" value)="[^"]*"')


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


@pytest.fixture
def letter(application, caseworker, approver, django_capture_on_commit_callbacks):
    assessment = decide(application, caseworker, approver)
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_generate(assessment=assessment, user=caseworker)
    return assessment.letters.get()


def page(response, asked: str = "") -> str:
    """The page without what differs from one response to the next, and with the address
    asked for (the ways back to it: language choice, signing in again) as ASKED."""
    text = PER_RESPONSE.sub(r'\1=""', response.content.decode())
    return text.replace(quote(asked, safe=""), "ASKED").replace(asked, "ASKED") if asked else text


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_a_signed_in_non_member_is_told_who_can_give_access_and_not_whether_it_exists(
    client, letter, language
):
    client.force_login(UserFactory(email=letter.assessment.application.contact_email,
                                   language=language))

    real_url = reverse("assessment:letter", args=[letter.pk])
    missing_url = reverse("assessment:letter", args=[letter.pk + 1000])
    real, missing = client.get(real_url), client.get(missing_url)

    assert (real.status_code, missing.status_code) == (404, 404)
    assert MEMBERS_ONLY[language] in page(real)
    assert WHO_INVITES[language] in page(real)
    assert f'<html lang="{language}">' in page(real)
    assert f'href="{reverse("home")}"' in page(real)
    assert page(real, real_url) == page(missing, missing_url)


def test_only_the_signed_in_are_told_and_a_member_still_gets_the_letter(
    client, letter, editor, caseworker
):
    url = reverse("assessment:letter", args=[letter.pk])
    anonymous_to_letter, anonymous_missing = client.get(url), client.get("/finnes-ikke/")
    client.force_login(UserFactory())
    signed_in_missing = client.get("/finnes-ikke/")
    client.force_login(caseworker)  # scoped by office, not membership
    staff_missing = client.get("/finnes-ikke/")
    client.force_login(editor)
    as_member = client.get(url)

    assert anonymous_to_letter.status_code == 302
    assert anonymous_to_letter.url.startswith(reverse("login"))
    assert anonymous_missing.status_code == 404
    assert "<h1>Fant ikke siden</h1>" in page(anonymous_missing)
    assert MEMBERS_ONLY["nb"] not in page(anonymous_missing)
    assert signed_in_missing.status_code == 404
    assert MEMBERS_ONLY["nb"] in page(signed_in_missing)
    assert (staff_missing.status_code, MEMBERS_ONLY["nb"] in page(staff_missing)) == (404, False)
    assert as_member.status_code == 200
    assert b"".join(as_member.streaming_content).startswith(b"%PDF-")
