"""A report's receipt (PDF copy and e-mail) is in the language the signatory submitted in,
whoever's request or worker makes the PDF; the words wait for the catalogues."""

import io

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext as _
from pypdf import PdfReader

from reporting import services
from reporting.models import ReportReceipt

from .helpers import ready_report

pytestmark = pytest.mark.django_db


def submit_in(language, report, signatory, capture):
    ready_report(report, signatory)
    mail.outbox.clear()
    with capture(execute=False) as callbacks, translation.override(language):
        submission = services.report_submit(report=report, user=signatory)
    with translation.override("en" if language != "en" else "nb"):
        for callback in callbacks:
            callback()
    return submission


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_report_receipt_is_in_the_language_it_was_sent_in(
    language, report, signatory, django_capture_on_commit_callbacks,
):
    submission = submit_in(language, report, signatory, django_capture_on_commit_callbacks)

    submission.refresh_from_db()
    assert submission.language == language
    receipt = ReportReceipt.objects.get(submission=submission)
    with receipt.file.open("rb") as fh:
        assert str(PdfReader(io.BytesIO(fh.read())).trailer["/Root"]["/Lang"]) == language
    with translation.override(language):
        subject = _("Kvittering: rapport sendt inn (%(ref)s)") % {"ref": submission.reference}
    assert mail.outbox[0].subject == subject
