"""The applicant's pages (each step of the form, the preview, the receipt page, the
archive) read a fixed number of queries, however many lines and however many
applications the organisation has (issue 15: 10 and 500)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import services, steps
from applications.models import Application, ApplicationStatus, CompetenceLine, Submission
from tests.applications.factories import (
    BpaLineFactory,
    CompetenceLineFactory,
    ProjectFactory,
    complete_application,
)
from tests.tilskudd.factories import RoundFactory
from tilskudd import archive
from tilskudd.models import Round

#: session, one query for the user with the acting-for header (memberships, office:
#: tilskudd.auth_backends), the application and its
#: four prefetched relations (lines of three parts, attachments), its history with who;
#: on the step of the header (om-soknaden) one more: a transfer approved from last year
#: (tilskudd.carryover).
EDIT_PAGE_QUERIES = 8
HEADER_STEP_QUERIES = EDIT_PAGE_QUERIES + 1
#: session, one query for the user with the acting-for header (memberships, office), the
#: application and its four prefetched relations, the live submission, its history with who;
#: may they withdraw it asks the memberships the header read (tilskudd.access, per request);
#: where it stands (archive_views.standing): the status line (assessment; reporting and the
#: document providers only once it has come that far, as in the archive's rows).
SUBMITTED_PAGE_QUERIES = 10
#: session, one query for the user with the acting-for header (memberships, office), the
#: application and its four prefetched relations, the signatory check, the gates (reporting:
#: one question when nothing was granted before), and the office's decision on last year's
#: transfer, which the preview shows as what is sent (reporting.transfers.decided_carryover).
PREVIEW_PAGE_QUERIES = 9
#: session, one query for the user with the acting-for header (memberships, office), the
#: submission with its application (membership-scoped), its receipt job, the signatory check
#: and the gates of «Trekk søknaden», the status line (assessment; reporting is asked
#: only once a grant is decided: tilskudd.status from_stage).
RECEIPT_PAGE_QUERIES = 5
#: session, one query for the user, memberships (for the page and its header) and the office
#: membership, open rounds, how many applications each organisation has with those in the
#: open rounds (one query), the organisation's page of applications with the sums of their
#: lines, their submissions with receipts, the status line (tilskudd.status: one query for
#: assessment; reporting only when a row shown has a grant). The apps that show documents
#: in the archive (tilskudd.archive) are asked, one query each, only when a row shown has
#: come far enough to have their documents (none of these rows has: test_archive_pages.py).
ARCHIVE_PAGE_QUERIES = 7


def with_lines(application, count: int, projects: int | None = None):
    """`count` lines in each part (a complete application has one of each)."""
    for _ in range(count - 1):
        CompetenceLineFactory(application=application)
        BpaLineFactory(application=application)
    for _ in range((count if projects is None else projects) - 1):
        ProjectFactory(application=application)
    return application


def earlier_applications(organisation, round, count: int, by) -> None:
    """`count` applications of the organisation in earlier, closed rounds of the same
    scheme, each with two competence lines and a submission (in bulk: 500 of them)."""
    now = timezone.now()
    rounds = Round.objects.bulk_create([
        Round(scheme=round.scheme, year=round.year - 1 - i, opens_at=now - timedelta(days=400),
              application_deadline=now - timedelta(days=300),
              reporting_deadline=now - timedelta(days=10))
        for i in range(count)
    ])
    applications = Application.objects.bulk_create([
        Application(organisation=organisation, round=rnd, status=ApplicationStatus.SUBMITTED,
                    applied_total=Decimal(120000))
        for rnd in rounds
    ])
    CompetenceLine.objects.bulk_create([
        CompetenceLine(application=application, education_type="further_master",
                       description="Linje", employees=2, amount=Decimal(60000))
        for application in applications for _ in range(2)
    ])
    Submission.objects.bulk_create([
        Submission(application=application, submitted_at=now, submitted_by=by, content={},
                   reference=f"KKT-{application.round.year}-{application.pk:05d}-TEST",
                   total_applied=Decimal(120000))
        for application in applications
    ])


@pytest.mark.parametrize(("lines", "applications"), [(1, 10), (30, 10), (1, 500)])
def test_form_page_queries_do_not_grow_with_lines_or_applications(
    client, editor, signatory, trondheim, open_round, lines, applications,
    django_assert_num_queries,
):
    application = with_lines(complete_application(organisation=trondheim, round=open_round),
                             lines, projects=min(lines, 5))
    earlier_applications(trondheim, open_round, applications - 1, signatory)
    client.force_login(editor)
    found = steps.application_steps(application)

    pages = {}
    for step in found:
        expected = HEADER_STEP_QUERIES if "header" in step.sections else EDIT_PAGE_QUERIES
        with django_assert_num_queries(expected):
            pages[step.key] = client.get(steps.step_url(application, step.key))

    assert Application.objects.filter(organisation=trondheim).count() == applications
    assert [response.status_code for response in pages.values()] == [200] * len(found)
    # every line of a part on its step; one project a page (the others go along hidden)
    assert [len(re.findall(r'id="(competence|bpa|projects)-line-\d+"',
                           pages[step].content.decode()))
            for step in ("kompetansetiltak", "bpa-opplaering", "tjenesteutvikling")] \
        == [lines, lines, 1]


@pytest.mark.parametrize("applications", [10, 500])
def test_preview_queries_do_not_grow_with_applications(
    client, signatory, trondheim, open_round, applications, django_assert_num_queries
):
    application = with_lines(complete_application(organisation=trondheim, round=open_round),
                             10, projects=3)
    earlier_applications(trondheim, open_round, applications - 1, signatory)
    client.force_login(signatory)

    with django_assert_num_queries(PREVIEW_PAGE_QUERIES):
        response = client.get(reverse("applications:preview", args=[application.pk]))

    assert response.status_code == 200
    assert response.content.decode().count("Videreutdanning") >= 10


@pytest.mark.parametrize("applications", [10, 500])
def test_receipt_page_queries_do_not_grow_with_applications(
    client, signatory, trondheim, open_round, applications, django_assert_num_queries
):
    application = with_lines(complete_application(organisation=trondheim, round=open_round),
                             10, projects=3)
    submission = services.application_submit(application=application, user=signatory)
    earlier_applications(trondheim, open_round, applications - 1, signatory)
    client.force_login(signatory)

    with django_assert_num_queries(RECEIPT_PAGE_QUERIES):
        response = client.get(reverse("applications:receipt", args=[submission.reference]))

    assert response.status_code == 200
    assert submission.reference in response.content.decode()


@pytest.mark.parametrize("applications", [10, 500])
def test_archive_queries_do_not_grow_with_the_organisations_applications(
    client, editor, signatory, trondheim, open_round, applications, django_assert_num_queries
):
    complete_application(organisation=trondheim, round=open_round)
    earlier_applications(trondheim, open_round, applications - 1, signatory)
    client.force_login(editor)

    with django_assert_num_queries(ARCHIVE_PAGE_QUERIES):
        response = client.get(reverse("applications:archive"))

    assert response.status_code == 200
    assert response.content.decode().count('<th scope="row">') == min(applications, 25)


#: ARCHIVE_PAGE_QUERIES and, once rows shown have grants that far (grants_at_every_stage):
#: reporting's status line (from a grant), the allocation letters (from assessment), the
#: reports with their submissions and receipts (two: a prefetch), the repayment claims
#: with their letters and the transfer decisions' letters (from a report), the change
#: requests and the change offer (from an acceptance).
ARCHIVE_GRANTS_PAGE_QUERIES = ARCHIVE_PAGE_QUERIES + 8


def grants_at_every_stage(organisation, by) -> list[str]:
    """The organisation's three newest earlier applications (earlier_applications) given
    grants come as far as documents go: a decided grant with its allocation letter not yet
    accepted, an accepted one with its report sent and its receipt, and an accepted one whose
    approved report got a repayment claim with its letter (in bulk, each document made).
    What their rows show of those documents."""
    from assessment.choices import Outcome
    from assessment.models import (
        Acceptance,
        AllocationLetter,
        Assessment,
        AssessmentStatus,
        LetterKind,
    )
    from reporting.choices import ReportStatus
    from reporting.models import Report, ReportReceipt, ReportSubmission
    from reporting.transfer_models import (
        ClaimCause,
        RepaymentClaim,
        RepaymentLetter,
        TransferDecision,
        TransferLetter,
        TransferStatus,
    )
    from tests.tilskudd.factories import UserFactory
    from tilskudd.documents.jobs import DocumentStatus

    now, approver = timezone.now(), UserFactory()
    ready = {"status": DocumentStatus.READY, "sha256": "ab" * 32}
    letter_only, reported, claimed = (
        Application.objects.filter(organisation=organisation, submissions__isnull=False)
        .order_by("-round__year")[:3])
    cases = Assessment.objects.bulk_create([
        Assessment(application=application, status=AssessmentStatus.DECIDED,
                   outcome=Outcome.GRANTED, decided_at=now, decided_by=approver,
                   granted_total=Decimal(100000))
        for application in (letter_only, reported, claimed)])
    letters = AllocationLetter.objects.bulk_create([
        AllocationLetter(assessment=case, version=1, kind=LetterKind.GRANT, created_by=by,
                         **ready) for case in cases])
    Acceptance.objects.bulk_create([
        Acceptance(assessment=case, letter=letter, accepted_by=by, accepted_name="Signe")
        for case, letter in list(zip(cases, letters, strict=True))[1:]])
    reports = Report.objects.bulk_create([
        Report(application=application, status=status, granted_total=Decimal(100000),
               auditor_required=False)
        for application, status in ((reported, ReportStatus.SUBMITTED),
                                    (claimed, ReportStatus.APPROVED))])
    sent = ReportSubmission.objects.bulk_create([
        ReportSubmission(report=report, reference=f"RAP-{report.application.pk:05d}-TEST",
                         submitted_at=now, submitted_by=by, content={},
                         granted_total=Decimal(100000), used_total=Decimal(90000),
                         unused_total=Decimal(10000)) for report in reports])
    ReportReceipt.objects.bulk_create([ReportReceipt(submission=s, **ready) for s in sent])
    claim = RepaymentClaim.objects.create(
        report=reports[1], cause=ClaimCause.REPAY_CHOSEN, amount=Decimal(10000),
        reason="Ubrukte midler.", due_date=now.date(), created_by=by)
    RepaymentLetter.objects.create(claim=claim, **ready)
    transfer = TransferDecision.objects.create(
        report=reports[0], amount=Decimal(10000), status=TransferStatus.APPROVED,
        decided_by=approver, decided_at=now, reason="Bundet i avtale.")
    TransferLetter.objects.create(transfer=transfer, **ready)
    return ["Tilskuddsbrev, versjon 1", "Aksepter tilskuddet",
            f"Rapport {sent[0].reference} (kvittering)",
            f"Rapport {sent[1].reference} (kvittering)", "Krav om tilbakebetaling",
            "Vedtak om overføring OVF-"]


@pytest.mark.parametrize("applications", [10, 500])
def test_archive_queries_with_grants_at_every_stage_do_not_grow_with_the_applications(
    client, editor, signatory, trondheim, open_round, applications, django_assert_num_queries
):
    """The document providers run (letters, reports with receipts, repayment claims with
    their letters, transfer letters, changes), each one query whatever the number of
    applications."""
    complete_application(organisation=trondheim, round=open_round)
    earlier_applications(trondheim, open_round, applications - 1, signatory)
    shown = grants_at_every_stage(trondheim, signatory)
    client.force_login(editor)

    with django_assert_num_queries(ARCHIVE_GRANTS_PAGE_QUERIES):
        response = client.get(reverse("applications:archive"))

    html = response.content.decode()
    assert [words for words in shown if words not in html] == []
    # three allocation letters, two report receipts, one repayment and one transfer letter
    assert html.count('<code class="sha256">' + "ab" * 32) == 7
    assert html.count('<th scope="row">') == min(applications, 25)


@pytest.mark.parametrize("applications", [10, 500])
def test_a_later_page_of_the_archive_reads_as_many_queries_and_asks_providers_for_its_rows(
    client, editor, signatory, trondheim, open_round, applications, django_assert_num_queries,
    monkeypatch,
):
    complete_application(organisation=trondheim, round=open_round)
    earlier_applications(trondheim, open_round, applications - 1, signatory)
    asked = []
    monkeypatch.setattr(archive, "_providers",
                        [*archive._providers, lambda ids: asked.append(list(ids)) or []])
    client.force_login(editor)
    last = -(-applications // 25)

    with django_assert_num_queries(ARCHIVE_PAGE_QUERIES):
        response = client.get(reverse("applications:archive"),
                              {"org": trondheim.pk, "side": last})

    assert response.status_code == 200
    shown = applications - 25 * (last - 1)
    assert response.content.decode().count('<th scope="row">') == shown
    assert [len(ids) for ids in asked] == [shown]


@pytest.mark.parametrize("rounds", [1, 6])
def test_archive_queries_do_not_grow_with_applications_or_lines(
    client, editor, signatory, trondheim, rounds, django_assert_num_queries
):
    for year in range(2040, 2040 + rounds):
        application = with_lines(
            complete_application(organisation=trondheim, round=RoundFactory(year=year)), 20,
            projects=5,
        )
        submission = services.application_submit(application=application, user=signatory)
        if year % 2:
            services.application_withdraw(application=application, user=signatory,
                                          reason="Trekkes for å rette.")
    client.force_login(editor)

    with django_assert_num_queries(ARCHIVE_PAGE_QUERIES):
        response = client.get(reverse("applications:archive"))

    assert response.status_code == 200
    assert submission.reference in response.content.decode()
    assert response.content.decode().count('<th scope="row">KKT') == rounds


@pytest.mark.parametrize("resubmissions", [0, 4])
def test_submitted_page_queries_do_not_grow_with_its_history(
    client, editor, signatory, trondheim, open_round, resubmissions, django_assert_num_queries
):
    application = complete_application(organisation=trondheim, round=open_round)
    services.application_submit(application=application, user=signatory)
    for _ in range(resubmissions):
        services.application_withdraw(application=application, user=signatory,
                                      reason="Trekkes for å rette.")
        services.application_submit(application=application, user=signatory)
    client.force_login(editor)

    with django_assert_num_queries(SUBMITTED_PAGE_QUERIES):
        response = client.get(reverse("applications:edit", args=[application.pk]))

    assert response.status_code == 200
    assert response.content.decode().count("Trekkes for å rette.") == resubmissions


#: SUBMITTED_PAGE_QUERIES and, for a decided grant, reporting's status line and the
#: allocation letters; once its report is sent, the archive's other document providers as
#: well (ARCHIVE_GRANTS_PAGE_QUERIES), one query each.
DECIDED_PAGE_QUERIES = SUBMITTED_PAGE_QUERIES + 2
REPORTED_PAGE_QUERIES = SUBMITTED_PAGE_QUERIES + ARCHIVE_GRANTS_PAGE_QUERIES \
    - ARCHIVE_PAGE_QUERIES


def more_documents(organisation, by, more: int) -> None:
    """Beside grants_at_every_stage's documents: `more` further allocation letters of each
    case, as many refused change requests of each accepted grant, and the approved
    report's repayment claims for the two other causes, each with its letter."""
    from assessment.models import AllocationLetter, Assessment, LetterKind
    from reporting.changes.models import ChangeRequest, ChangeStatus
    from reporting.models import Report
    from reporting.transfer_models import ClaimCause, RepaymentClaim, RepaymentLetter
    from tilskudd.documents.jobs import DocumentStatus

    ready = {"status": DocumentStatus.READY, "sha256": "cd" * 32}
    cases = list(Assessment.objects.filter(application__organisation=organisation)
                 .order_by("-application__round__year"))
    AllocationLetter.objects.bulk_create([
        AllocationLetter(assessment=case, version=version, kind=LetterKind.GRANT,
                         created_by=by, **ready)
        for case in cases for version in range(2, 2 + more)])
    ChangeRequest.objects.bulk_create([
        ChangeRequest(application_id=case.application_id, reference=f"END-{case.pk}-{i}",
                      status=ChangeStatus.REFUSED, granted_total=Decimal(100000),
                      reason="Ikke nå.", requested_by=by, decided_by=by,
                      decided_at=timezone.now())
        for case in cases[1:] for i in range(more)])
    report = Report.objects.get(application_id=cases[2].application_id)
    for cause in (ClaimCause.TRANSFER_REFUSED, ClaimCause.MISUSE):
        claim = RepaymentClaim.objects.create(
            report=report, cause=cause, amount=Decimal(1000), reason="Ubrukte midler.",
            due_date=timezone.now().date(), created_by=by)
        RepaymentLetter.objects.create(claim=claim, **ready)


@pytest.mark.parametrize("more", [0, 3])
@pytest.mark.parametrize(("which", "expected"), [
    (0, DECIDED_PAGE_QUERIES), (1, REPORTED_PAGE_QUERIES), (2, REPORTED_PAGE_QUERIES)])
def test_a_decided_or_reported_applications_page_reads_a_query_per_document_provider(
    client, editor, signatory, trondheim, open_round, which, expected, more,
    django_assert_num_queries,
):
    """Its standing as its row in the archive has it (grants_at_every_stage: a decided
    grant with its letter; a report sent with a transfer letter; an approved report with a
    repayment claim and its letter), whatever documents it has: with `more`, further
    letter versions, change requests and repayment claims (more_documents)."""
    earlier_applications(trondheim, open_round, 3, signatory)
    shown = grants_at_every_stage(trondheim, signatory)
    if more:
        more_documents(trondheim, signatory, more)
    application = (Application.objects.filter(organisation=trondheim)
                   .order_by("-round__year")[which])
    client.force_login(editor)

    with django_assert_num_queries(expected):
        response = client.get(reverse("applications:edit", args=[application.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert (shown[0] in html, "Vedtak om overføring" in html,
            "Krav om tilbakebetaling" in html) == (True, which == 1, which == 2)
    assert (html.count("Tilskuddsbrev, versjon"), html.count("Endringssøknad END-"),
            html.count("Krav om tilbakebetaling")) == (
        1 + more, more if which else 0, (1 + (2 if more else 0)) if which == 2 else 0)


@pytest.mark.parametrize("rounds", [10, 50])
def test_archive_asks_the_withdrawal_gate_once_for_a_signatorys_open_rounds(
    client, signatory, trondheim, rounds, django_assert_num_queries
):
    """«Trekk søknaden» is asked of the withdrawal gates in bulk: one more query for a
    signatory's submitted applications in open rounds, however many there are."""
    for year in range(2040, 2040 + rounds):
        application = complete_application(organisation=trondheim, round=RoundFactory(year=year))
        services.application_submit(application=application, user=signatory)
    client.force_login(signatory)

    with django_assert_num_queries(ARCHIVE_PAGE_QUERIES + 1):
        response = client.get(reverse("applications:archive"))

    assert response.content.decode().count("/trekk/") == min(rounds, 25)
    if rounds > 25:  # the older ones are on the next page, still offered
        later = client.get(reverse("applications:archive"), {"org": trondheim.pk, "side": 2})
        assert later.content.decode().count("/trekk/") == rounds - 25
