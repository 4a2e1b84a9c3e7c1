"""What each application counts as in the national view's «Søknader etter status»: every
status of the application model has its place, and one sent for signing («Til signering»)
is not sent yet, so it is neither «Trukket» nor «Sendt inn i alt»."""

import pytest

from applications import services as application_services
from applications.models import ApplicationStatus
from assessment.national.selectors import STATUS_KEYS, Filters, national_view, status_key
from assessment.national.tables import status_labels, statuses_table

from .helpers import competence, header

#: Each status of an application without a case, as the view counts it.
WITHOUT_A_CASE = {
    ApplicationStatus.DRAFT: "draft",
    ApplicationStatus.TO_SIGN: "to_sign",
    ApplicationStatus.SUBMITTED: "not_started",
    ApplicationStatus.WITHDRAWN: "withdrawn",
}


def test_every_status_of_an_application_is_counted_where_it_belongs():
    # When
    counted = {status: status_key(status, None, None) for status in ApplicationStatus.values}

    # Then a status added to the model fails here until it is placed deliberately
    assert counted == WITHOUT_A_CASE
    assert set(status_labels()) == set(STATUS_KEYS)


@pytest.mark.django_db
def test_an_application_sent_for_signing_is_not_counted_as_withdrawn(
    trondheim, open_round, budget, editor
):
    # Given
    application = application_services.application_start(
        organisation=trondheim, round=open_round, user=editor)
    application_services.application_update(
        application=application, user=editor, header=header(), competence=[competence()],
        bpa=[], projects=[])
    application_services.application_request_signature(application=application, user=editor)

    # When
    view = national_view(Filters(round=open_round, office=trondheim.office))

    # Then
    assert dict(view.total.statuses) == {"to_sign": 1}
    assert view.total.applications == 0
    table = statuses_table(view)
    assert table.headers == [
        "Embete", "Under arbeid", "Til signering", "Ikke påbegynt", "Under behandling",
        "Innstilt", "Innvilget", "Delvis innvilget", "Avslått", "Trukket", "Sendt inn i alt"]
    assert table.footer == ["Sum", "0", "1", "0", "0", "0", "0", "0", "0", "0", "0"]
