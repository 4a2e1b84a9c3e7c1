"""A withdrawn transfer decision reopened because the recipient sent the returned report
again: its history row is by the signatory who sent it, so its note says why the decision
is open again, who sent the report, with which reference and amount, in the office's own
language form whatever language the signatory's pages were in."""

import pytest
from django.urls import reverse
from django.utils import translation

from reporting.transfer_models import TransferDecision, TransferStatus

from .test_transfers_resend import proposed, send, send_back  # noqa: F401 (the fixture)


def reopened_row(report):
    transfer = TransferDecision.objects.get(report=report)
    return transfer.events.get(from_status=TransferStatus.WITHDRAWN,
                               to_status=TransferStatus.PENDING)


def expected_note(report, signatory):
    return (f"Vedtaket er åpnet igjen fordi rapporten er sendt inn på nytt av "
            f"{signatory.full_name} ({report.submissions.get(returned_at=None).reference}), "
            f"med kr\u00a0120\u00a0000 ubrukt. Det skal fattes vedtak om dette beløpet.")


@pytest.mark.parametrize("pages", ["nb", "en"])
def test_the_reopened_row_says_the_report_was_sent_again_and_by_whom(
        proposed, signatory, caseworker, pages):  # noqa: F811
    send_back(proposed, caseworker)

    with translation.override(pages):  # the signatory's pages
        send(proposed, signatory, 40_000)  # kr 120 000 unused now

    row = reopened_row(proposed)
    assert row.by == signatory
    assert row.note == expected_note(proposed, signatory)


def test_the_note_is_in_the_offices_language_form(
        proposed, signatory, caseworker, trondheim):  # noqa: F811
    office = trondheim.office
    office.default_written_language = "nn"
    office.save(update_fields=["default_written_language"])
    send_back(proposed, caseworker)

    send(proposed, signatory, 40_000)

    assert reopened_row(proposed).note.startswith(
        f"Vedtaket er opna igjen fordi rapporten er sendt inn på nytt av {signatory.full_name}")


def test_the_caseworker_reads_it_in_the_reports_unused_funds_box(
        proposed, signatory, caseworker, client):  # noqa: F811
    send_back(proposed, caseworker)
    send(proposed, signatory, 40_000)
    client.force_login(caseworker)

    page = client.get(reverse("admin:reporting_report_change", args=[proposed.pk]))

    funds = page.content.decode()
    funds = funds[funds.index('id="funds"'):]
    assert expected_note(proposed, signatory) in funds
