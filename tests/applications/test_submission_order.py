"""An application's submissions are listed as a report's are (tilskudd.submissions.
FrozenSubmission): newest first, and of two sent at the same moment the later row first."""

from decimal import Decimal

from applications import services
from applications.models import Submission
from tests.tilskudd.factories import OfficeBudgetFactory


def test_two_submissions_at_one_moment_list_the_later_row_first(
        draft, signatory, open_round, trondheim):
    OfficeBudgetFactory(round=open_round, office=trondheim.office, pot=Decimal("30667000"))
    first = services.application_submit(application=draft, user=signatory)
    services.application_withdraw(application=draft, user=signatory, reason="Feil beløp")
    draft.refresh_from_db()
    second = services.application_submit(application=draft, user=signatory)
    Submission.objects.filter(pk=second.pk).update(submitted_at=first.submitted_at)

    assert list(draft.submissions.all()) == [second, first]
