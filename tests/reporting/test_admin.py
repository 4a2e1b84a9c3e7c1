"""The caseworker's review in the admin: scoped to the office (a Trøndelag caseworker
cannot see or act on a Rogaland report by URL, search or action), filters, return for
correction, approval, extension, the Excel export, and the list's queries."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reporting import services
from reporting.models import ReportStatus, UnusedChoice
from tests.tilskudd.factories import OrganisationFactory, UserFactory, member

from .helpers import granted, ready_report

CHANGELIST = "admin:reporting_report_changelist"


def _listed(response) -> list[int]:
    return [obj.pk for obj in response.context["cl"].result_list]


@pytest.fixture
def submitted(report, signatory):
    ready_report(report, signatory, used=lambda line: line.granted - 10000,
                 unused_choice=UnusedChoice.REPAY)
    services.report_submit(report=report, user=signatory)
    report.refresh_from_db()
    return report


@pytest.fixture
def directorate(db):
    return UserFactory(email="les@helsedir.example.no", is_staff=True, is_directorate=True)


def test_a_caseworker_lists_only_the_offices_reports(
    client, report, rogaland_report, caseworker, rogaland_caseworker
):
    client.force_login(caseworker)
    assert _listed(client.get(reverse(CHANGELIST))) == [report.pk]

    client.force_login(rogaland_caseworker)
    assert _listed(client.get(reverse(CHANGELIST))) == [rogaland_report.pk]


def test_another_offices_report_cannot_be_reached_by_url(
    client, submitted, rogaland_caseworker
):
    client.force_login(rogaland_caseworker)
    attachment = submitted.attachments.get()

    change = client.get(reverse("admin:reporting_report_change", args=[submitted.pk]))
    assert change.status_code == 302  # the admin's "does not exist" redirect
    for name, args in [
        ("admin:reporting_report_return", [submitted.pk]),
        ("admin:reporting_report_extend", [submitted.pk]),
        ("admin:reporting_report_attachment", [submitted.pk, attachment.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404
    assert client.post(reverse("admin:reporting_report_approve", args=[submitted.pk])
                       ).status_code == 404
    assert client.post(reverse("admin:reporting_report_return", args=[submitted.pk]),
                       {"message": "Feil."}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED


def test_another_offices_report_cannot_be_found_by_search_or_acted_on(
    client, submitted, rogaland_caseworker
):
    client.force_login(rogaland_caseworker)
    reference = submitted.submissions.get().reference

    found = client.get(reverse(CHANGELIST), {"q": reference})
    acted = client.post(reverse(CHANGELIST), {
        "action": "approve_reports", ACTION_CHECKBOX_NAME: [submitted.pk]})

    assert _listed(found) == []
    assert acted.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED


def test_search_by_reference_and_organisation(client, submitted, caseworker):
    client.force_login(caseworker)
    reference = submitted.submissions.get().reference

    assert _listed(client.get(reverse(CHANGELIST), {"q": reference})) == [submitted.pk]
    assert _listed(client.get(reverse(CHANGELIST), {"q": "Trondheim"})) == [submitted.pk]
    assert _listed(client.get(reverse(CHANGELIST), {"q": "Stavanger"})) == []


def test_the_directorate_reads_every_office_but_acts_on_none(
    client, submitted, rogaland_report, directorate
):
    client.force_login(directorate)

    listed = _listed(client.get(reverse(CHANGELIST)))
    approve = client.post(reverse(CHANGELIST), {
        "action": "approve_reports", ACTION_CHECKBOX_NAME: [submitted.pk]})
    ret = client.post(reverse("admin:reporting_report_return", args=[submitted.pk]),
                      {"message": "Feil."})

    assert sorted(listed) == sorted([submitted.pk, rogaland_report.pk])
    assert approve.status_code in (200, 302)
    assert ret.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED


def test_filters(client, submitted, caseworker, trondheim, grant_round, budget, approver):
    # given: a second Trøndelag report, below the threshold, never sent
    malvik = OrganisationFactory(name="Malvik kommune", municipality_number="5031",
                                 org_number="")
    from tilskudd.models import MembershipRole

    malvik_signatory = member(malvik, MembershipRole.SIGNATORY, email="s@malvik.example.no")
    from .helpers import competence_line

    small = services.report_open(
        application=granted(malvik, grant_round, malvik_signatory, caseworker, approver,
                            competence=[competence_line(amount=Decimal("50000"))]),
        user=malvik_signatory)
    client.force_login(caseworker)
    url = reverse(CHANGELIST)

    assert _listed(client.get(url, {"status__exact": "submitted"})) == [submitted.pk]
    assert _listed(client.get(url, {"revisor": "kreves"})) == [submitted.pk]
    assert _listed(client.get(url, {"revisor": "kreves-ikke"})) == [small.pk]
    assert _listed(client.get(url, {"revisor": "mangler"})) == []
    assert _listed(client.get(url, {"ubrukt": "repay"})) == [submitted.pk]
    assert _listed(client.get(url, {"ubrukt": "transfer"})) == []
    assert _listed(client.get(url, {"forsinket": "ja"})) == []
    assert sorted(_listed(client.get(url, {"runde": grant_round.pk}))) == sorted(
        [submitted.pk, small.pk])
    # once the deadline has passed, the unsent one is overdue
    grant_round.reporting_deadline = timezone.now() - timedelta(minutes=1)
    grant_round.application_deadline = timezone.now() - timedelta(minutes=2)
    grant_round.opens_at = timezone.now() - timedelta(days=60)
    grant_round.save()
    assert _listed(client.get(url, {"forsinket": "ja"})) == [small.pk]
    assert _listed(client.get(url, {"forsinket": "nei"})) == [submitted.pk]


def test_the_list_makes_a_fixed_number_of_queries(
    client, submitted, rogaland_report, caseworker, approver, grant_round,
    django_assert_num_queries,
):
    # given: two reports of the office (and one of another)
    malvik = OrganisationFactory(name="Malvik kommune", municipality_number="5031",
                                 org_number="")
    from tilskudd.models import MembershipRole

    malvik_signatory = member(malvik, MembershipRole.SIGNATORY, email="s@malvik.example.no")
    services.report_open(application=granted(malvik, grant_round, malvik_signatory, caseworker,
                                             approver), user=malvik_signatory)
    client.force_login(caseworker)
    client.get(reverse(CHANGELIST))

    # session, user, office membership with its office (scoping), the rounds of the
    # filter, the count, the sidebar's permissions (2), the page of reports with every
    # column annotated (the portal's header is not read in the admin): the same for any
    # number of reports
    with django_assert_num_queries(8):
        response = client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 2


def test_the_caseworker_returns_a_report_with_a_message(client, submitted, caseworker, signatory):
    client.force_login(caseworker)
    page = client.get(reverse("admin:reporting_report_change", args=[submitted.pk]))
    assert "Send tilbake for retting" in page.content.decode()
    assert "Betale tilbake ubrukte midler" in page.content.decode()

    response = client.post(reverse("admin:reporting_report_return", args=[submitted.pk]),
                           {"message": "Revisorattestasjonen er ikke signert."})

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.RETURNED
    assert submitted.correction_message == "Revisorattestasjonen er ikke signert."


def test_an_empty_message_is_refused_on_the_page(client, submitted, caseworker):
    client.force_login(caseworker)

    response = client.post(reverse("admin:reporting_report_return", args=[submitted.pk]),
                           {"message": ""})

    assert response.status_code == 200
    assert "Feltet er påkrevet." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED


def test_the_caseworker_approves(client, submitted, caseworker):
    client.force_login(caseworker)

    response = client.post(reverse("admin:reporting_report_approve", args=[submitted.pk]))

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.APPROVED


def test_the_caseworker_extends_the_deadline(client, report, caseworker, deadline):
    client.force_login(caseworker)
    new_day = (deadline + timedelta(days=14)).date()
    page = client.get(reverse("admin:reporting_report_change", args=[report.pk])).content.decode()
    assert "Utsett fristen" in page
    assert "Send tilbake for retting" not in page  # a draft is not sent yet

    response = client.post(reverse("admin:reporting_report_extend", args=[report.pk]), {
        "new_date": new_day.isoformat(), "reason": "Sykdom i staben."})

    assert response.status_code == 302
    report.refresh_from_db()
    local = timezone.localtime(report.deadline)
    assert (local.date(), local.hour, local.minute) == (new_day, 23, 59)
    extension = report.extensions.get()
    assert (extension.granted_by, extension.reason) == (caseworker, "Sykdom i staben.")


def test_the_export_sums_education_by_type_and_bpa_by_role(
    client, submitted, rogaland_report, directorate
):
    client.force_login(directorate)

    response = client.post(reverse(CHANGELIST), {
        "action": "export_excel",
        ACTION_CHECKBOX_NAME: [submitted.pk, rogaland_report.pk]})

    wb = load_workbook(io.BytesIO(response.content))
    education = {row[0]: row[1:] for row in wb["Utdanning"].iter_rows(min_row=4, values_only=True)}
    # fill() reports all but one of the line's persons completed, 1 still studying, 0 stopped
    assert education["Videreutdanning / master"] == (1, 2, 1, 0, 60000, 50000)
    assert education["Videregående opplæring / fagbrev (f.eks. helsefagarbeider)"] == (
        1, 3, 1, 0, 140000, 130000)
    assert education["Fagskole"] == (0, 0, 0, 0, 0, 0)
    bpa = {row[0]: row[1:] for row in wb["BPA"].iter_rows(min_row=4, values_only=True)}
    assert bpa["Arbeidsledere (brukere)"] == (1, 2, 60000, 50000)
    reports = [row[1] for row in wb["Rapporter"].iter_rows(min_row=4, values_only=True)]
    assert reports == ["Stavanger kommune", "Trondheim - Tråante kommune"]


def test_attachments_open_in_the_admin_for_the_office(client, submitted, caseworker):
    client.force_login(caseworker)
    attachment = submitted.attachments.get()

    response = client.get(reverse("admin:reporting_report_attachment",
                                  args=[submitted.pk, attachment.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_recipients_have_no_admin(client, report, signatory):
    client.force_login(signatory)

    assert client.get(reverse(CHANGELIST)).status_code == 302


def test_nobody_adds_or_deletes_reports_in_the_admin(client, report, caseworker):
    from tilskudd.models import User

    admin_user = User.objects.create_superuser(email="admin@example.no", password="x",
                                               full_name="Admin")
    client.force_login(admin_user)

    assert client.get(reverse("admin:reporting_report_add")).status_code == 403
    assert client.get(reverse("admin:reporting_report_delete", args=[report.pk])
                      ).status_code == 403


def test_the_report_page_shows_who_changed_what_and_writes_nothing(
    client, report, editor, caseworker
):
    # given: the recipient wrote the text report
    from tilskudd.models import AuditEvent

    services.report_update(report=report, user=editor,
                           header={"text_report": "Brukt på videreutdanning."})
    client.force_login(caseworker)
    rows_before = AuditEvent.objects.count()

    # when: the caseworker opens the report
    page = client.get(reverse("admin:reporting_report_change", args=[report.pk]))

    # then: the history says who saved what, and reading the page wrote nothing
    html = page.content.decode()
    assert page.status_code == 200
    assert "Rapport lagret Ulrikke Utfyller (tekstrapport: – → Brukt på videreutdanning.)" in html
    assert "Rapport åpnet Sigurd Signatur (status: – → Under arbeid)" in html
    assert AuditEvent.objects.count() == rows_before


def test_the_report_page_lists_the_reminders_sent_about_it(
    client, report, rogaland_report, caseworker, deadline, django_capture_on_commit_callbacks
):
    # given: the 30-day reminder went to the contact person, and one about Rogaland's report
    from reporting import reminders

    with django_capture_on_commit_callbacks(execute=True):
        reminders.send_reminders(now=deadline - timedelta(days=30))
    assert reminders.sent_for(rogaland_report).count() == 1
    client.force_login(caseworker)

    # when: the caseworker opens the report
    html = client.get(reverse("admin:reporting_report_change", args=[report.pk])
                      ).content.decode()

    # then: its history names that reminder and whom it went to, once
    assert html.count("Påminnelse: 30 dager før fristen") == 1
    assert "(kari@trondheim.example.no)" in html
