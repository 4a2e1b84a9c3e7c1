"""The admin's action pages with a form (reporting.admin_actions): each page's heading, the
report's content under the form where the action is about it, the paid date filled in,
the message after success, a form field the service does not take left out of its call,
and no page (nor any change, audit row or e-mail) for one who may only read or a
caseworker of another office."""

import dataclasses
from datetime import timedelta

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from reporting import transfers
from reporting.admin import REPORT_ACTIONS
from reporting.forms import ReturnForm
from reporting.models import Report, ReportStatus
from reporting.transfer_models import ClaimStatus, RepaymentClaim

from .test_admin import directorate  # noqa: F401 (the fixture, by name)
from .test_transfers_admin import asking  # noqa: F401 (the fixture)

CONTENT_HEADING = "<h2>Rapporten</h2>"
REPORT_ACTION_NAMES = ("return", "extend", "transfer", "claim")
CLAIM_ACTION_NAMES = ("paid", "cancel")
#: a valid post for every action's form (each form reads its own fields)
EVERY_FIELD = {"message": "Rett tallene.", "reason": "Ikke bundet.", "outcome": "refuse",
               "amount": "1000", "new_amount": "", "paid_on": None, "new_date": None}


def _every_field() -> dict[str, str]:
    today = timezone.localdate()
    return {**EVERY_FIELD, "paid_on": today.isoformat(),
            "new_date": (today + timedelta(days=30)).isoformat()}


def _state() -> dict[str, object]:
    """Every row of the project's apps (the reports, transfers, claims, extensions, their
    history, the audit log, the e-mail outbox, document jobs) and the e-mails sent."""
    rows = {
        model._meta.label: list(model.objects.order_by("pk").values())
        for label in ("tilskudd", "applications", "assessment", "reporting")
        for model in apps.get_app_config(label).get_models()
    }
    return {**rows, "sent": len(mail.outbox)}


def _action_urls(report, claim) -> list[str]:
    return ([reverse(f"admin:reporting_report_{name}", args=[report.pk])
             for name in REPORT_ACTION_NAMES]
            + [reverse(f"admin:reporting_repaymentclaim_{name}", args=[claim.pk])
               for name in CLAIM_ACTION_NAMES])


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


@pytest.mark.parametrize(("who", "status"), [
    ("directorate", 403),  # may only read
    ("rogaland_caseworker", 404),  # another office's: the rows are not theirs to find
])
def test_one_who_may_not_act_gets_no_action_page_and_changes_nothing(
        client, asking, caseworker, django_capture_on_commit_callbacks,  # noqa: F811
        request, who, status):
    transfers.transfer_decide(report=asking, user=caseworker, outcome="refuse",
                              reason="Ikke bundet.")
    urls = _action_urls(asking, RepaymentClaim.objects.get())
    client.force_login(request.getfixturevalue(who))
    mail.outbox.clear()
    before = _state()

    with django_capture_on_commit_callbacks(execute=True) as scheduled:
        gets = [client.get(url).status_code for url in urls]
        posts = [client.post(url, _every_field()).status_code for url in urls]

    assert gets == posts == [status] * 6
    assert _state() == before and scheduled == []
    assert RepaymentClaim.objects.get().status == ClaimStatus.OPEN


def test_every_field_posted_by_the_office_would_act(client, asking, caseworker,  # noqa: F811
                                                    django_capture_on_commit_callbacks):
    """The posts above are ones the office's own caseworker could make: refused only for who
    sent them (and _state sees a change and an e-mail)."""
    client.force_login(caseworker)
    mail.outbox.clear()
    before = _state()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:reporting_report_return", args=[asking.pk]),
                               _every_field())

    after = _state()
    assert response.status_code == 302
    assert after["sent"] == before["sent"] + 1
    assert len(after["tilskudd.AuditEvent"]) > len(before["tilskudd.AuditEvent"])
    assert after["reporting.Report"] != before["reporting.Report"]


class ReturnFormWithANote(ReturnForm):
    #: the page's own field: report_return has no keyword for it
    note = forms.CharField(required=False)


def _posted(rf, user, data):
    request = rf.post("/", data)
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_field_the_action_names_as_the_pages_own_is_not_passed_to_the_service(
        rf, asking, caseworker):  # noqa: F811
    action = dataclasses.replace(REPORT_ACTIONS[0], form_class=ReturnFormWithANote,
                                 page_fields=frozenset({"note"}))
    request = _posted(rf, caseworker, {"message": "Rett tallene.", "note": "Bare for siden."})

    response = admin.site._registry[Report].form_action(request, asking.pk, action)

    assert response.status_code == 302
    asking.refresh_from_db()
    assert asking.status == ReportStatus.RETURNED
    assert asking.correction_message == "Rett tallene."


def test_a_form_field_the_service_has_no_keyword_for_is_refused_when_declared():
    """A renamed keyword or field would otherwise be dropped without a word, and a service
    keyword with a default would quietly do something else."""
    with pytest.raises(ImproperlyConfigured, match="note"):
        dataclasses.replace(REPORT_ACTIONS[0], form_class=ReturnFormWithANote)

