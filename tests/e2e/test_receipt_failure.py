"""The receipt page in Chromium when its PDF copy cannot be made: it says so, in the page's
own words, keeps the offer to make it on the spot, and stops asking."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login

SIGNATORY = "signatur@trondheim.example.no"


def test_receipt_page_stops_polling_and_explains_when_the_copy_fails(
    page, demo_data, monkeypatch
):
    from applications import services
    from applications.models import ReceiptDocument
    from tests.applications.conftest import bpa_line, competence_line, complete_header, project
    from tilskudd.documents.jobs import MAX_ATTEMPTS, run_document_job
    from tilskudd.models import Organisation, Round, User

    # Given a submitted application whose PDF job has not run yet
    monkeypatch.setattr(ReceiptDocument, "enqueue_on_commit", lambda job: None)
    trondheim = Organisation.objects.get(municipality_number="5001")
    signatory = User.objects.get(email=SIGNATORY)
    application = services.application_start(
        organisation=trondheim, round=Round.objects.open_for_applications().get(),
        user=signatory,
    )
    services.application_update(
        application=application, user=signatory, header=complete_header(),
        competence=[competence_line()], bpa=[bpa_line()], projects=[project()],
    )
    submission = services.application_submit(application=application, user=signatory)
    login(page, SIGNATORY)
    asked = []
    page.on("request", lambda r: asked.append(r.url) if r.url.endswith("/status/") else None)
    page.goto(f"/soknader/kvittering/{submission.reference}/")
    expect(page.get_by_text("PDF-kopien lages …")).to_be_visible()

    # When every attempt to make it fails
    def broken(_job):
        raise OSError(28, "No space left on device")

    for _ in range(MAX_ATTEMPTS):
        with pytest.raises(OSError, match="No space left on device"):
            run_document_job(ReceiptDocument, submission.receipt.pk, broken)

    # Then the page says what happened and what happens next, without being reloaded
    failed = page.locator("#receipt-pdf .alert")
    expect(failed).to_contain_text("PDF-kopien kunne ikke lages. Søknaden er sendt inn og lagret")
    expect(failed).to_contain_text("Feilen er meldt til driften av portalen.")
    expect(page.locator("#receipt-pdf")).to_have_attribute("data-status", "failed")
    # ... still offering to make it on the spot (render_now tries a failed job once more)
    expect(page.locator("#receipt-pdf #pdf-now")).to_be_visible()
    # ... in the words a reload gives it, not «Hent PDF-kopien nå» of a copy still coming
    expect(page.locator("#receipt-pdf #pdf-now")).to_have_text("Prøv å lage PDF-kopien igjen")
    assert_accessible(page)
    # ... and stops asking
    count = len(asked)
    page.wait_for_timeout(5000)
    assert len(asked) == count
