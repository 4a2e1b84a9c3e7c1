"""Submitting at the deadline: the application is read once with its lines (under the
service's lock, not first by the view as well), the overdue-report gate asks one question
of an organisation never granted anything, the e-mail goes to the outbox, and the submit
costs the same number of queries however many lines it has."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import (
    Application,
    ApplicationStatus,
    Attachment,
    BpaLine,
    CompetenceLine,
    Project,
    Submission,
)
from tests.applications.factories import complete_application
from tests.applications.test_queries import with_lines
from tests.tilskudd.compiles import counted_compiles
from tests.tilskudd.factories import OrganisationFactory, member
from tilskudd.models import MembershipRole
from tilskudd.outbox import OutboundEmail

#: session, the user with their memberships (one query, tilskudd.auth_backends, which the
#: signatory check reads); the application with its organisation (membership-scoped), the
#: application again under the lock with its round, scheme, organisation, county
#: and office and its four parts (lines in three parts, attachments; each of these reads
#: compiled once: applications.content); the gates (reporting: one question when nothing
#: was granted before); the carried-over transfers; the submission (reference, insert), the
#: status change (its check constraint; the organisation and round, read under the lock,
#: are not asked again) with history and audit rows, the receipt job, the receipt e-mail's
#: outbox row (pending: its sent-at constraint is not asked); and the savepoints between.
SUBMIT_QUERIES = 27


def read_with_lines(queries: list[dict]) -> int:
    return sum('FROM "applications_competenceline"' in q["sql"] for q in queries)


@pytest.mark.parametrize("lines", [1, 30])
def test_submit_reads_the_application_once_in_a_fixed_number_of_queries(
    client, signatory, trondheim, open_round, lines
):
    application = with_lines(complete_application(organisation=trondheim, round=open_round),
                             lines, projects=3)
    client.force_login(signatory)
    ContentType.objects.clear_cache()  # as in a fresh worker process

    with CaptureQueriesContext(connection) as ctx:
        response = client.post(reverse("applications:submit", args=[application.pk]))

    submission = Submission.objects.get(application=application)
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:receipt", args=[submission.reference])
    assert Application.objects.get().status == ApplicationStatus.SUBMITTED
    assert read_with_lines(ctx.captured_queries) == 1
    assert len(ctx.captured_queries) == SUBMIT_QUERIES, "\n".join(
        q["sql"][:160] for q in ctx.captured_queries)
    assert OutboundEmail.objects.filter(reference=submission.reference).count() == 1


def test_a_second_submit_compiles_no_read_of_the_application_or_its_content(
    client, signatory, trondheim, open_round
):
    first = with_lines(complete_application(organisation=trondheim, round=open_round), 3)
    other = OrganisationFactory(name="Åfjord kommune", org_number="964982953",
                                municipality_number="5058")
    second = with_lines(complete_application(organisation=other, round=open_round), 3)
    afjord = member(other, MembershipRole.SIGNATORY, email="signatur@afjord.example.no")
    client.force_login(signatory)
    client.post(reverse("applications:submit", args=[first.pk]))
    client.force_login(afjord)

    with counted_compiles() as (compiles, _queries):
        response = client.post(reverse("applications:submit", args=[second.pk]))

    assert response.status_code == 302
    assert Submission.objects.filter(application=second).count() == 1
    content_models = {Application, CompetenceLine, BpaLine, Project, Attachment}
    assert [model for model in compiles if model in content_models] == []


def test_a_refused_submit_shows_the_preview_with_the_lines_and_changes_nothing(
    client, signatory, trondheim, open_round
):
    application = complete_application(organisation=trondheim, round=open_round)
    application.competence_lines.all().delete()
    application.bpa_lines.all().delete()
    application.projects.all().delete()
    client.force_login(signatory)

    response = client.post(reverse("applications:submit", args=[application.pk]))

    assert response.status_code == 200
    assert "Søknaden kan ikke sendes før feilene er rettet." in response.content.decode()
    assert Application.objects.get().status == application.status
    assert Submission.objects.count() == 0
    assert OutboundEmail.objects.count() == 0
