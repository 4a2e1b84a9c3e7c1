"""A cancelled repayment claim is marked where its letter is fetched: the letter that was
sent stays the same bytes (its SHA-256 is in the archive), so its old links (the e-mail,
the archive) lead to the claim's page, which says it is cancelled, when and why, and which
claim replaces it, next to the link to the original letter; the office's page says so too.
A letter made only after the claim was cancelled says so itself."""

import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from reporting import repayments, services
from reporting.models import UnusedChoice
from reporting.tasks import render_repayment_letter_pdf
from reporting.transfer_models import RepaymentClaim, RepaymentLetter
from tests.pdf import pdf_text
from tilskudd.archive import archive_documents
from tilskudd.documents.jobs import DocumentStatus
from tilskudd.links import absolute_url
from tilskudd.outbox import OutboundEmail

from .test_repayments import repaid, sent  # noqa: F401 (the fixture)

REASON = "Beløpet er motregnet i neste utbetaling."
OSLO = ZoneInfo("Europe/Oslo")
CANCELLED_AT = datetime(2026, 11, 3, 9, 15, tzinfo=OSLO)


def claim_url(claim):
    return reverse("reporting:repayment_claim", args=[claim.pk])


def letter_url(claim):
    return reverse("reporting:repayment_letter", args=[claim.pk])


def cancel(claim, user, new_amount=None):
    return repayments.repayment_claim_cancel(claim=claim, user=user, reason=REASON,
                                             new_amount=new_amount, now=CANCELLED_AT)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_an_open_claims_page_has_no_mark_and_its_link_is_the_letter(
        repaid, signatory, client):  # noqa: F811
    client.force_login(signatory)

    page = client.get(claim_url(repaid)).content.decode()
    response = client.get(letter_url(repaid))

    assert 'id="claim-cancelled"' not in page
    assert f'href="{letter_url(repaid)}"' in page
    assert "Beløpet betales til" in page
    assert f'href="{reverse("applications:archive")}"' in page
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_a_cancelled_claims_old_letter_link_leads_to_its_page_that_says_so(
        repaid, signatory, caseworker, client):  # noqa: F811
    cancel(repaid, caseworker)
    client.force_login(signatory)

    # the link in the claim's e-mail, clicked after the cancellation
    response = client.get(letter_url(repaid))

    assert response.status_code == 302
    assert response["Location"] == claim_url(repaid)
    page = client.get(response["Location"]).content.decode()
    mark = page[page.index('id="claim-cancelled"'):page.index('id="claim-status"')]
    reference = repayments.claim_reference(repaid)
    assert f"Kravet {reference} er kansellert." in mark
    assert "Kansellert 3. november 2026 kl. 09:15." in mark
    assert REASON in mark
    assert "Dere skal ikke betale dette kravet." in mark
    assert caseworker.full_name not in mark  # the recipient is told by whom: the office
    assert "Beløpet betales til" not in page
    letter = page[page.index('id="claim-letter"'):]
    original = f"{letter_url(repaid)}?original=1"
    assert f'href="{original}"' in letter
    assert "Kansellert: brevet gjelder ikke lenger." in letter


def test_the_original_letter_is_the_same_bytes_under_a_name_that_says_cancelled(
        repaid, signatory, caseworker, client):  # noqa: F811
    archived = repaid.letter.sha256
    cancel(repaid, caseworker)
    client.force_login(signatory)

    response = client.get(f"{letter_url(repaid)}?original=1")

    assert response.status_code == 200
    assert hashlib.sha256(body(response)).hexdigest() == archived
    assert response["X-Content-SHA256"] == archived
    reference = repayments.claim_reference(repaid)
    assert f'filename="{reference}-kansellert.pdf"' in response["Content-Disposition"]


def test_a_corrected_claims_page_leads_to_the_claim_in_its_place(
        repaid, signatory, caseworker, client):  # noqa: F811
    new = cancel(repaid, caseworker, new_amount="25000")
    client.force_login(signatory)

    old_page = client.get(claim_url(repaid)).content.decode()
    new_page = client.get(claim_url(new)).content.decode()

    new_reference = repayments.claim_reference(new)
    mark = old_page[old_page.index('id="claim-cancelled"'):old_page.index('id="claim-status"')]
    assert (f"Kravet er erstattet av krav {new_reference} på kr\u00a025\u00a0000. "
            "Betal bare det nye kravet.") in mark
    assert f'href="{claim_url(new)}"' in mark
    assert 'id="claim-cancelled"' not in new_page
    assert f"erstatter krav {repayments.claim_reference(repaid)}" in new_page
    assert f'href="{letter_url(new)}"' in new_page


def test_a_cancelled_claims_page_is_theirs_and_the_offices_only(
        repaid, caseworker, rogaland_signatory, rogaland_caseworker, client):  # noqa: F811
    cancel(repaid, caseworker)

    for outsider in (rogaland_signatory, rogaland_caseworker):
        client.force_login(outsider)
        assert client.get(claim_url(repaid)).status_code == 404
        assert client.get(letter_url(repaid)).status_code == 404
        assert client.get(f"{letter_url(repaid)}?original=1").status_code == 404
    client.force_login(caseworker)
    office_page = client.get(claim_url(repaid))
    assert office_page.status_code == 200
    # the office's staff have no Mine søknader to go back to; the members have
    assert reverse("applications:archive") not in office_page.content.decode()


def test_the_archive_downloads_the_original_and_links_the_page_that_says_why(
        repaid, caseworker):  # noqa: F811
    def letter_row():
        documents = archive_documents([repaid.report.application_id])
        return next(d for d in documents[repaid.report.application_id]
                    if d.title.startswith("Krav om tilbakebetaling"))

    assert (letter_row().url, letter_row().action_url) == (letter_url(repaid), "")

    cancel(repaid, caseworker)

    row = letter_row()
    assert "kansellert" in row.title
    assert (row.url, row.sha256) == (f"{letter_url(repaid)}?original=1", repaid.letter.sha256)
    assert (row.action_url, row.action_label) == (
        claim_url(repaid), "Kravet er kansellert: se hvorfor")


def test_the_cancellation_email_links_the_claims_page(repaid, caseworker):  # noqa: F811
    cancel(repaid, caseworker)

    email = OutboundEmail.objects.get(kind="repayment_cancelled")
    assert email.body.endswith("\n\nKravet og det kansellerte brevet i portalen: "
                               + absolute_url("reporting:repayment_claim", repaid.pk))
    assert absolute_url("reporting:repayment_claim", repaid.pk).endswith(claim_url(repaid))


def test_the_offices_page_says_cancelled_by_whom_and_links_the_original(
        repaid, caseworker, approver, client):  # noqa: F811
    new = cancel(repaid, caseworker, new_amount="25000")
    client.force_login(approver)

    page = client.get(reverse("admin:reporting_repaymentclaim_change",
                              args=[repaid.pk])).content.decode()

    mark = page[page.index('id="claim-cancelled"'):]
    mark = mark[:mark.index("</div>")]
    assert f"Kravet {repayments.claim_reference(repaid)} er kansellert." in mark
    assert f"Kansellert 3. november 2026 kl. 09:15 av {caseworker.full_name}." in mark
    assert REASON in mark
    assert f'href="{reverse("admin:reporting_repaymentclaim_change", args=[new.pk])}"' in mark
    assert f'href="{letter_url(repaid)}?original=1"' in page
    assert "Det opprinnelige brevet (kansellert)" in page
    assert repaid.letter.sha256 in page


def test_a_letter_made_after_the_claim_was_cancelled_says_so(
        report, signatory, caseworker, monkeypatch):
    # Given a claim whose letter the worker has not made when the office cancels it
    monkeypatch.setattr(RepaymentLetter, "enqueue_on_commit", lambda job: None)
    sent(report, signatory, 10_000, UnusedChoice.REPAY)
    services.report_approve(report=report, user=caseworker)
    claim = RepaymentClaim.objects.get()
    assert claim.letter.status == DocumentStatus.PENDING
    cancel(claim, caseworker)

    # When the worker makes it
    assert render_repayment_letter_pdf(claim.letter.pk) == DocumentStatus.READY

    # Then the letter says the claim is cancelled and why
    claim.letter.refresh_from_db()
    text = " ".join(pdf_text(claim.letter.file.open("rb").read()).split())
    assert "Kravet er kansellert 3. november 2026 og skal ikke betales." in text
    assert REASON in text


def test_the_mark_is_in_english_for_an_english_reader(
        repaid, signatory, caseworker, client):  # noqa: F811
    cancel(repaid, caseworker)
    signatory.language = "en"
    signatory.save(update_fields=["language"])
    client.force_login(signatory)

    page = client.get(claim_url(repaid)).content.decode()

    mark = page[page.index('id="claim-cancelled"'):page.index('id="claim-status"')]
    assert f"Claim {repayments.claim_reference(repaid)} has been cancelled." in mark
    assert "You should not pay this claim." in mark
    assert "Kansellert" not in mark


def test_a_cancelled_claims_failed_letter_is_marked_cancelled_next_to_making_it_again(
        repaid, signatory, caseworker, client):  # noqa: F811
    # Given a cancelled claim whose letter the worker gave up on
    cancel(repaid, caseworker)
    RepaymentLetter.objects.filter(pk=repaid.letter.pk).update(
        status=DocumentStatus.FAILED, attempts=3, error="OSError: [Errno 28] No space left")
    client.force_login(signatory)

    # When the recipient opens the claim's page
    page = client.get(claim_url(repaid)).content.decode()

    # Then the letter's part offers it again as the original and says it no longer applies
    letter_part = page[page.index("kunne ikke lages"):]
    letter_part = letter_part[:letter_part.index("</p>")]
    assert f'<a href="{letter_url(repaid)}?original=1" id="claim-letter-again">' in letter_part
    assert "<strong>Kansellert: brevet gjelder ikke lenger.</strong>" in letter_part
