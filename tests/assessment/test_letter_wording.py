"""The letter's small words: a part's total says «BPA-opplæring i alt» (not «Sum
bpa-opplæring»), and the approver is named with the role, «(godkjenner)»."""

import pytest

from tests.assessment.test_letters import make_letter, pdf_text

from .helpers import decide

pytestmark = pytest.mark.django_db


def test_the_letter_names_each_parts_total_and_the_approvers_role(
    application, caseworker, approver, django_capture_on_commit_callbacks
):
    assessment = decide(application, caseworker, approver)

    text = pdf_text(make_letter(assessment, caseworker, django_capture_on_commit_callbacks))

    assert " i alt " in text
    assert "bpa-opplæring" not in text
    assert f"{approver.full_name} (godkjenner)" in text
    assert "(godkjent)" not in text
