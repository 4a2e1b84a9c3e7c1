"""In Chromium, in nynorsk and in English: the signatory switches language on the start
page (the choice works without JavaScript too: it is a form), signs in, fills in what is
left of the application and sends it; the receipt is in that language with <html lang>
saying so, and axe finds nothing on any page. The words come from the catalogues; the
asserts on them fail until locale/ and applications/locale/ have them."""

import pytest
from django.utils import translation
from django.utils.translation import gettext as _
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible

SIGNATORY = "signatur@trondheim.example.no"
PASSWORD = "Tilskudd-demo-2026"


def in_language(language: str, text: str) -> str:
    with translation.override(language):
        return _(text)


def a_draft_with_its_lines():
    """The signatory's draft for the open round, everything but the purpose filled in."""
    from applications import services
    from tests.applications.conftest import (
        bpa_line,
        competence_line,
        complete_header,
        project,
    )
    from tilskudd.models import Organisation, Round, User

    signatory = User.objects.get(email=SIGNATORY)
    organisation = Organisation.objects.get(memberships__user=signatory)
    rnd = Round.objects.open_for_applications().get()
    application = services.application_start(organisation=organisation, round=rnd,
                                             user=signatory)
    return services.application_update(
        application=application, user=signatory, header={**complete_header(), "purpose": ""},
        competence=[competence_line()], bpa=[bpa_line()], projects=[project()])


@pytest.mark.parametrize("language", ["nn", "en"])
def test_switch_language_sign_in_fill_in_submit_and_get_the_receipt_in_it(
    page, demo_data, language,
):
    draft = a_draft_with_its_lines()

    # The start page, in bokmål; the choice switches it.
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    choice = page.locator("#language-choice")
    expect(choice.locator(f'button[value="{language}"]')).to_have_attribute("lang", language)
    choice.locator(f'button[value="{language}"]').click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(choice.locator(f'button[value="{language}"]')).to_have_attribute(
        "aria-current", "true")
    assert_accessible(page)

    # Signing in keeps the language.
    page.goto("/logg-inn/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator('input[name="username"]').fill(SIGNATORY)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('main form button[type="submit"]').last.click()
    page.wait_for_url("**/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page)

    # What is left is filled in and saved, then sent from the preview.
    page.goto(f"/soknader/{draft.pk}/steg/om-soknaden/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator('[name="header-purpose"]').fill("Fleire tilsette med relevant utdanning.")
    with page.expect_navigation():
        page.locator('button[name="action"][value="save"]').last.click()
    expect(page.locator('[name="header-purpose"]')).to_have_value(
        "Fleire tilsette med relevant utdanning.")
    assert_accessible(page)
    page.goto(f"/soknader/{draft.pk}/forhandsvis/")
    expect(page.locator("#missing-none")).to_be_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.locator(f'form[action="/soknader/{draft.pk}/send-inn/"] button').click()

    # The receipt, in the language the signatory used.
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page)
    from applications.models import Submission

    assert Submission.objects.get(application=draft).language == language
    heading = in_language(language, "Søknaden er sendt inn")
    assert heading != "Søknaden er sendt inn"  # the catalogue has it
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
