"""The transfer decision's letter (TransferLetter): made by the document queue on the
decision, approved or refused, with the reference, the amounts and the grounds, in the
organisation's language form; fetched by the recipient's members and the office's staff
only; listed in the archive with its checksum; and the decision's e-mail links it."""

import pytest
from django.urls import reverse
from django.utils import translation

from reporting import transfer_letters, transfers
from reporting.transfer_models import TransferLetter, TransferStatus
from tests.pdf import pdf_text
from tests.tilskudd.test_outbox import broker_down  # noqa: F401
from tilskudd.archive import archive_documents
from tilskudd.audit import AuditAction
from tilskudd.documents.jobs import DocumentStatus
from tilskudd.languages import WrittenLanguage
from tilskudd.links import absolute_url
from tilskudd.models import AuditEvent
from tilskudd.outbox import OutboundEmail

from .test_transfers import APPROVE, REFUSE, sent

REASON = "Kullet er i gang, og midlene er bundet i avtalen med høgskolen."


def decide(report, user, outcome, capture):
    with capture(execute=True):
        return transfers.transfer_decide(report=report, user=user, outcome=outcome,
                                         reason=REASON)


def letter_text(transfer) -> str:
    letter = TransferLetter.objects.get(transfer=transfer)
    assert letter.status == DocumentStatus.READY
    with letter.file.open("rb") as fh:
        return pdf_text(fh.read())


def in_language(report, language):
    organisation = report.application.organisation
    organisation.written_language = language
    organisation.save(update_fields=["written_language"])


@pytest.fixture
def small(report, signatory):
    """kr 30 000 asked to be transferred (under the four-eyes threshold)."""
    return sent(report, signatory, 10_000)


def test_an_approval_makes_the_letter_with_reference_amounts_and_grounds(
        small, caseworker, django_capture_on_commit_callbacks):
    transfer = decide(small, caseworker, APPROVE, django_capture_on_commit_callbacks)

    text = letter_text(transfer)
    year = small.application.round.year
    reference = transfer_letters.transfer_reference(transfer)
    assert reference == f"OVF-{year}-{transfer.pk:05d}"
    for expected in [
        f"Vår referanse {reference}",
        f"Vedtak om overføring av ubrukte midler – Kompetanse- og tjenesteutviklingstilskudd "
        f"{year}",
        "Statsforvalteren i Trøndelag godkjenner at Trondheim - Tråante kommune overfører "
        f"kr 30 000 i ubrukte midler fra tilskuddet for {year} til {year + 1}.",
        "Ubrukte midler dere søkte om å overføre kr 30 000",
        f"Overført til {year + 1} kr 30 000",
        REASON,
        "Kullet startet først i januar.",  # the recipient's own grounds
        "Det kan ikke klages på vedtaket, jf. forvaltningsloven § 28.",
    ]:
        assert expected in text, expected


def test_a_refusal_makes_the_letter_with_the_claim(small, caseworker,
                                                    django_capture_on_commit_callbacks):
    transfer = decide(small, caseworker, REFUSE, django_capture_on_commit_callbacks)

    text = letter_text(transfer)
    year = small.application.round.year
    claim = small.repayment_claims.get()
    for expected in [
        f"Vår referanse {transfer_letters.transfer_reference(transfer)}",
        "Statsforvalteren i Trøndelag avslår søknaden fra Trondheim - Tråante kommune om å "
        f"overføre kr 30 000 i ubrukte midler fra tilskuddet for {year} til {year + 1}.",
        f"Det kreves tilbake kr 30 000. Kravet (TBK-{year}-{claim.pk:05d}) med "
        "betalingsfrist kommer i eget brev.",
        f"Overført til {year + 1} kr 0",
        "Beløp som skal betales tilbake kr 30 000",
        REASON,
    ]:
        assert expected in text, expected


def test_a_proposal_makes_no_letter_the_second_persons_decision_does(
        report, signatory, caseworker, approver, django_capture_on_commit_callbacks):
    large = sent(report, signatory, 50_000)  # kr 150 000: over the threshold
    transfer = decide(large, caseworker, APPROVE, django_capture_on_commit_callbacks)
    assert not TransferLetter.objects.exists()

    decide(large, approver, APPROVE, django_capture_on_commit_callbacks)

    text = letter_text(transfer)
    assert (f"{caseworker.full_name} (saksbehandler), {approver.full_name} (godkjenner)"
            in text)


@pytest.mark.parametrize(("language", "expected"), [
    (WrittenLanguage.BOKMAL, "Vedtak om overføring av ubrukte midler – "),
    (WrittenLanguage.NYNORSK, "Vedtak om overføring av ubrukte midlar – "),
])
def test_the_letter_is_in_the_organisations_language_form_not_the_deciders(
        small, caseworker, django_capture_on_commit_callbacks, language, expected):
    in_language(small, language)

    with translation.override("en"):  # the caseworker's own language
        transfer = decide(small, caseworker, APPROVE, django_capture_on_commit_callbacks)

    text = letter_text(transfer)
    assert expected in text
    assert "Decision on" not in text


def test_the_letter_has_its_english_texts(small, caseworker,
                                          django_capture_on_commit_callbacks):
    transfer = decide(small, caseworker, REFUSE, django_capture_on_commit_callbacks)

    with translation.override("en"):
        data, _name = transfer_letters.render_transfer_letter(
            TransferLetter.objects.get(transfer=transfer))

    text = pdf_text(data)
    year = small.application.round.year
    for expected in [
        "Decision on transferring unused funds – ",
        f"refuses the request from Trondheim - Tråante kommune to transfer NOK 30 000 in "
        f"unused funds from the grant for {year} to {year + 1}.",
        f"Transferred to {year + 1}", "Unused funds you asked to transfer", "Right of appeal",
    ]:
        assert expected in text, expected


def test_the_decisions_email_links_the_letter(small, caseworker,
                                               django_capture_on_commit_callbacks):
    in_language(small, WrittenLanguage.NYNORSK)

    transfer = decide(small, caseworker, APPROVE, django_capture_on_commit_callbacks)

    email = OutboundEmail.objects.get(kind="transfer_decision")
    url = absolute_url("reporting:transfer_letter", transfer.pk)
    assert f"Brevet om vedtaket ligg i portalen: {url}" in email.body
    assert email.body.endswith("Beløpet står som overførte midlar i søknaden for neste år.")


def test_members_and_the_offices_staff_fetch_it_others_get_404(
        small, caseworker, signatory, rogaland_signatory, rogaland_caseworker, client,
        django_capture_on_commit_callbacks):
    transfer = decide(small, caseworker, APPROVE, django_capture_on_commit_callbacks)
    url = reverse("reporting:transfer_letter", args=[transfer.pk])
    letter = TransferLetter.objects.get(transfer=transfer)

    for insider in (signatory, caseworker):
        client.force_login(insider)
        response = client.get(url)
        assert response.status_code == 200
        assert response["X-Content-SHA256"] == letter.sha256
    for outsider in (rogaland_signatory, rogaland_caseworker):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    letter.refresh_from_db()
    assert letter.status == DocumentStatus.READY  # nothing changed for them


def test_another_offices_staff_and_members_get_404_and_make_nothing_of_a_pending_letter(
        small, caseworker, signatory, rogaland_signatory, rogaland_caseworker, client):
    # Given a decided transfer whose letter the worker has not made yet
    transfer = transfers.transfer_decide(report=small, user=caseworker, outcome=APPROVE,
                                         reason=REASON)
    url = reverse("reporting:transfer_letter", args=[transfer.pk])

    # When Rogaland's caseworker and a Rogaland member ask for it
    answers = []
    for outsider in (rogaland_caseworker, rogaland_signatory):
        client.force_login(outsider)
        answers.append(client.get(url).status_code)

    # Then both get 404, and nothing was made, stored or audited for them
    assert answers == [404, 404]
    letter = TransferLetter.objects.get(transfer=transfer)
    assert (letter.status, letter.file.name, letter.sha256) == (DocumentStatus.PENDING, "", "")
    assert not AuditEvent.objects.filter(action=AuditAction.DOCUMENT_DOWNLOAD).exists()

    # And the recipient's signatory, asking the same, gets it made
    client.force_login(signatory)
    assert client.get(url).status_code == 200
    letter.refresh_from_db()
    assert letter.status == DocumentStatus.READY
    assert AuditEvent.objects.filter(action=AuditAction.DOCUMENT_DOWNLOAD).count() == 1


def test_the_letter_is_in_the_archive_with_its_checksum(small, caseworker,
                                                         django_capture_on_commit_callbacks):
    transfer = decide(small, caseworker, REFUSE, django_capture_on_commit_callbacks)

    documents = archive_documents([small.application_id])[small.application_id]

    letter = TransferLetter.objects.get(transfer=transfer)
    [found] = [d for d in documents if d.title.startswith("Vedtak om overføring")]
    assert found.title == (f"Vedtak om overføring {transfer_letters.transfer_reference(transfer)}"
                           " (kr\u00a030\u00a0000, overføring avslått)")
    assert (found.url, found.sha256) == (
        reverse("reporting:transfer_letter", args=[transfer.pk]), letter.sha256)


def test_the_offices_report_page_links_the_letter(small, caseworker, client,
                                                  django_capture_on_commit_callbacks):
    transfer = decide(small, caseworker, APPROVE, django_capture_on_commit_callbacks)
    client.force_login(caseworker)

    page = client.get(reverse("admin:reporting_report_change", args=[small.pk]))

    url = reverse("reporting:transfer_letter", args=[transfer.pk])
    assert f'<a href="{url}">Brev om vedtaket (PDF)</a>' in page.content.decode()


def test_with_the_broker_down_the_decision_stands_and_a_click_makes_the_letter(
        small, caseworker, signatory, client, broker_down,  # noqa: F811
        django_capture_on_commit_callbacks):
    # Given the broker cannot be reached when the office decides
    transfer = decide(small, caseworker, APPROVE, django_capture_on_commit_callbacks)

    # Then the decision is saved, the letter waits for the worker (or the sweep) ...
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.APPROVED
    letter = TransferLetter.objects.get(transfer=transfer)
    assert (letter.status, letter.enqueued_at, bool(letter.file)) == (
        DocumentStatus.PENDING, None, False)

    # ... and the recipient who clicks the e-mail's link gets it, made on the spot
    client.force_login(signatory)
    response = client.get(reverse("reporting:transfer_letter", args=[transfer.pk]))

    assert response.status_code == 200
    letter.refresh_from_db()
    assert letter.status == DocumentStatus.READY
    assert response["X-Content-SHA256"] == letter.sha256


def test_the_nynorsk_letter_reads_in_nynorsk(small, caseworker,
                                             django_capture_on_commit_callbacks):
    in_language(small, WrittenLanguage.NYNORSK)

    transfer = decide(small, caseworker, REFUSE, django_capture_on_commit_callbacks)

    text = letter_text(transfer)
    submission = small.submissions.get(returned_at__isnull=True)
    year = small.application.round.year
    for expected in [
        f"Rapporten dykkar {submission.reference}, sendt ",
        "avslår søknaden frå Trondheim - Tråante kommune om å overføre kr 30 000 i ubrukte "
        f"midlar frå tilskotet for {year} til {year + 1}.",
        "Ubrukte midlar de søkte om å overføre kr 30 000",
    ]:
        assert expected in text, expected
