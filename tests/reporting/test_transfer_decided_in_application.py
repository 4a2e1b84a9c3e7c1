"""Next year's application follows the office's decision on last year's transfer of unused
funds («kan etter søknad overføres ett år»): approved, the decided amount; refused, kr 0
with a sentence that says so and the decision's letter; undecided, what is typed. A draft
saved with another amount before the decision is not sent: the submit refuses it at the
field, and the draft is kept as it was (applications.rules.transferred_funds_error)."""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from applications import services as application_services
from applications.documents import render_receipt
from applications.form_page import ApplicationForms
from applications.models import ApplicationStatus, Submission
from applications.steps import step_url
from reporting import services, transfers
from reporting.models import UnusedChoice
from reporting.transfer_letters import transfer_reference
from reporting.transfer_models import TransferDecision, TransferOutcome
from tilskudd.audit import snapshot
from tilskudd.errors import ServiceError

from .helpers import competence_line, complete_header, ready_report

APPROVE, REFUSE = TransferOutcome.APPROVE, TransferOutcome.REFUSE

#: What the field says of a refusal, and the submit of a statement it contradicts.
REFUSED = {
    "nb": ("avslo", "å overføre kr\u00a030\u00a0000", "Les vedtaksbrevet",
           "så overførte midler er kr 0, ikke kr\u00a030\u00a0000"),
    "nn": ("avslo", "å overføre kr\u00a030\u00a0000", "Les vedtaksbrevet",
           "så overførte midlar er kr 0, ikkje kr\u00a030\u00a0000"),
    "en": ("refused", "to transfer NOK\u00a030\u00a0000", "Read the decision letter",
           "so the funds transferred are NOK 0, not NOK\u00a030\u00a0000"),
}


@pytest.fixture
def asked(report, signatory):
    """This year's report, sent asking to transfer kr 30 000."""
    ready_report(report, signatory, used=lambda line: line.granted - 10_000,
                 unused_choice=UnusedChoice.TRANSFER, transfer_reason="Kullet startet i januar.")
    services.report_submit(report=report, user=signatory)
    report.refresh_from_db()
    return report


def draft_stating(trondheim, next_round, signatory, amount: int):
    """Next year's draft, complete, saved stating `amount` transferred."""
    application = application_services.application_start(
        organisation=trondheim, round=next_round, user=signatory)
    application_services.application_update(
        application=application, user=signatory,
        header={**complete_header(), "transferred_funds": Decimal(amount)},
        competence=[competence_line()])
    application.refresh_from_db()
    return application


@pytest.mark.parametrize("language", list(REFUSED))
def test_a_refused_transfer_is_kr_0_and_locked_on_next_years_form_with_its_letter(
    asked, caseworker, trondheim, next_round, signatory, client, language
):
    transfers.transfer_decide(report=asked, user=caseworker, outcome=REFUSE, reason="Nei.")
    transfer = TransferDecision.objects.get()

    application = application_services.application_start(
        organisation=trondheim, round=next_round, user=signatory)
    assert application.transferred_funds == Decimal(0)
    # typed over, it stays what the office decided
    application_services.application_update(
        application=application, user=signatory,
        header={**complete_header(), "transferred_funds": Decimal(30_000)})
    application.refresh_from_db()
    assert application.transferred_funds == Decimal(0)

    client.force_login(signatory)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(step_url(application, "om-soknaden")).content.decode()
    field = ApplicationForms(application).header["transferred_funds"]
    assert field.field.disabled and field.value() == "0"
    refused, requested, letter, _contradiction = REFUSED[language]
    assert refused in page and requested in page and letter in page
    assert (f'<a href="{reverse("reporting:transfer_letter", args=[transfer.pk])}">'
            f"{transfer_reference(transfer)}</a>") in page
    assert 'name="header-transferred_funds"' in page and "disabled" in page.split(
        'name="header-transferred_funds"')[1].split(">")[0]


def test_an_undecided_transfer_leaves_the_amount_typed(
    asked, trondheim, next_round, signatory
):
    assert not any(t.is_decided for t in TransferDecision.objects.all())  # asked, undecided

    application = draft_stating(trondheim, next_round, signatory, 30_000)

    assert application.transferred_funds == Decimal(30_000)
    assert not ApplicationForms(application).header.fields["transferred_funds"].disabled
    application_services.application_submit(application=application, user=signatory)
    assert Submission.objects.get(application=application).content["header"][
        "transferred_funds"] == "30000"


def test_a_draft_stating_what_a_refusal_took_is_not_sent_and_is_kept(
    asked, caseworker, trondheim, next_round, signatory
):
    application = draft_stating(trondheim, next_round, signatory, 30_000)
    transfers.transfer_decide(report=asked, user=caseworker, outcome=REFUSE, reason="Nei.")
    before = snapshot(application, application_services.HEADER_FIELDS)

    with pytest.raises(ServiceError) as refused:
        application_services.application_submit(application=application, user=signatory)

    assert refused.value.code == "rules"
    [error] = [e for e in refused.value.errors if e.field == "transferred_funds"]
    assert error.section == "header"
    assert REFUSED["nb"][3] in error.message and transfer_reference(
        TransferDecision.objects.get()) in error.message
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert not Submission.objects.filter(application=application).exists()
    assert snapshot(application, application_services.HEADER_FIELDS) == before
    assert application.competence_lines.count() == 1
    # the form says it next to the field; saving the step corrects it, and it is sent
    help_text = str(ApplicationForms(application).header["transferred_funds"].help_text)
    assert "Lagre steget «Om søkeren og søknaden» på nytt" in help_text
    application_services.application_update(
        application=application, user=signatory, header=complete_header())
    application_services.application_submit(application=application, user=signatory)
    application.refresh_from_db()
    assert (application.status, application.transferred_funds) == (
        ApplicationStatus.SUBMITTED, Decimal(0))


@pytest.mark.parametrize("language", list(REFUSED))
def test_the_refused_submit_shows_the_message_linked_to_the_field(
    asked, caseworker, trondheim, next_round, signatory, client, language
):
    application = draft_stating(trondheim, next_round, signatory, 30_000)
    transfers.transfer_decide(report=asked, user=caseworker, outcome=REFUSE, reason="Nei.")
    client.force_login(signatory)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client.post(reverse("applications:submit", args=[application.pk]))

    text = page.content.decode()
    assert REFUSED[language][3] in text
    assert f'{step_url(application, "om-soknaden")}#id_header-transferred_funds' in text
    application.refresh_from_db()
    assert (application.status, application.transferred_funds) == (
        ApplicationStatus.DRAFT, Decimal(30_000))


def test_a_draft_stating_another_amount_than_approved_is_not_sent(
    asked, caseworker, trondheim, next_round, signatory
):
    application = draft_stating(trondheim, next_round, signatory, 12_000)
    transfers.transfer_decide(report=asked, user=caseworker, outcome=APPROVE, reason="Ja.")

    with pytest.raises(ServiceError) as refused:
        application_services.application_submit(application=application, user=signatory)

    [error] = [e for e in refused.value.errors if e.field == "transferred_funds"]
    assert ("så overførte midler er kr\u00a030\u00a0000, ikke kr\u00a012\u00a0000"
            in error.message)
    application.refresh_from_db()
    assert (application.status, application.transferred_funds) == (
        ApplicationStatus.DRAFT, Decimal(12_000))
    with translation.override("en"):  # said next to the field, in the person's language
        assert "so the funds transferred are NOK\u00a030\u00a0000, not NOK\u00a012\u00a0000" in str(
            ApplicationForms(application).header["transferred_funds"].help_text)


# -- The preview shows the decision and sends it (review of 559c342) ---------------------

#: The refused click's message, and what it says to do, in each language.
RACE = {
    "nb": ("så overførte midler er kr 0, ikke kr\u00a030\u00a0000",
           "Forhåndsvisningen viser nå beløpet som blir sendt"),
    "nn": ("så overførte midlar er kr 0, ikkje kr\u00a030\u00a0000",
           "Førehandsvisinga viser no beløpet som blir sendt"),
    "en": ("so the funds transferred are NOK 0, not NOK\u00a030\u00a0000",
           "The preview now shows the amount that will be sent"),
}


def shown(page: str) -> str:
    """The amount the preview's «Send inn» form carries."""
    return re.search(r'name="transferred_funds" value="([^"]*)"', page).group(1)


def test_a_signatory_sends_at_once_an_application_to_sign_that_a_refusal_overtook(
    asked, caseworker, trondheim, next_round, signatory, editor, client
):
    # the editor saved kr 30 000 and sent it for signing; the office refused meanwhile; the
    # signatory may not change it (a step's link leads back to the preview), and sends it
    application = draft_stating(trondheim, next_round, editor, 30_000)
    application_services.application_request_signature(application=application, user=editor)
    transfers.transfer_decide(report=asked, user=caseworker, outcome=TransferOutcome.REFUSE,
                              reason="Nei.")
    client.force_login(signatory)

    page = client.get(reverse("applications:preview", args=[application.pk])).content.decode()
    content = page.split('id="content-heading"')[1]
    assert "<dt>Overførte midler fra i fjor</dt><dd>kr\u00a00</dd>" in content
    assert "avslo" in page.split('id="transferred-decided"')[1].split("</p>")[0]
    assert shown(page) == "0"

    answer = client.post(reverse("applications:submit", args=[application.pk]),
                         {"transferred_funds": shown(page)})

    submission = Submission.objects.get(application=application)
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "applications:receipt", args=[submission.reference])
    assert submission.content["header"]["transferred_funds"] == "0"
    application.refresh_from_db()
    assert (application.status, application.transferred_funds) == (
        ApplicationStatus.SUBMITTED, Decimal(0))
    # the page of the application as sent (and its PDF copy, from the same content) says so
    sent = client.get(reverse("applications:preview", args=[application.pk])).content.decode()
    assert "<dt>Overførte midler fra i fjor</dt><dd>kr 0</dd>" in sent
    pdf, _name = render_receipt(submission.receipt)
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert re.search(r"Overførte midler fra i fjor\s*kr\s0\b", text)


@pytest.mark.parametrize("language", list(RACE))
def test_a_decision_made_while_the_preview_was_open_refuses_one_click_then_sends(
    asked, caseworker, trondheim, next_round, signatory, client, language
):
    application = draft_stating(trondheim, next_round, signatory, 30_000)
    client.force_login(signatory)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = reverse("applications:submit", args=[application.pk])
    before = client.get(reverse("applications:preview", args=[application.pk])).content.decode()
    assert Decimal(shown(before)) == 30_000  # undecided: what the draft says
    transfers.transfer_decide(report=asked, user=caseworker, outcome=TransferOutcome.REFUSE,
                              reason="Nei.")

    refused = client.post(url, {"transferred_funds": shown(before)}).content.decode()

    assert not Submission.objects.filter(application=application).exists()
    application.refresh_from_db()
    assert (application.status, application.transferred_funds) == (
        ApplicationStatus.DRAFT, Decimal(30_000))
    summary = refused.split('id="error-summary"')[1].split("</div>")[0]
    assert RACE[language][0] in summary and RACE[language][1] in summary
    assert shown(refused) == "0"  # the preview answered now shows the decision

    client.post(url, {"transferred_funds": shown(refused)})

    assert Submission.objects.get(application=application).content["header"][
        "transferred_funds"] == "0"


def test_an_amount_the_preview_did_not_show_is_not_sent_for_it(
    asked, caseworker, trondheim, next_round, signatory
):
    # only the decided amount shown is set on sending: any other, the statement is checked
    application = draft_stating(trondheim, next_round, signatory, 0)
    transfers.transfer_decide(report=asked, user=caseworker, outcome=TransferOutcome.APPROVE,
                              reason="Ja.")

    with pytest.raises(ServiceError) as refused:
        application_services.application_submit(
            application=application, user=signatory, shown_transferred=Decimal(12_000))

    assert [e.field for e in refused.value.errors] == ["transferred_funds"]
    application.refresh_from_db()
    assert (application.status, application.transferred_funds) == (
        ApplicationStatus.DRAFT, Decimal(0))
    application_services.application_submit(
        application=application, user=signatory, shown_transferred=Decimal("30000.00"))
    application.refresh_from_db()
    assert (application.status, application.transferred_funds) == (
        ApplicationStatus.SUBMITTED, Decimal(30_000))


def test_an_excel_file_stating_what_a_refusal_took_is_imported_at_kr_0(
    asked, caseworker, trondheim, next_round, signatory
):
    # the workbook downloaded before the decision says kr 30 000; uploaded after it, the
    # draft holds what the office decided, as the form's save does
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.excel import export_application, import_application

    application = draft_stating(trondheim, next_round, signatory, 30_000)
    workbook = export_application(application)
    transfers.transfer_decide(report=asked, user=caseworker, outcome=REFUSE, reason="Nei.")

    result = import_application(
        application=application, user=signatory, uploaded_file=SimpleUploadedFile(
            "soknad.xlsx", workbook,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))

    assert list(result.errors) == [] and result.counts["competence"] == 1  # the file taken
    application.refresh_from_db()
    assert application.transferred_funds == Decimal(0)
