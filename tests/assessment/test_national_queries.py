"""The national view sums in the database: its number of queries does not grow with the
number of applications (pinned with 10 and 500)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.national.selectors import Filters, national_view
from tests.tilskudd.factories import RoundFactory

from .national_helpers import bulk_round

#: offices, budgets, earmarks, applied (three parts), lines, the lines an approved change
#: request moved (one, reporting's tilskudd.granted; none changed here, so not the second
#: query that reads them), statuses, kinds, municipalities (eleven), the previous round
#: (one), the report figures (four, and two for the grants whose report was never opened:
#: every grant here has one, so not the third that reads those), and the transfers and
#: repayment claims (two).
QUERIES = 20


@pytest.mark.django_db
@pytest.mark.parametrize("applications", [10, 500])
def test_the_view_takes_the_same_number_of_queries_for_10_and_500_applications(applications):
    # Given
    rnd = RoundFactory()
    made = bulk_round(rnd, offices=2, applications=applications, competence_lines=3)

    # When
    with CaptureQueriesContext(connection) as queries:
        view = national_view(Filters(round=rnd))

    # Then
    assert len(queries) == QUERIES
    assert view.total.applications == made.applications
    assert sum(o.applications for o in view.offices) == applications
