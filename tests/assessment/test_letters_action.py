"""The message of the list's action «Lag tilskuddsbrev for valgte vedtak» says what the
letters are once the action has committed them, read in one query however many: made
(eager Celery, `make run`), still queued for the worker (production), or given up (the
storage refused the file; tests/assessment/test_letters_storage_down.py).

These tests commit (transaction=True), so each letter's job is sent when its decision's
letter is committed, as in a request, and not after the answer."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import AllocationLetter
from tests.tilskudd.factories import member
from tilskudd.celery import app as celery_app
from tilskudd.documents.jobs import DocumentStatus
from tilskudd.models import MembershipRole, Organisation, OrganisationKind

from .helpers import competence, decide, submit

CHANGELIST = "admin:assessment_submittedapplication_changelist"
MADE = "Laget 1 tilskuddsbrev. Søkerne får e-post."
QUEUED = "1 tilskuddsbrev lages nå og ligger i saken om litt. Søkerne får e-post."
#: The action's own queries (the session, the user and their offices, the selected rows,
#: the letters' statuses) and each letter's (its lock, check, row, history, audit, e-mail
#: and job), on SQLite and PostgreSQL alike.
PER_ACTION = 10
PER_LETTER = 25


def _reset_broker_connections() -> None:
    # The app keeps its connection pools; drop them so no later test reuses this broker.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def queued_only():
    """A real (not eager) Celery app on an in-memory broker no worker reads: a job sent is
    only queued, as in production before the worker has taken it."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    conf.task_always_eager = False
    conf.broker_url = "memory://"
    _reset_broker_connections()
    yield
    conf.task_always_eager, conf.broker_url = saved
    _reset_broker_connections()


def make_letters(client, applications):
    return client.post(reverse(CHANGELIST), {
        "action": "generate_letters", "_selected_action": [a.pk for a in applications]},
        follow=True)


def decided(count, *, trondheim, open_round, caseworker, approver, start=0):
    """`count` decided applications of Trondheim's office, each of its own organisation."""
    applications = []
    for i in range(start, start + count):
        organisation = Organisation.objects.create(
            kind=OrganisationKind.INTER_MUNICIPAL_COMPANY, name=f"Selskap {i:02d}",
            county=trondheim.county)
        signatory = member(organisation, MembershipRole.SIGNATORY,
                           email=f"signatur{i:02d}@selskap.example.no")
        application = submit(organisation, open_round, signatory,
                             competence_lines=[competence("60000")])
        decide(application, caseworker, approver, amount=lambda la: Decimal("50000"))
        applications.append(application)
    return applications


@pytest.mark.django_db(transaction=True)
def test_letters_only_queued_for_the_worker_are_said_to_be_on_their_way(
    client, application, caseworker, approver, queued_only
):
    # Given a decision, and a worker that has not yet taken the jobs sent to it
    decide(application, caseworker, approver)
    client.force_login(caseworker)

    # When the caseworker makes the letters with the list's action
    response = make_letters(client, [application])

    # Then the letter was sent to the worker and is still to be made, and the message says
    # it is on its way, not that it is made
    letter = AllocationLetter.objects.get()
    assert (letter.status, letter.enqueued_at is not None, letter.file.name) == (
        DocumentStatus.PENDING, True, "")
    page = response.content.decode()
    assert QUEUED in page
    assert "Laget 1 tilskuddsbrev" not in page
    assert "kunne ikke lages" not in page


@pytest.mark.django_db(transaction=True)
def test_letters_made_at_once_by_eager_celery_are_said_to_be_made(
    client, application, caseworker, approver
):
    # Given a decision, and eager Celery (make run): the job runs when it is sent
    decide(application, caseworker, approver)
    client.force_login(caseworker)

    # When the caseworker makes the letters with the list's action
    response = make_letters(client, [application])

    # Then the letter is made, and the message says so, and only that
    letter = AllocationLetter.objects.get()
    assert letter.status == DocumentStatus.READY and letter.file.name
    page = response.content.decode()
    assert MADE in page
    assert "lages nå" not in page
    assert "kunne ikke lages" not in page


def _action_queries(client, applications) -> tuple[int, int]:
    """The action's queries in all, and those that read the new letters' statuses."""
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse(CHANGELIST), {
            "action": "generate_letters", "_selected_action": [a.pk for a in applications]})
    assert response.status_code == 302
    statuses = [q["sql"] for q in queries.captured_queries
                if q["sql"].startswith(
                    'SELECT "assessment_allocationletter"."status" AS "status", COUNT(')]
    return len(queries), len(statuses)


@pytest.mark.django_db(transaction=True)
def test_the_message_reads_the_letters_in_one_query_for_1_and_for_10(
    client, trondheim, open_round, budget, caseworker, approver, queued_only
):
    # Given 1 decision, and 10 others, of one office
    one = decided(1, trondheim=trondheim, open_round=open_round, caseworker=caseworker,
                  approver=approver)
    ten = decided(10, trondheim=trondheim, open_round=open_round, caseworker=caseworker,
                  approver=approver, start=1)
    client.force_login(caseworker)
    client.get(reverse(CHANGELIST))  # the session and the user's offices, read once

    # When the caseworker makes their letters, first the one's, then the ten's
    for_one, read_one = _action_queries(client, one)
    for_ten, read_ten = _action_queries(client, ten)

    # Then the letters' statuses are read once each time, and each letter costs the same
    # queries, none of them for the message
    assert AllocationLetter.objects.filter(status=DocumentStatus.PENDING).count() == 11
    assert (read_one, read_ten) == (1, 1)
    assert (for_one, for_ten) == (PER_ACTION + PER_LETTER, PER_ACTION + 10 * PER_LETTER)

