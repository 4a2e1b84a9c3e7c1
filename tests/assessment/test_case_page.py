"""The office's case page: reading it writes nothing (the case is opened by a POST), it
shows the history (who, when, what changed), and a letter downloaded from it is audited."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application
from assessment import services
from assessment.models import Assessment, AssessmentEvent, LineAssessment
from tilskudd.audit import AuditAction
from tilskudd.models import AuditEvent

from .helpers import decide, recommend

pytestmark = pytest.mark.django_db


def change_url(application) -> str:
    return reverse("admin:assessment_submittedapplication_change", args=[application.pk])


def row_counts() -> tuple[int, int, int, int]:
    return (Assessment.objects.count(), LineAssessment.objects.count(),
            AssessmentEvent.objects.count(), AuditEvent.objects.count())


def test_reading_a_new_case_writes_nothing_and_offers_to_start_it(
    client, application, caseworker
):
    client.force_login(caseworker)
    before = row_counts()

    response = client.get(change_url(application))

    assert response.status_code == 200
    assert row_counts() == before == (0, 0, 0, before[3])
    text = response.content.decode()
    assert "Saken er ikke påbegynt ved embetet." in text
    assert 'name="_open"' in text
    assert 'name="_recommend"' not in text
    changelist = reverse("admin:assessment_submittedapplication_changelist")
    assert f'<a href="{changelist}">Søknader til behandling</a>' in text


def test_reading_an_existing_case_writes_nothing_even_when_the_lines_are_behind(
    client, application, caseworker
):
    services.assessment_open(application=application, user=caseworker)
    LineAssessment.objects.all().delete()  # as if the application gained lines since
    client.force_login(caseworker)
    before = row_counts()

    response = client.get(change_url(application))

    assert response.status_code == 200
    assert row_counts() == before
    assert before[:2] == (1, 0)
    assert "Søknaden er endret etter at saken ble åpnet." in response.content.decode()


def test_a_post_that_changes_the_case_brings_its_lines_up_to_date(
    client, application, caseworker
):
    services.assessment_open(application=application, user=caseworker)
    LineAssessment.objects.all().delete()
    client.force_login(caseworker)

    response = client.post(change_url(application), {
        "assigned_to": "", "internal_notes": "", "_save": "1",
    })

    assert response.status_code == 302
    assert LineAssessment.objects.count() == 1
    page = client.get(change_url(application)).content.decode()
    assert "Søknaden er endret etter at saken ble åpnet." not in page


def test_an_action_before_the_case_is_open_is_refused_and_writes_nothing(
    client, application, caseworker
):
    client.force_login(caseworker)
    before = row_counts()

    response = client.post(change_url(application), {"_approve": "1"}, follow=True)

    assert response.redirect_chain == [(change_url(application), 302)]
    assert "Saken er ikke åpnet ennå. Trykk «Start vurdering» først." in (
        response.content.decode()
    )
    assert row_counts() == before


def test_the_directorate_cannot_start_a_case(client, application):
    from tests.tilskudd.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_directorate=True))

    page = client.get(change_url(application))
    posted = client.post(change_url(application), {"_open": "1"})

    assert 'name="_open"' not in page.content.decode()
    assert posted.status_code == 403
    assert Assessment.objects.count() == 0


def test_the_case_page_shows_who_did_what_when_and_the_status_from_and_to(
    client, application, caseworker, approver
):
    recommend(application, caseworker)
    client.force_login(approver)

    text = client.get(change_url(application)).content.decode()

    log = text[text.index('id="audit-log"'):text.index('id="status-changes"')]
    assert "Sak opprettet" in log
    assert "Sakens status endret" in log
    assert "status: Under behandling → Innstilt, venter på godkjenning" in log
    assert "Søknad påbegynt" in log
    assert "status: Under arbeid → Sendt inn" in log
    assert "Sara Saksbehandler" in log and "Sigurd Signatur" in log
    statuses = text[text.index('id="status-changes"'):]
    assert "Under arbeid → Sendt inn" in statuses


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_history_reads_in_a_fixed_number_of_queries(
    client, application, caseworker, approver
):
    assessment = decide(application, caseworker, approver)
    client.force_login(approver)
    client.get(change_url(application))  # warm the content-type cache
    short = queries_for(client, change_url(application))

    for _i in range(3):
        services.assessment_assign(assessment=assessment, user=caseworker, assignee=approver)
        services.assessment_assign(assessment=assessment, user=caseworker, assignee=None)
    longer = queries_for(client, change_url(application))

    assert AuditEvent.objects.filter(action=AuditAction.ASSESSMENT_ASSIGN).count() == 6
    assert longer == short


def test_downloading_a_letter_from_the_case_page_is_audited(
    client, application, caseworker, approver, django_capture_on_commit_callbacks
):
    assessment = decide(application, caseworker, approver)
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.letter_generate(assessment=assessment, user=caseworker)
    client.force_login(approver)

    response = client.get(reverse("admin:assessment_submittedapplication_letter",
                                  args=[application.pk, letter.pk]))

    assert response.status_code == 200
    row = AuditEvent.objects.get(action=AuditAction.DOCUMENT_DOWNLOAD)
    assert (row.actor, row.target_id) == (approver, letter.pk)


def test_downloading_a_letter_as_the_applicant_is_audited(
    client, application, caseworker, approver, signatory, django_capture_on_commit_callbacks
):
    assessment = decide(application, caseworker, approver)
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.letter_generate(assessment=assessment, user=caseworker)
    client.force_login(signatory)

    response = client.get(reverse("assessment:letter", args=[letter.pk]))

    assert response.status_code == 200
    row = AuditEvent.objects.get(action=AuditAction.DOCUMENT_DOWNLOAD)
    assert (row.actor, row.target_id) == (signatory, letter.pk)
    assert Application.objects.get().pk == application.pk
