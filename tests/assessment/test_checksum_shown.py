"""The letter's checksum is behind «Vis kontrollsum» on the applicant's decision page, not
shown in full to every municipal user."""

import pytest

from tests.assessment.test_letters import make_letter

from .helpers import decide

pytestmark = pytest.mark.django_db


def test_the_decision_page_hides_the_letters_checksum_behind_a_details(
    client, application, caseworker, approver, signatory, django_capture_on_commit_callbacks
):
    assessment = decide(application, caseworker, approver)
    letter = make_letter(assessment, caseworker, django_capture_on_commit_callbacks)
    client.force_login(signatory)

    html = client.get(f"/tildeling/{application.pk}/").content.decode()

    assert (f'<summary>Vis kontrollsum</summary>Kontrollsum (SHA-256): <code>{letter.sha256}'
            '</code></details>') in html
    assert html.count(letter.sha256) == 1
