from decimal import Decimal

import pytest

from applications import services
from applications.documents import render_receipt
from applications.models import ReceiptDocument
from tests.applications.conftest import competence_line, project
from tests.pdf import pdf_pages, pdf_structure, pdf_text
from tilskudd.documents.jobs import DocumentStatus, run_document_job


@pytest.fixture
def submission(draft, editor, signatory, django_capture_on_commit_callbacks):
    services.application_update(
        application=draft, user=editor,
        competence=[competence_line(), competence_line(education_type="abc",
                                                       description="ABC demensomsorg",
                                                       amount=Decimal("45000"))],
        projects=[project(title=f"Prosjekt nummer {i}", needs="Behov " * 300)
                  for i in range(1, 4)],
    )
    with django_capture_on_commit_callbacks(execute=True):
        return services.application_submit(application=draft, user=signatory)


def test_receipt_pdf_holds_reference_organisation_lines_and_totals(submission):
    job = ReceiptDocument.objects.get(submission=submission)

    data, filename = render_receipt(job)

    assert filename == f"{submission.reference}.pdf"
    text = pdf_text(data)
    assert "Trondheim - Tråante kommune" in text
    assert "942110464" in text
    assert "Statsforvalteren i Trøndelag" in text
    assert "Videreutdanning i psykisk helsearbeid" in text
    assert "ABC demensomsorg" in text
    assert "Arbeidsledere (brukere)" in text
    for i in range(1, 4):
        assert f"Prosjekt nummer {i}" in text
    assert "Sum søkt" in text
    assert "Sum søkt kr 915 000" in text  # 105 000 + 60 000 + 3 × 250 000


def test_every_page_carries_the_reference_and_its_number(submission):
    data, _ = render_receipt(ReceiptDocument.objects.get(submission=submission))

    pages = pdf_pages(data)

    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert f"Ref. {submission.reference}" in page
        assert f"Side {number} av {len(pages)}" in page


def test_the_job_is_idempotent(submission):
    job = ReceiptDocument.objects.get(submission=submission)
    first_sha = job.sha256
    assert job.status == DocumentStatus.READY

    run_document_job(ReceiptDocument, job.pk, render_receipt)

    job.refresh_from_db()
    assert job.sha256 == first_sha
    assert job.attempts == 1


def test_a_failing_render_is_retried_then_marked_failed(submission):
    job = ReceiptDocument.objects.get(submission=submission)
    ReceiptDocument.objects.filter(pk=job.pk).update(status=DocumentStatus.PENDING, attempts=0)

    def broken(_job):
        raise RuntimeError("Pango mangler")

    for _ in range(3):
        with pytest.raises(RuntimeError):
            run_document_job(ReceiptDocument, job.pk, broken)

    job.refresh_from_db()
    assert job.status == DocumentStatus.FAILED
    assert job.error == "RuntimeError: Pango mangler"
    assert job.attempts == 3


def test_sweep_re_enqueues_jobs_left_pending(submission, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from tilskudd.documents import jobs

    job = ReceiptDocument.objects.get(submission=submission)
    old = timezone.now() - timedelta(minutes=10)
    ReceiptDocument.objects.filter(pk=job.pk).update(
        status=DocumentStatus.PENDING, enqueued_at=old, file="", sha256=""
    )
    sent = []
    monkeypatch.setattr(jobs, "enqueue", lambda model, pk: sent.append((model, pk)))

    assert jobs.sweep_pending() == 1
    assert sent == [(ReceiptDocument, job.pk)]
    # A fresh job is left alone: its message may still be on its way.
    assert jobs.sweep_pending() == 0


def test_the_receipt_is_laid_out_densely_on_weasyprints_fast_paths(submission):
    """Fixed-layout tables and no CSS grid (bench/pdf.py measures the time a page); the
    fixture's three long projects fit on three pages."""
    from django.template.loader import get_template

    from tilskudd.documents.pdf import DOCUMENT_CSS_MARK, DOCUMENT_CSS_TEMPLATE

    # the shared sheet (parsed once a process) and the document's own few rules
    css = get_template(DOCUMENT_CSS_TEMPLATE).template.source
    css += get_template("documents/base_pdf.html").template.source
    data, _ = render_receipt(ReceiptDocument.objects.get(submission=submission))

    assert "table-layout: fixed" in css
    assert DOCUMENT_CSS_MARK in get_template("documents/base_pdf.html").template.source
    assert "grid" not in css.replace("no CSS grid", "").replace("without grid", "")
    assert len(pdf_pages(data)) <= 3
    assert f"Referansenummer {submission.reference} Sendt" in pdf_text(data)  # reading order


def test_the_receipt_is_a_tagged_pdf_a_screen_reader_can_follow(submission):
    data, _ = render_receipt(ReceiptDocument.objects.get(submission=submission))

    marked, roles, lang = pdf_structure(data)

    assert marked
    assert {"H1", "H2", "Table", "TH", "TD", "P"} <= roles
    assert lang == "nb"


def test_each_competence_line_keeps_all_its_facts_in_two_cells(submission):
    """The PDF's competence table has two cells a line (WeasyPrint's cost is per cell,
    bench/pdf.py): the line's number, type and description, its other facts a line under
    them, and the amount; nothing the applicant gave is left out, and the headers stay."""
    data, _ = render_receipt(ReceiptDocument.objects.get(submission=submission))

    text = pdf_text(data)
    roles = pdf_structure(data)[1]

    assert "1. Kompetansetiltak Kompetansetiltak Beløp 1. Videreutdanning / master – " in text
    assert (
        "Videreutdanning i psykisk helsearbeid Ansatte: 3 · Psykisk helse og rus: Ja · "
        "Desentralisert: Ja · I støttet utdanning: Nei kr 60 000 2. "
    ) in text
    assert " – ABC demensomsorg Ansatte: " in text
    assert "kr 45 000 Sum kompetansetiltak kr 105 000" in text
    assert {"Table", "TH", "TD"} <= roles


def test_the_web_pages_keep_the_competence_columns(submission):
    """The preview and the case page share the include: only the PDF has the short rows."""
    from django.template.loader import render_to_string

    web = render_to_string("applications/includes/content.html", {"content": submission.content})
    pdf = render_to_string(
        "applications/includes/content.html", {"content": submission.content, "pdf": True}
    )

    for header in ["Utdanningstype", "Beskrivelse", "Desentralisert", "I støttet utdanning"]:
        assert f'<th scope="col" class="flag">{header}</th>' in web or (
            f'<th scope="col">{header}</th>' in web
        ), header
    assert "Ansatte: " not in web
    assert "Ansatte: 3 · " in pdf
    assert '<th scope="col">Utdanningstype</th>' not in pdf
