"""The world the URL probe (test_url_probe.py) asks about: organisation A (Trondheim, office 1,
Trøndelag) with a whole grant year made through the services, and organisation B
(Stavanger, office 2, Rogaland) whose people and staff try A's objects."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.utils import timezone

from applications import services as application_services
from applications.models import ReceiptDocument, Submission
from assessment import selectors as assessment_selectors
from assessment.models import PublishedRecipient
from assessment.opendata.recipients import recipient_ids
from reporting import services as report_services
from reporting import transfers
from reporting.changes.models import ChangeRequest
from reporting.models import ReportAttachment, ReportingSettings, ReportReceipt
from reporting.transfer_models import TransferOutcome
from tests.reporting.change_helpers import accept, ask, recommended
from tests.reporting.helpers import (
    competence_line,
    complete_header,
    decide,
    fill,
    granted,
    pdf_upload,
)
from tests.tilskudd.factories import (
    OfficeBudgetFactory,
    OrganisationFactory,
    RoundFactory,
    UserFactory,
    member,
    office_staff,
    stavanger,
)
from tilskudd import access_services
from tilskudd.models import AuditEvent, MembershipRole, OfficeRole
from tilskudd.outbox import OutboundEmail

OSLO = ZoneInfo("Europe/Oslo")


@dataclass
class World:
    org_a: object
    round: object
    budget_a: object
    signatory_a: object
    caseworker_1: object
    approver_1: object
    application: object
    app_attachment: object
    app_submission: object
    app_receipt_job: object
    case: object
    letter: object
    change: object
    report: object
    report_attachment: object
    report_submission: object
    transfer: object
    claim: object
    invitation: object
    group: object
    audit_event: object
    email: object
    reporting_settings: object
    published_recipient: object
    roles: dict
    drafts: dict

    def with_drafts(self) -> World:
        """The same world with A's draft application and draft report in place of the sent
        ones (what an outsider's POST could still change)."""
        return replace(self, **self.drafts)

    def a_texts(self) -> list[str]:
        """What no one outside A and office 1 may read: A's name and references."""
        return [self.org_a.name, self.app_submission.reference, self.report_submission.reference,
                self.change.reference]


def _round():
    now = timezone.now()
    return RoundFactory(
        year=now.year, opens_at=now - timedelta(days=30),
        application_deadline=now + timedelta(days=10), reporting_opens_at=None,
        reporting_deadline=datetime(now.year + 1, 3, 1, 23, 59, tzinfo=OSLO))


def build_world(capture) -> World:
    """`capture` is django_capture_on_commit_callbacks: every letter and receipt is made."""
    org_a, rnd = OrganisationFactory(), _round()
    budget_a = OfficeBudgetFactory(round=rnd, office=org_a.office, pot=Decimal("30667000"))
    signatory_a = member(org_a, MembershipRole.SIGNATORY, email="signatur@trondheim.example.no")
    member(org_a, MembershipRole.EDITOR, email="utfyller@trondheim.example.no")
    caseworker_1 = office_staff(org_a.office, OfficeRole.CASEWORKER, email="sb@sftl.example.no")
    approver_1 = office_staff(org_a.office, OfficeRole.APPROVER, email="gk@sftl.example.no")

    with capture(execute=True):
        application = application_services.application_start(
            organisation=org_a, round=rnd, user=signatory_a)
        application_services.application_update(
            application=application, user=signatory_a, header=complete_header(),
            competence=[competence_line(),
                        competence_line(education_type="upper_secondary", description="Fagbrev",
                                        employees=4, amount=Decimal("140000"),
                                        is_mental_health=False)],
            bpa=[], projects=[])
        app_attachment = application_services.attachment_add(
            application=application, user=signatory_a, uploaded=pdf_upload("plan.pdf"),
            kind="other", title="Plan")
        application_services.application_submit(application=application, user=signatory_a)
    application.refresh_from_db()
    case = decide(application, caseworker_1, approver_1)
    accept(application, caseworker_1, signatory_a, capture)
    change = ask(application, signatory_a, amounts={("competence", 1): "100000",
                                                     ("competence", 0): "100000"})
    recommended(change, caseworker_1)
    from reporting.changes import services as change_services

    with capture(execute=True):
        change_services.change_request_decide(change_request=change, user=approver_1)
        report = report_services.report_open(application=application, user=signatory_a)
        fill(report, signatory_a, used=lambda line: line.granted - 10_000,
             unused_choice="transfer", transfer_reason="Kullet startet først i januar.")
        report_attachment = report_services.report_attachment_add(
            report=report, user=signatory_a, uploaded=pdf_upload(),
            kind="auditor_statement" if report.auditor_required else "project_accounts",
            title="Regnskap")
        report_services.report_submit(report=report, user=signatory_a)
        report.refresh_from_db()
        transfers.transfer_decide(report=report, user=caseworker_1,
                                  outcome=TransferOutcome.REFUSE,
                                  reason="Midlene var ikke bundet.")
    invitation, _token = access_services.invitation_create(
        email="ny@trondheim.example.no", role=MembershipRole.EDITOR, by=signatory_a,
        organisation=org_a)

    recipient_ids([org_a])  # A published in the open data, as its build records it
    drafts = _drafts(org_a, rnd, signatory_a, caseworker_1, approver_1)
    org_b = stavanger()
    roles = {
        "anonymous": None,
        "editor_b": member(org_b, MembershipRole.EDITOR, email="utfyller@stavanger.example.no"),
        "signatory_b": member(org_b, MembershipRole.SIGNATORY,
                              email="signatur@stavanger.example.no"),
        "caseworker_2": office_staff(org_b.office, OfficeRole.CASEWORKER,
                                     email="sb@sfro.example.no"),
        "approver_2": office_staff(org_b.office, OfficeRole.APPROVER,
                                   email="gk@sfro.example.no"),
        "directorate": UserFactory(email="direktorat@helsedir.example.no", is_directorate=True),
    }
    report.refresh_from_db()
    return World(
        org_a=org_a, round=rnd, budget_a=budget_a, signatory_a=signatory_a,
        caseworker_1=caseworker_1, approver_1=approver_1, application=application,
        app_attachment=app_attachment,
        app_submission=Submission.objects.get(application=application),
        app_receipt_job=ReceiptDocument.objects.order_by("pk").first(),
        case=case, letter=assessment_selectors.case_for(application).letters.get(),
        change=ChangeRequest.objects.get(pk=change.pk), report=report,
        report_attachment=ReportAttachment.objects.get(pk=report_attachment.pk),
        report_submission=report.submissions.get(), transfer=report.transfer,
        claim=report.repayment_claims.get(), invitation=invitation,
        group=Group.objects.create(name="probe"),
        audit_event=AuditEvent.objects.latest("pk"),
        email=OutboundEmail.objects.latest("pk"),
        reporting_settings=ReportingSettings.objects.first(),
        published_recipient=PublishedRecipient.objects.get(organisation=org_a),
        roles=roles, drafts=drafts,
    )


def _drafts(org_a, rnd, signatory_a, caseworker_1, approver_1) -> dict:
    """A's draft report (on next year's grant) and draft application (the year after),
    each with an attachment."""
    later, last = (RoundFactory(year=rnd.year + n, opens_at=rnd.opens_at,
                                application_deadline=rnd.application_deadline,
                                reporting_deadline=rnd.reporting_deadline + timedelta(days=n))
                   for n in (1, 2))
    OfficeBudgetFactory(round=later, office=org_a.office)
    report = report_services.report_open(
        application=granted(org_a, later, signatory_a, caseworker_1, approver_1),
        user=signatory_a)
    fill(report, signatory_a)
    report_attachment = report_services.report_attachment_add(
        report=report, user=signatory_a, uploaded=pdf_upload(), kind="project_accounts",
        title="Utkast")
    application = application_services.application_start(
        organisation=org_a, round=last, user=signatory_a)
    app_attachment = application_services.attachment_add(
        application=application, user=signatory_a, uploaded=pdf_upload("plan.pdf"),
        kind="other", title="Utkast")
    return {"report": report, "report_attachment": report_attachment,
            "application": application, "app_attachment": app_attachment}


__all__ = ["World", "build_world", "ReportReceipt"]
