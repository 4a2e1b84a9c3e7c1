"""The repayment claim's and the change decision's letters name the organisation's number
by the catalogue's «(org.nr. …)», as the receipt does: «(org. no. …)» in English."""

import pytest
from django.utils import translation

from reporting import repayments, services
from reporting.changes.letters import render_change_letter
from reporting.changes.models import ChangeLetter
from reporting.models import UnusedChoice
from reporting.transfer_models import RepaymentClaim
from tests.pdf import pdf_text

from .change_helpers import accept, ask
from .test_change_requests_letter import _decided
from .test_repayments import sent

pytestmark = pytest.mark.django_db

NUMBER = "942110464"  # Trondheim's


@pytest.mark.parametrize(("language", "shown"), [
    ("nb", f"(org.nr. {NUMBER})"), ("nn", f"(org.nr. {NUMBER})"), ("en", f"(org. no. {NUMBER})"),
])
def test_the_repayment_letter_names_the_number_in_its_language(
    report, signatory, caseworker, django_capture_on_commit_callbacks, language, shown
):
    sent(report, signatory, 10_000, UnusedChoice.REPAY)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_approve(report=report, user=caseworker)
    claim = RepaymentClaim.objects.get()

    with translation.override(language):
        data, _name = repayments.render_letter(claim.letter)

    assert f"Trondheim - Tråante kommune {shown}" in pdf_text(data)


def test_the_change_letter_names_the_number_in_english(
    application, caseworker, signatory, approver, django_capture_on_commit_callbacks
):
    grant = accept(application, caseworker, signatory, django_capture_on_commit_callbacks)
    change = _decided(ask(grant, signatory), caseworker, approver,
                      django_capture_on_commit_callbacks)

    with translation.override("en"):
        data, _name = render_change_letter(ChangeLetter.objects.get(change_request=change))

    assert f"Trondheim - Tråante kommune (org. no. {NUMBER})" in pdf_text(data)
