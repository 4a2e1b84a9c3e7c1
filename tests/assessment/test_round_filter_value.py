"""A round filter's value that is not a round's id (a hand-edited or cut-off URL) filters
nothing on the caseworkers' list, as its choices filters do, instead of a server error from
the database refusing "abc" as an id (found in review of c4855e4)."""

import pytest
from django.urls import reverse

from .test_admin_sql import CHANGELIST, many  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("many")
@pytest.mark.parametrize("value", ["abc", "1x", " "])
def test_a_round_that_is_not_an_id_filters_nothing(client, caseworker, value):
    client.force_login(caseworker)
    everything = client.get(reverse(CHANGELIST)).context["cl"].result_count
    response = client.get(reverse(CHANGELIST), {"round__id__exact": value})
    assert response.status_code == 200
    assert response.context["cl"].result_count == everything == 130
