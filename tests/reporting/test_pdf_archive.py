"""Every document the portal makes and archives is PDF/A-2a (NORWAY.md: the archive takes
PDF/A-2; A for tagged), read back with pypdf: the PDF/A identification in the XMP metadata,
the sRGB output intent, every font embedded, and still tagged for a screen reader. The
application receipt, the allocation letter, the change-request letter, the report receipt,
the repayment letter and the transfer decision's letter, each made by the function the
worker calls, on one grant."""

import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from applications.documents import render_receipt as render_application_receipt
from applications.models import ReceiptDocument
from assessment import selectors as assessment_selectors
from assessment import services as assessment_services
from assessment.documents import render_letter as render_allocation_letter
from reporting import repayments, transfer_letters, transfers
from reporting import services as report_services
from reporting.changes import services as change_services
from reporting.changes.letters import render_change_letter
from reporting.changes.models import ChangeLetter
from reporting.documents import render_receipt as render_report_receipt
from reporting.models import ReportReceipt, UnusedChoice
from reporting.transfer_models import TransferLetter, TransferOutcome
from tests.pdf import pdf_structure, structure_nodes

from .change_helpers import accept, ask, recommended
from .helpers import ready_report

pytestmark = pytest.mark.django_db


def _application_receipt(application, **_people):
    job = ReceiptDocument.objects.get(submission=application.submissions.get())
    return render_application_receipt(job)[0]


def _allocation_letter(application, caseworker, **_people):
    case = assessment_selectors.case_for(application)
    return render_allocation_letter(
        assessment_services.letter_generate(assessment=case, user=caseworker))[0]


def _change_letter(application, caseworker, approver, signatory, capture):
    accept(application, caseworker, signatory, capture)
    change = recommended(ask(application, signatory), caseworker)
    change = change_services.change_request_decide(change_request=change, user=approver)
    return render_change_letter(ChangeLetter.objects.get(change_request=change))[0]


def _sent_report(application, signatory):
    report = report_services.report_open(application=application, user=signatory)
    ready_report(report, signatory, used=lambda line: line.granted - 10000,
                 unused_choice=UnusedChoice.TRANSFER, transfer_reason="Kullet startet i januar.")
    return report, report_services.report_submit(report=report, user=signatory)


def _report_receipt(application, signatory, **_people):
    _report, submission = _sent_report(application, signatory)
    return render_report_receipt(ReportReceipt.objects.get(submission=submission))[0]


def _repayment_letter(application, signatory, caseworker, **_people):
    report, _submission = _sent_report(application, signatory)
    claim = repayments.repayment_claim_create(
        report=report, user=caseworker, amount=Decimal(20000),
        reason="Kr 20 000 er brukt til kontorrekvisita, som ikke er et kompetansetiltak.")
    return repayments.render_letter(claim.letter)[0]


def _transfer_letter(application, signatory, caseworker, **_people):
    report, _submission = _sent_report(application, signatory)
    transfer = transfers.transfer_decide(
        report=report, user=caseworker, outcome=TransferOutcome.REFUSE,
        reason="Midlene var ikke bundet ved årsskiftet.")
    return transfer_letters.render_transfer_letter(
        TransferLetter.objects.get(transfer=transfer))[0]


DOCUMENTS = {
    "application receipt": _application_receipt,
    "allocation letter": _allocation_letter,
    "change-request letter": _change_letter,
    "report receipt": _report_receipt,
    "repayment letter": _repayment_letter,
    "transfer letter": _transfer_letter,
}


@pytest.fixture(params=DOCUMENTS)
def document(request, application, signatory, caseworker, approver,
             django_capture_on_commit_callbacks) -> bytes:
    return DOCUMENTS[request.param](
        application, signatory=signatory, caseworker=caseworker, approver=approver,
        capture=django_capture_on_commit_callbacks)


def _pdfa_identification(root) -> dict[str, str]:
    xmp = root["/Metadata"].get_object().get_data().decode()
    return dict(re.findall(r'pdfaid:(part|conformance)="([^"]*)"', xmp))


def _fonts(reader) -> list:
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                fonts.append(descendant.get_object())
    return fonts


def test_the_document_is_pdf_a_2a_and_still_tagged(document):
    reader = PdfReader(io.BytesIO(document))
    root = reader.trailer["/Root"]

    assert reader.pdf_header == "%PDF-1.7"  # PDF/A-2 is ISO 32000-1, PDF 1.7
    assert _pdfa_identification(root) == {"part": "2", "conformance": "A"}
    [intent] = root["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    assert "sRGB" in intent["/OutputConditionIdentifier"]
    assert intent["/DestOutputProfile"].get_object()["/N"] == 3  # an RGB ICC profile
    assert len(reader.trailer["/ID"]) == 2  # PDF/A wants the file identifier
    fonts = _fonts(reader)
    assert fonts
    for font in fonts:
        assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]  # embedded
        # a subset (the six capitals) of DejaVu Sans or its bold, the only fonts used
        assert re.fullmatch(r"/[A-Z]{6}\+DejaVu-Sans(-Bold)?", font["/BaseFont"])
    marked, roles, lang = pdf_structure(document)
    assert marked is True
    assert "/StructTreeRoot" in root
    assert {"Document", "H1", "P", "Table", "TH", "TD"} <= roles
    assert lang == "nb"
    assert len(list(structure_nodes(root))) > 20
