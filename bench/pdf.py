"""Benchmark of the PDFs: a typical and a large application receipt, an allocation letter, a
report receipt, a change-request letter and a repayment letter, each rendered the way the
worker renders it, against a bare one-page WeasyPrint document rendered in the same run.
Prints pages, ms per document and ms per page (median of --repeat runs), and the CPU time a
page took (median too: on a machine others are using, that moves far less than the clock),
each also as a multiple of the bare page's; asserts nothing. With --stock-sheet it also makes
each document with WeasyPrint's own user-agent stylesheet, in samples interleaved with the
portal's trimmed one (tilskudd.documents.pdf.user_agent_css), and prints the CPU ms a page
of both and their ratio: one process and one machine load for both, which a busy machine
needs to show a 10 % change. With --worker-gc, the same for the garbage collector as the web
has it (running through the render) against the worker's pool process (paused while a
document is made, the young generations collected after it: tilskudd.documents.pdf), which
is how every other figure is made. With --pdf-a, the same for the documents as PDF/A-2a
(as the worker makes them, tilskudd.documents.pdf.PDF_VARIANT) against plain tagged PDFs
(no variant): what the archive's format costs.

Run with `make bench-pdf` (a throw-away SQLite database).

    python bench/pdf.py [--repeat 7] [--stock-sheet] [--worker-gc] [--pdf-a]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import time

from run import setup_django

BARE = (
    "<!doctype html><html lang='nb'><head><meta charset='utf-8'><title>Bar side</title>"
    "</head><body><p>En bar side.</p></body></html>"
)


def _median_ms(render, repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds of `render`."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        render()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def _interleaved_cpu_ms(render, repeat: int, variant) -> tuple[float, float]:
    """Median CPU milliseconds of `render` as the worker makes it and with `variant` (a
    context manager) in force, sampled in turns (the order swapped every round)."""
    cpu: dict[bool, list[float]] = {False: [], True: []}
    for round_ in range(repeat):
        for varied in (False, True) if round_ % 2 else (True, False):
            with variant() if varied else contextlib.nullcontext():
                start = time.process_time()
                render()
                cpu[varied].append((time.process_time() - start) * 1000)
    return statistics.median(cpu[False]), statistics.median(cpu[True])


@contextlib.contextmanager
def _stock_sheet():
    """WeasyPrint's own user-agent sheet instead of the portal's trimmed one."""
    from weasyprint import HTML

    from tilskudd.documents import pdf

    ours = pdf._document_classes[0]
    pdf._document_classes[0] = HTML
    try:
        yield
    finally:
        pdf._document_classes[0] = ours


@contextlib.contextmanager
def _web_collector():
    """The garbage collector as the web has it (running through the render), not as a
    worker's pool process has it (paused, the young generations collected after)."""
    from tilskudd.documents import pdf

    pdf._collector["paused"] = False
    try:
        yield
    finally:
        pdf._collector["paused"] = True


@contextlib.contextmanager
def _no_pdf_variant():
    """Plain tagged PDFs, not PDF/A: no XMP metadata, output intent or file identifier."""
    from tilskudd.documents import pdf

    ours = pdf.PDF_VARIANT
    pdf.PDF_VARIANT = None
    try:
        yield
    finally:
        pdf.PDF_VARIANT = ours


def _pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def _documents():
    """(name, render) of each document measured."""
    from applications.documents import render_receipt
    from applications.models import ReceiptDocument
    from assessment import services as assessment_services
    from assessment.documents import render_letter
    from tests.applications.conftest import bpa_line, competence_line, project
    from tests.assessment.helpers import decide, header, submit
    from tests.tilskudd.factories import (
        OfficeBudgetFactory,
        OrganisationFactory,
        RoundFactory,
        member,
        office_staff,
    )
    from tilskudd.models import MembershipRole, OfficeRole

    rnd = RoundFactory()
    org = OrganisationFactory()
    OfficeBudgetFactory(round=rnd, office=org.office)
    signatory = member(org, MembershipRole.SIGNATORY, email="s@bench.example.no")
    caseworker = office_staff(org.office, OfficeRole.CASEWORKER, email="c@bench.example.no")
    approver = office_staff(org.office, OfficeRole.APPROVER, email="a@bench.example.no")
    long = "Et utfyllende svar på kriteriet, med begrunnelse og plan for gjennomføring. " * 12

    typical = submit(
        org,
        rnd,
        signatory,
        competence_lines=[competence_line() for _ in range(10)],
        bpa_lines=[bpa_line()],
        projects=[project(title=f"P{i}") for i in range(3)],
    )
    large_org = OrganisationFactory(
        name="Bergen kommune", municipality_number="4601", org_number="964338531"
    )
    large_signatory = member(large_org, MembershipRole.SIGNATORY, email="l@bench.example.no")
    large = submit(
        large_org,
        rnd,
        large_signatory,
        competence_lines=[
            competence_line(description=f"Videreutdanning, kull {i}") for i in range(50)
        ],
        bpa_lines=[bpa_line(), bpa_line(role="assistant")],
        projects=[
            project(title=f"Prosjekt {i}", **{k: long for k in _criteria()}) for i in range(5)
        ],
        **{"purpose": long},
    )
    assessment = decide(typical, caseworker, approver)
    letter = assessment_services.letter_generate(assessment=assessment, user=caseworker)

    def receipt(application):
        job = ReceiptDocument.objects.get(submission=application.submissions.get())
        return lambda: render_receipt(job)[0]

    _ = header  # the helpers' header is what submit() fills
    return [
        ("receipt, typical (10 lines, 3 projects)", receipt(typical)),
        ("receipt, large (50 lines, 5 long projects)", receipt(large)),
        ("allocation letter", lambda: render_letter(letter)[0]),
        *_reporting_documents(rnd),
    ]


def _reporting_documents(rnd):
    """A report receipt and a repayment letter on one granted application (10 lines, 3
    projects), and the letter answering a change request on another (the report not sent)."""
    from decimal import Decimal

    from reporting import repayments
    from reporting import services as report_services
    from reporting.changes import services as change_services
    from reporting.changes.letters import render_change_letter
    from reporting.changes.models import ChangeLetter
    from reporting.documents import render_receipt as render_report_receipt
    from reporting.models import ReportReceipt, UnusedChoice
    from tests.reporting.change_helpers import accept, ask, recommended
    from tests.reporting.helpers import bpa_line, competence_line, granted, project, ready_report
    from tests.tilskudd.factories import OrganisationFactory, member, office_staff
    from tilskudd.models import MembershipRole, OfficeRole

    def world(name, number, org_number):
        org = OrganisationFactory(name=name, municipality_number=number, org_number=org_number)
        people = [
            member(org, MembershipRole.SIGNATORY, email=f"s{number}@bench.example.no"),
            office_staff(org.office, OfficeRole.CASEWORKER, email=f"c{number}@bench.no"),
            office_staff(org.office, OfficeRole.APPROVER, email=f"a{number}@bench.no"),
        ]
        application = granted(
            org,
            rnd,
            *people,
            competence=[competence_line() for _ in range(10)],
            bpa=[bpa_line()],
            projects=[project(title=f"P{i}") for i in range(3)],
        )
        return application, *people

    application, signatory, caseworker, _approver = world("Oslo kommune", "0301", "972418013")
    report = report_services.report_open(application=application, user=signatory)
    ready_report(
        report,
        signatory,
        used=lambda line: line.granted - 1000,
        unused_choice=UnusedChoice.TRANSFER,
        transfer_reason="Kullet startet i januar.",
    )
    submission = report_services.report_submit(report=report, user=signatory)
    receipt = ReportReceipt.objects.get(submission=submission)
    claim = repayments.repayment_claim_create(
        report=report,
        user=caseworker,
        amount=Decimal(20000),
        reason="Kr 20 000 er brukt til kontorrekvisita, som ikke er et kompetansetiltak.",
    )

    application, signatory, caseworker, approver = world("Bodø kommune", "1804", "972417843")
    # No test transaction here: on_commit callbacks run at once, so capture does nothing.
    accept(application, caseworker, signatory, lambda execute: contextlib.nullcontext())
    change = ask(application, signatory, amounts={("competence", 0): "40000", ("bpa", 0): "80000"})
    change = recommended(change, caseworker)
    change = change_services.change_request_decide(change_request=change, user=approver)
    change_letter = ChangeLetter.objects.get(change_request=change)

    return [
        ("report receipt (10 lines, 3 projects)", lambda: render_report_receipt(receipt)[0]),
        ("change-request letter", lambda: render_change_letter(change_letter)[0]),
        ("repayment letter", lambda: repayments.render_letter(claim.letter)[0]),
    ]


#: What each option compares the worker's way with, interleaved: the option, the other
#: way (its help), the line's label (the other way → the worker's), and the context
#: manager that puts the other way in force.
COMPARISONS = (
    ("stock-sheet", "WeasyPrint's own user-agent sheet", "stock sheet → ours", _stock_sheet),
    ("worker-gc", "the garbage collector as the web has it", "web collector → worker",
     _web_collector),
    ("pdf-a", "plain tagged PDFs (no PDF/A)", "tagged → PDF/A-2a", _no_pdf_variant),
)


def _criteria() -> list[str]:
    from applications.models import PROJECT_CRITERIA

    return [field for field, _label in PROJECT_CRITERIA]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    for option, other, _label, _variant in COMPARISONS:
        parser.add_argument(f"--{option}", action="store_true",
                            help=f"also {other}, interleaved: CPU ms a page of both")
    args = parser.parse_args()
    setup_django()

    from tilskudd.documents.pdf import html_to_pdf, pause_collector_while_rendering

    # As a worker's pool process makes them (tilskudd.celery: worker_process_init).
    pause_collector_while_rendering()

    html_to_pdf(BARE)  # load Pango and the fonts once, as a worker has
    bare, bare_cpu = _median_ms(lambda: html_to_pdf(BARE), args.repeat)
    print(
        f"{'document':46} {'pages':>6} {'ms':>8} {'ms/page':>8} {'× bare/page':>12}"
        f" {'cpu ms/page':>12} {'cpu × bare':>11}"
    )
    print(
        f"{'bare one-page WeasyPrint document':46} {1:>6} {bare:>8.1f} {bare:>8.1f}"
        f" {1:>12.1f} {bare_cpu:>12.1f} {1:>11.1f}"
    )
    for name, render in _documents():
        pages = _pages(render())
        ms, cpu = _median_ms(render, args.repeat)
        print(
            f"{name:46} {pages:>6} {ms:>8.1f} {ms / pages:>8.1f} {ms / pages / bare:>12.1f}"
            f" {cpu / pages:>12.1f} {cpu / pages / bare_cpu:>11.1f}"
        )
        for option, _other, label, variant in COMPARISONS:
            if getattr(args, option.replace("-", "_")):
                ours, other = _interleaved_cpu_ms(render, args.repeat, variant)
                print(
                    f"{'  cpu ms/page, ' + label:46} {'':>6} {other / pages:>8.1f}"
                    f" {ours / pages:>8.1f} {ours / other:>11.0%}"
                )


if __name__ == "__main__":
    main()
