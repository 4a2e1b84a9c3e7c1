"""The PDF copy of a report submission, made by a Celery job, read back with pypdf."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from reporting import services
from reporting.documents import render_receipt
from reporting.models import ReportReceipt, UnusedChoice
from reporting.tasks import render_report_receipt_pdf
from tests.pdf import pdf_text
from tilskudd.documents.jobs import DocumentStatus

from .helpers import competence_line, granted, project, ready_report


@pytest.fixture
def submission(report, signatory, django_capture_on_commit_callbacks):
    ready_report(report, signatory, used=lambda line: line.granted - 10000,
                 unused_choice=UnusedChoice.TRANSFER,
                 transfer_reason="Kullet startet først i januar.")
    with django_capture_on_commit_callbacks(execute=True):
        return services.report_submit(report=report, user=signatory)


def test_the_receipt_pdf_holds_what_was_sent(submission):
    receipt = ReportReceipt.objects.get(submission=submission)

    assert receipt.status == DocumentStatus.READY
    with receipt.file.open("rb") as fh:
        text = pdf_text(fh.read())
    year = submission.report.application.round.year
    for expected in [
        f"Rapport om tilskudd {year}",
        f"Referansenummer {submission.reference}",
        "Avsender Trondheim - Tråante kommune (org.nr. 942110464)",
        "Sendt av Sigurd Signatur (signatur@trondheim.example.no)",
        "Mottaker Statsforvalteren i Trøndelag",
        "Ubrukte midler Søke om å overføre ubrukte midler til neste år",
        "Begrunnelse for overføring: Kullet startet først i januar.",
        "Innvilget tilskudd kr 260 000",
        "Brukt kr 230 000",
        "Ubrukt kr 30 000",
        "Revisorattestasjon: Dokumentasjon",
        "Videreutdanning / master: Videreutdanning i psykisk helsearbeid",
    ]:
        assert expected in text, expected
    assert receipt.file.name.endswith(f"{submission.reference}.pdf")
    assert len(receipt.sha256) == 64


def test_running_the_job_again_changes_nothing(submission):
    receipt = ReportReceipt.objects.get(submission=submission)
    before = (receipt.file.name, receipt.sha256, receipt.attempts)

    assert render_report_receipt_pdf.apply(args=[receipt.pk]).get() == "ready"

    receipt.refresh_from_db()
    assert (receipt.file.name, receipt.sha256, receipt.attempts) == before


def test_the_pdf_is_made_from_the_frozen_content(submission, signatory, caseworker):
    # given: the report is returned and changed after it was sent
    report = submission.report
    services.report_return(report=report, user=caseworker, message="Rett beløpene.")
    services.report_update(report=report, user=signatory, header={"text_report": "Endret " * 5})

    # when: the first submission's PDF is made again
    pdf, filename = render_receipt(ReportReceipt(submission=submission))

    # then: it shows what was sent then
    assert filename == f"{submission.reference}.pdf"
    assert "Endret" not in pdf_text(pdf)
    assert submission.unused_total == Decimal("30000")


def test_each_competence_line_keeps_its_counts_under_it(submission):
    """Three cells a line in the PDF (WeasyPrint's cost is per cell, bench/pdf.py): the
    measure with its employees, the counts a line under it, what was granted and used."""
    with ReportReceipt.objects.get(submission=submission).file.open("rb") as fh:
        text = pdf_text(fh.read())

    assert (
        "Kompetansetiltak Tiltak Innvilget Brukt Videreutdanning / master: Videreutdanning i "
        "psykisk helsearbeid (3 ansatte) Fullført: 2 · Studerer fortsatt: 1 · Avbrutt: 0 "
        "kr 60 000 kr 50 000 Videregående opplæring / fagbrev (f.eks. helsefagarbeider): "
        "Fagbrev (4 ansatte) Fullført: 3 · Studerer fortsatt: 1 · Avbrutt: 0 kr 140 000 "
        "kr 130 000 BPA-opplæring"
    ) in text


def test_each_project_keeps_its_facts_a_line_each(
    trondheim, grant_round, budget, signatory, caseworker, approver
):
    """The PDF gives a project's facts as one paragraph, a line each ("Tema: …"), not a
    list of twelve blocks (WeasyPrint's cost is per box, bench/pdf.py): all six are there,
    with their labels, in the order the web page has them."""
    application = granted(trondheim, grant_round, signatory, caseworker, approver,
                          competence=[competence_line()], projects=[project(title="P0")])
    report = services.report_open(application=application, user=signatory)
    ready_report(report, signatory, used=lambda line: line.granted)
    submission = services.report_submit(report=report, user=signatory)

    pdf, _filename = render_receipt(ReportReceipt(submission=submission))
    lines = [line.replace("\u00a0", " ") for page in PdfReader(io.BytesIO(pdf)).pages
             for line in page.extract_text().splitlines()]

    start = next(i for i, line in enumerate(lines) if line.startswith("Tema: "))
    assert [line.split(":")[0] for line in lines[start:start + 6]] == [
        "Tema", "Innvilget", "Status", "Måloppnåelse", "Videreføres i ordinær drift", "Brukt"]
    assert lines[start + 1].startswith("Innvilget: kr ")
