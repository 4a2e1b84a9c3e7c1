"""An office publishes its grants in a round only once the round's application deadline has
passed (assessment.opendata.publication): before it, an office that has decided and sent
every letter early is not finished, since the next application sent in would take its
grants, and their ids, out of the open data again."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from assessment.opendata.publication import published_offices, published_round
from tests.tilskudd.factories import member
from tilskudd.models import MembershipRole

from .helpers import decide, submit
from .test_opendata import close, malvik, send_letter  # noqa: F401 (malvik: a fixture)

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


def test_an_office_that_finishes_before_the_deadline_publishes_once_it_has_passed(
    application, malvik, open_round, caseworker, approver, django_capture_on_commit_callbacks,  # noqa: F811
):
    # Given Trøndelag has decided Trondheim's application and sent its letter early
    capture = django_capture_on_commit_callbacks
    send_letter(decide(application, caseworker, approver), caseworker, capture)

    before_the_deadline = published_round("kkt", open_round.year)
    # When Malvik applies before the deadline, and the office decides it after the deadline
    signatory = member(malvik, MembershipRole.SIGNATORY, email="signatur@malvik.example.no")
    malvik_application = submit(malvik, open_round, signatory)
    close(open_round)
    undecided = published_round("kkt", open_round.year)
    send_letter(decide(malvik_application, caseworker, approver), caseworker, capture)
    finished = published_round("kkt", open_round.year)

    # Then nothing was published before the office had every application of the round
    assert before_the_deadline is None
    assert undecided is None
    assert [o.name for o in finished.offices] == ["Statsforvalteren i Trøndelag"]
    assert finished.grants == 2


@pytest.mark.parametrize(("moment", "published"), [
    (datetime(2026, 3, 17, 23, 59, 59, 999999, tzinfo=OSLO), False),  # the deadline's minute
    (datetime(2026, 3, 17, 22, 59, 30, tzinfo=ZoneInfo("UTC")), False),  # the same, in UTC
    (datetime(2026, 3, 18, 0, 0, tzinfo=OSLO), True),
    (datetime(2026, 3, 17, 23, 30, tzinfo=ZoneInfo("UTC")), True),  # 00:30 in Oslo
])
def test_the_deadline_passes_after_its_minute_in_oslo(
    application, open_round, trondheim, caseworker, approver,
    django_capture_on_commit_callbacks, moment, published,
):
    # Given Trondheim's grant lettered, and the round's deadline 17 March 2026 kl. 23:59
    send_letter(decide(application, caseworker, approver), caseworker,
                django_capture_on_commit_callbacks)
    deadline = datetime(2026, 3, 17, 23, 59, tzinfo=OSLO)
    open_round.opens_at = deadline - timedelta(days=60)
    open_round.application_deadline = deadline
    open_round.save(update_fields=["opens_at", "application_deadline"])

    offices = published_offices(now=moment)

    assert offices == ({open_round.pk: {trondheim.county.office_id}} if published else {})
