"""Two requests at once on PostgreSQL: a double click, or two tabs, submit once."""

import threading

import pytest
from django.db import connection

from applications import services
from applications.models import ReceiptDocument, StatusChange, Submission
from tests.applications.conftest import bpa_line, competence_line, complete_header, project
from tests.tilskudd.factories import OrganisationFactory, RoundFactory, member
from tilskudd.models import MembershipRole

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(fn, count: int = 2) -> list:
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def worker(i: int) -> None:
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_two_concurrent_submits_make_one_submission():
    org = OrganisationFactory()
    signatory = member(org, MembershipRole.SIGNATORY)
    application = services.application_start(organisation=org, round=RoundFactory(),
                                             user=signatory)
    services.application_update(application=application, user=signatory,
                                header=complete_header(), competence=[competence_line()],
                                bpa=[bpa_line()], projects=[project()])

    results = run_together(
        lambda: services.application_submit(application=application, user=signatory)
    )

    assert all(isinstance(r, Submission) for r in results), results
    assert results[0].pk == results[1].pk
    assert Submission.objects.count() == 1
    assert ReceiptDocument.objects.count() == 1
    assert StatusChange.objects.filter(application=application).count() == 1
