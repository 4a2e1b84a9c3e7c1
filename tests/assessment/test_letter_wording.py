"""The letter's small words: a part's total says «BPA-opplæring i alt» (not «Sum
bpa-opplæring»), and the approver is named with the role, «(godkjenner)». A part of one line
has no total (its line's amounts are the part's), so the application has two lines."""

import pytest

from tests.assessment.test_letters import make_letter, pdf_text

from .helpers import competence, decide, submit

pytestmark = pytest.mark.django_db


def test_the_letter_names_each_parts_total_and_the_approvers_role(
    trondheim, open_round, budget, signatory, caseworker, approver,
    django_capture_on_commit_callbacks,
):
    application = submit(trondheim, open_round, signatory,
                         competence_lines=[competence("60000"), competence("40000")])
    assessment = decide(application, caseworker, approver)

    text = pdf_text(make_letter(assessment, caseworker, django_capture_on_commit_callbacks))

    assert "Kompetansetiltak i alt kr 100 000 kr 100 000" in text
    assert "bpa-opplæring" not in text
    assert f"{approver.full_name} (godkjenner)" in text
    assert "(godkjent)" not in text
