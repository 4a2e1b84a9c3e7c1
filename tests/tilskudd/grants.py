"""A grant's whole year built through the services, for the status line and the inbox:
Trondheim with an editor and a signatory, the Trøndelag office's caseworker and approver,
an open round whose reports are due 1 March next year, and Stavanger (Rogaland) with its
own signatory, for scoping. The fixtures are in conftest.py."""

from __future__ import annotations

from applications import services as application_services
from applications.models import Application
from assessment import services as assessment_services
from assessment.models import Assessment
from reporting import services as report_services
from reporting.models import Report
from tests.reporting.helpers import decide, ready_report, submitted_application
from tilskudd.models import Organisation, Round, User


def draft(organisation: Organisation, rnd: Round, user: User) -> Application:
    return application_services.application_start(organisation=organisation, round=rnd,
                                                  user=user)


def submitted(organisation: Organisation, rnd: Round, signatory: User) -> Application:
    """An application with one competence line of kr 60 000, sent in."""
    return submitted_application(organisation, rnd, signatory)


def decided(application: Application, caseworker: User, approver: User,
            amount=lambda line: line.applied) -> Assessment:
    return decide(application, caseworker, approver, amount)


def with_letter(assessment: Assessment, caseworker: User, capture) -> Assessment:
    """The decision's letter made (its job run): `capture` is
    django_capture_on_commit_callbacks."""
    with capture(execute=True):
        assessment_services.letter_generate(assessment=assessment, user=caseworker)
    return assessment


def accepted(assessment: Assessment, caseworker: User, signatory: User, capture) -> Assessment:
    with_letter(assessment, caseworker, capture)
    assessment_services.grant_accept(assessment=assessment, user=signatory,
                                     letter=assessment.letters.get())
    return assessment


def report_sent(application: Application, signatory: User) -> Report:
    report = report_services.report_open(application=application, user=signatory)
    ready_report(report, signatory)
    report_services.report_submit(report=report, user=signatory)
    report.refresh_from_db()
    return report
