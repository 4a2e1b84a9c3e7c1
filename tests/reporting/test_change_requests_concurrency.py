"""Two approvers deciding one change request at once on PostgreSQL give one decision and
one letter; two signatories asking at once give one request."""

import itertools
import threading

import pytest

from reporting.changes import services
from reporting.changes.models import ChangeLetter, ChangeRequest, ChangeRequestEvent, ChangeStatus
from tests.applications.test_concurrency import run_together
from tests.tilskudd.factories import member, office_staff
from tilskudd.errors import ServiceError
from tilskudd.models import MembershipRole, OfficeRole

from .change_helpers import accept, ask, recommended

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _each_once(users):
    """A function that hands each thread the next of `users`."""
    lock, given = threading.Lock(), itertools.cycle(users)

    def next_user():
        with lock:
            return next(given)

    return next_user


def test_two_approvers_at_once_make_one_decision(
    application, caseworker, approver, signatory, trondheim, django_capture_on_commit_callbacks
):
    accept(application, caseworker, signatory, django_capture_on_commit_callbacks)
    change = recommended(ask(application, signatory), caseworker)
    other = office_staff(trondheim.office, OfficeRole.APPROVER, email="g2@sftl.example.no")
    next_user = _each_once([approver, other])

    results = run_together(lambda: services.change_request_decide(
        change_request=change, user=next_user()))

    decided = [r for r in results if isinstance(r, ChangeRequest)]
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert (len(decided), len(refused)) == (1, 1), results
    assert refused[0].code == "not_recommended"
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED
    assert change.decided_by == decided[0].decided_by
    assert ChangeLetter.objects.filter(change_request=change).count() == 1
    assert ChangeRequestEvent.objects.filter(change_request=change,
                                             to_status=ChangeStatus.APPROVED).count() == 1


def test_two_signatories_asking_at_once_make_one_request(
    application, caseworker, signatory, trondheim, django_capture_on_commit_callbacks
):
    accept(application, caseworker, signatory, django_capture_on_commit_callbacks)
    second = member(trondheim, MembershipRole.SIGNATORY, email="signatur2@trondheim.example.no")
    next_user = _each_once([signatory, second])

    results = run_together(lambda: ask(application, next_user()))

    made = [r for r in results if isinstance(r, ChangeRequest)]
    assert len(made) == 1, results
    assert [r.code for r in results if isinstance(r, ServiceError)] == ["pending"]
    assert ChangeRequest.objects.count() == 1
