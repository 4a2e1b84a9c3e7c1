"""Builders for reporting tests: a granted application made through the applications and
assessment services, a report filled in through the reporting services, and PDFs."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from applications import services as application_services
from applications.models import PROJECT_CRITERIA, Application
from assessment import selectors as assessment_selectors
from assessment import services as assessment_services
from reporting import services
from reporting.models import AttachmentKind, Report
from tests.applications.conftest import bpa_line, competence_line, complete_header, project
from tilskudd.models import Organisation, Round, User

__all__ = ["bpa_line", "competence_line", "complete_header", "project"]


def submitted_application(
    organisation: Organisation, rnd: Round, signatory: User, *,
    competence=None, bpa=None, projects=None, transferred_funds: str = "0",
) -> Application:
    """An application sent in through the applications services (the round must be open)."""
    application = application_services.application_start(
        organisation=organisation, round=rnd, user=signatory)
    application_services.application_update(
        application=application, user=signatory,
        header={**complete_header(), "transferred_funds": Decimal(transferred_funds)},
        competence=competence if competence is not None else [competence_line()],
        bpa=bpa if bpa is not None else [],
        projects=projects if projects is not None else [],
    )
    application_services.application_submit(application=application, user=signatory)
    application.refresh_from_db()
    return application


def decide(
    application: Application, caseworker: User, approver: User,
    amount: Callable[[object], Decimal] = lambda line: line.applied,
):
    """Recommend `amount(line)` for every line (project criteria scored) and approve."""
    case = assessment_services.assessment_open(application=application, user=caseworker)
    scores = {key: 4 for key, _label in PROJECT_CRITERIA}
    assessment_services.assessment_save(assessment=case, user=caseworker, lines=[
        assessment_services.LineInput(
            id=line.pk, recommended=Decimal(amount(line)), justification="Kuttet noe.",
            scores=scores if line.part == "projects" else None)
        for line in assessment_selectors.case_lines(case)
    ])
    case = assessment_services.assessment_recommend(assessment=case, user=caseworker)
    return assessment_services.assessment_approve(assessment=case, user=approver)


def granted(
    organisation: Organisation, rnd: Round, signatory: User, caseworker: User, approver: User,
    amount: Callable[[object], Decimal] = lambda line: line.applied, **lines,
) -> Application:
    application = submitted_application(organisation, rnd, signatory, **lines)
    decide(application, caseworker, approver, amount)
    return application


def pdf_bytes(text: str = "Revisors uttalelse") -> bytes:
    """A small, valid one-page PDF."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_upload(name: str = "revisor.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def fill(report: Report, user: User, *, used: Callable[[object], Decimal] | None = None,
         text: str = "Tilskuddet er brukt til utdanning og prosjekt som planlagt.",
         unused_choice: str = "", transfer_reason: str = "") -> Report:
    """Fill in every line (by default using all that was granted) and the text report."""
    used = used or (lambda line: line.granted)
    return services.report_update(
        report=report, user=user,
        header={"text_report": text, "unused_choice": unused_choice,
                "transfer_reason": transfer_reason},
        competence=[{"id": line.pk, "completed": line.source.employees - 1, "still_studying": 1,
                     "stopped": 0, "amount_used": used(line)}
                    for line in report.competence_lines.select_related("source")],
        bpa=[{"id": line.pk, "trained": 2, "amount_used": used(line)}
             for line in report.bpa_lines.all()],
        projects=[{"id": p.pk, "status": "completed", "goal_achievement": "achieved",
                   "results": "Færre innleggelser.", "continues": "yes",
                   "amount_used": used(p)} for p in report.projects.all()],
    )


def attach_required(report: Report, user: User) -> None:
    kind = (AttachmentKind.AUDITOR_STATEMENT if report.auditor_required
            else AttachmentKind.PROJECT_ACCOUNTS)
    services.report_attachment_add(report=report, user=user, uploaded=pdf_upload(), kind=kind,
                                   title="Dokumentasjon")


def ready_report(report: Report, user: User, **fill_kwargs) -> Report:
    fill(report, user, **fill_kwargs)
    attach_required(report, user)
    report.refresh_from_db()
    return report
