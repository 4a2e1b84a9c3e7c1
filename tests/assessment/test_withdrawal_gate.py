"""An applicant cannot withdraw (and then change) an application the office has
recommended or decided on; an application only opened by a caseworker may be withdrawn."""

import pytest

from applications import services as application_services
from applications.models import ApplicationStatus, Submission
from assessment import services
from tests.assessment.helpers import recommend
from tilskudd.errors import ServiceError


def test_withdrawal_is_refused_once_recommended_and_nothing_changes(
    application, caseworker, signatory
):
    recommend(application, caseworker)

    with pytest.raises(ServiceError) as excinfo:
        application_services.application_withdraw(
            application=application, user=signatory, reason="Vil endre beløp"
        )

    assert excinfo.value.code == "under_assessment"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert Submission.objects.get(application=application).withdrawn_at is None


def test_withdrawal_is_allowed_while_the_case_is_only_opened(application, caseworker, signatory):
    services.assessment_open(application=application, user=caseworker)

    application_services.application_withdraw(
        application=application, user=signatory, reason="Vil endre beløp"
    )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
