"""The admin's action pages with a form (reporting.admin_actions): each page's heading, the
report's content under the form where the action is about it, the paid date filled in,
the message after success, and no page for one who may only read."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from reporting import transfers
from reporting.transfer_models import ClaimStatus, RepaymentClaim

from .test_admin import directorate  # noqa: F401 (the fixture)
from .test_transfers_admin import asking  # noqa: F401 (the fixture)

CONTENT_HEADING = "<h2>Rapporten</h2>"


@pytest.mark.parametrize(("name", "title", "shows_content"), [
    ("return", "Send rapporten tilbake for retting", True),
    ("extend", "Utsett fristen for rapporten", False),
    ("transfer", "Vedtak om overføring av ubrukte midler", True),
    ("claim", "Krev tilbakebetaling", True),
])
def test_each_report_action_has_its_page(client, asking, caseworker, name, title,  # noqa: F811
                                         shows_content):
    client.force_login(caseworker)

    page = client.get(reverse(f"admin:reporting_report_{name}", args=[asking.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert page.context["title"] == title
    assert f'value="{title}"' in text
    assert (CONTENT_HEADING in text) is shows_content
    assert (page.context.get("content") is not None) is shows_content


def test_a_claims_actions_have_their_pages_and_the_paid_date_is_today(client, asking,  # noqa: F811
                                                                       caseworker):
    transfers.transfer_decide(report=asking, user=caseworker, outcome="refuse",
                              reason="Ikke bundet.")
    claim = RepaymentClaim.objects.get()
    client.force_login(caseworker)

    paid = client.get(reverse("admin:reporting_repaymentclaim_paid", args=[claim.pk]))
    cancel = client.get(reverse("admin:reporting_repaymentclaim_cancel", args=[claim.pk]))

    assert paid.context["title"] == "Registrer betaling"
    assert paid.context["form"]["paid_on"].value() == timezone.localdate()
    assert cancel.context["title"] == "Kanseller eller korriger kravet"
    assert CONTENT_HEADING not in paid.content.decode() + cancel.content.decode()


def test_success_goes_back_to_the_row_with_the_actions_message(client, asking,  # noqa: F811
                                                               caseworker):
    client.force_login(caseworker)

    response = client.post(reverse("admin:reporting_report_transfer", args=[asking.pk]),
                           {"outcome": "refuse", "reason": "Ikke bundet."})
    claim = RepaymentClaim.objects.get()
    paid = client.post(reverse("admin:reporting_repaymentclaim_paid", args=[claim.pk]),
                       {"paid_on": timezone.localdate().isoformat()})

    assert response["Location"] == reverse("admin:reporting_report_change", args=[asking.pk])
    assert paid["Location"] == reverse("admin:reporting_repaymentclaim_change", args=[claim.pk])
    assert [str(m) for m in get_messages(paid.wsgi_request)] == [
        "Vedtaket om overføring er lagret.", "Kravet er registrert som betalt."]
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID


def test_one_who_may_only_read_gets_no_action_page(client, asking, caseworker,  # noqa: F811
                                                   directorate):  # noqa: F811
    transfers.transfer_decide(report=asking, user=caseworker, outcome="refuse",
                              reason="Ikke bundet.")
    claim = RepaymentClaim.objects.get()
    client.force_login(directorate)

    urls = [reverse(f"admin:reporting_report_{name}", args=[asking.pk])
            for name in ("return", "extend", "transfer", "claim")]
    urls += [reverse(f"admin:reporting_repaymentclaim_{name}", args=[claim.pk])
             for name in ("paid", "cancel")]

    assert [client.get(url).status_code for url in urls] == [403] * 6
    assert [client.post(url, {"reason": "x", "paid_on": timezone.localdate().isoformat()})
            .status_code for url in urls] == [403] * 6
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.OPEN
