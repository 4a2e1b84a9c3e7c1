"""A change request in Chromium, from the signatory's request to the approved letter: the
signatory asks from the archive (a sum above the grant is refused next to the field first),
the caseworker recommends in the admin, the approver approves, and the signatory opens the
letter. axe on every page, the admin's included."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login, logout
from tests.pdf import pdf_text

SIGNATORY = "signatur@trondheim.example.no"
CASEWORKER = "saksbehandler@sftl.example.no"
APPROVER = "godkjenner@sftl.example.no"


@pytest.fixture
def accepted_grant(demo_data, django_capture_on_commit_callbacks):
    """Trondheim's application in the demo's open round, granted in full (a competence line
    of kr 120 000 and a BPA line of kr 60 000) and accepted."""
    from assessment import selectors as assessment_selectors
    from tests.applications.conftest import bpa_line, competence_line
    from tests.reporting.helpers import decide, submitted_application
    from tests.tilskudd.grants import accepted
    from tilskudd.models import Organisation, Round, User

    trondheim = Organisation.objects.get(municipality_number="5001")
    signatory = User.objects.get(email=SIGNATORY)
    caseworker = User.objects.get(email=CASEWORKER)
    rnd = Round.objects.open_for_applications().get()
    application = submitted_application(
        trondheim, rnd, signatory,
        competence=[competence_line(amount=Decimal("120000"))], bpa=[bpa_line()])
    decide(application, caseworker, User.objects.get(email=APPROVER))
    accepted(assessment_selectors.case_for(application), caseworker, signatory,
             django_capture_on_commit_callbacks)
    return application


def test_signatory_asks_office_approves_with_four_eyes_signatory_reads_the_letter(
    page, accepted_grant
):
    # The signatory finds «Søk om endring» in the archive and moves 40 000 to BPA.
    login(page, SIGNATORY)
    page.goto("/soknader/")
    page.get_by_role("link", name="Søk om endring").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Søk om endring")
    assert_accessible(page)
    competence, bpa = page.get_by_label("Nytt beløp", exact=False).all()
    competence.fill("80000")
    bpa.fill("140000")
    page.get_by_label("Begrunnelse").fill("Flere assistenter trenger BPA-opplæring i år.")
    page.get_by_role("button", name="Send endringssøknaden").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("En endring kan ikke øke tilskuddet")
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_label("Begrunnelse")).to_have_value(
        "Flere assistenter trenger BPA-opplæring i år.")
    page.get_by_label("Nytt beløp", exact=False).last.fill("100000")
    page.get_by_role("button", name="Send endringssøknaden").click()
    expect(page.get_by_role("status")).to_contain_text("Endringssøknaden er sendt")
    reference = re.search(r"END-\d{4}-\d+-\w{4}", page.get_by_role("heading", level=1)
                          .inner_text())[0]
    assert_accessible(page)
    logout(page)

    # The caseworker recommends from the admin's start page.
    login(page, CASEWORKER)
    page.goto("/admin/")
    page.get_by_role("link", name=re.compile("Endringssøknad fra .* venter på innstilling")).click()
    expect(page.get_by_text(reference).first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Innstill").click()
    page.get_by_label("Innvilge endringen").check()
    page.get_by_label("Begrunnelse (står i brevet)").fill("Endringen er innenfor formålet.")
    assert_accessible(page)
    page.get_by_role("button", name="Send til godkjenning").click()
    expect(page.get_by_text("Innstillingen er sendt til godkjenning.")).to_be_visible()
    logout(page)

    # Another approves: the recommendation waits for approval on the admin's start page.
    login(page, APPROVER)
    page.goto("/admin/")
    approval = page.get_by_role(
        "link", name=re.compile("Innstillingen om endringssøknad fra .* venter på godkjenning"))
    assert_accessible(page)
    approval.click()
    page.get_by_role("link", name="Vurder innstillingen").click()
    assert_accessible(page)
    page.get_by_role("button", name="Godkjenn innstillingen").click()
    expect(page.get_by_text("Vedtaket er fattet. Brevet lages.")).to_be_visible()
    logout(page)

    # The signatory reads the answer from the inbox and opens the letter.
    login(page, SIGNATORY)
    page.get_by_role("link", name="Les brevet").click()
    expect(page.locator("#change-status")).to_have_text("Innvilget")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Brev om vedtaket (PDF)").click()
    text = pdf_text(download.value.path().read_bytes())
    assert "innvilger endringssøknaden" in text
    assert "kr 120 000 kr 80 000" in text and "kr 60 000 kr 100 000" in text
    assert "Endringen er innenfor formålet." in text
