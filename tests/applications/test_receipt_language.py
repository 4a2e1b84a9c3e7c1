"""The receipt (PDF copy and e-mail) is in the language the signatory submitted in, kept
on the submission, whoever's request or worker makes the PDF later. The nynorsk words come
from the catalogues (locale/, applications/locale/); those asserts fail until they have
them."""

import io

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext as _
from pypdf import PdfReader

from applications import services
from applications.models import ReceiptDocument
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def in_language(language: str, text: str) -> str:
    with translation.override(language):
        return _(text)


def submit_in(language, draft, signatory, capture):
    """Submitted from a page in `language`; the PDF job run later, from an English one."""
    mail.outbox.clear()
    with capture(execute=False) as callbacks, translation.override(language):
        submission = services.application_submit(application=draft, user=signatory)
    with translation.override("en"):
        for callback in callbacks:
            callback()
    return submission


def receipt_pdf(submission) -> bytes:
    job = ReceiptDocument.objects.get(submission=submission)
    with job.file.open("rb") as fh:
        return fh.read()


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_submission_keeps_the_language_it_was_sent_in(
    language, draft, signatory, django_capture_on_commit_callbacks,
):
    submission = submit_in(language, draft, signatory, django_capture_on_commit_callbacks)

    submission.refresh_from_db()
    assert submission.language == language
    data = receipt_pdf(submission)
    assert str(PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"]) == language


def test_a_receipt_submitted_in_nynorsk_is_in_nynorsk(
    draft, signatory, django_capture_on_commit_callbacks,
):
    submission = submit_in("nn", draft, signatory, django_capture_on_commit_callbacks)

    text = pdf_text(receipt_pdf(submission))
    sender = in_language("nn", "Avsender")
    assert sender != "Avsender"  # locale/nn has it
    assert sender in text
    assert "Avsender" not in text
    subject = in_language("nn", "Kvittering: søknad sendt inn (%(ref)s)")
    assert subject != "Kvittering: søknad sendt inn (%(ref)s)"  # applications/locale/nn
    assert mail.outbox[0].subject == subject % {"ref": submission.reference}


def test_a_receipt_submitted_in_bokmal_stays_in_bokmal(
    draft, signatory, django_capture_on_commit_callbacks,
):
    submission = submit_in("nb", draft, signatory, django_capture_on_commit_callbacks)

    assert "Avsender" in pdf_text(receipt_pdf(submission))
    assert mail.outbox[0].subject == f"Kvittering: søknad sendt inn ({submission.reference})"
    assert "Søknaden er sendt inn." in mail.outbox[0].body
