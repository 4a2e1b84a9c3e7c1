"""One rule for «overdue» (reporting.selectors): the admin's list (its «forsinket» filter
and its deadline column) and the recipient's inbox ask it, for a report and for a grant
whose report was never opened. A deadline shown to the minute accepts the whole of that
minute (tilskudd.deadlines): at 23:59:30 a report due 23:59 is not late yet."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tilskudd.inbox import REPORT, REPORT_OVERDUE, inbox_for

OVERDUE_CELL = '<strong class="errornote">'
ON_THE_MINUTE = timedelta(seconds=30)
A_MINUTE_LATE = timedelta(minutes=1)


def _admin_list(client, caseworker, monkeypatch, moment, **query):
    # signed in at the moment, so the session is not already expired then
    monkeypatch.setattr(timezone, "now", lambda: moment)
    client.force_login(caseworker)
    return client.get(reverse("admin:reporting_report_changelist"), query)


def _listed(response) -> list[int]:
    return [obj.pk for obj in response.context["cl"].result_list]


def test_the_admin_filter_and_column_call_a_report_late_only_after_its_deadlines_minute(
        client, report, caseworker, deadline, monkeypatch):
    on_time = deadline + ON_THE_MINUTE
    late = deadline + A_MINUTE_LATE

    assert _listed(_admin_list(client, caseworker, monkeypatch, on_time, forsinket="ja")) == []
    assert _listed(_admin_list(client, caseworker, monkeypatch, on_time, forsinket="nei")) == [
        report.pk]
    assert OVERDUE_CELL not in _admin_list(client, caseworker, monkeypatch, on_time).text

    assert _listed(_admin_list(client, caseworker, monkeypatch, late, forsinket="ja")) == [
        report.pk]
    assert _listed(_admin_list(client, caseworker, monkeypatch, late, forsinket="nei")) == []
    assert _admin_list(client, caseworker, monkeypatch, late).text.count(OVERDUE_CELL) == 1


@pytest.mark.parametrize(("after", "kind"), [(ON_THE_MINUTE, REPORT),
                                             (A_MINUTE_LATE, REPORT_OVERDUE)])
def test_the_inbox_calls_a_report_late_by_the_same_rule(report, signatory, deadline, after,
                                                        kind):
    items = inbox_for(signatory, now=deadline + after).mine

    assert [(i.kind, i.url) for i in items] == [
        (kind, reverse("reporting:edit", args=[report.pk]))]


@pytest.mark.parametrize(("after", "kind"), [(ON_THE_MINUTE, REPORT),
                                             (A_MINUTE_LATE, REPORT_OVERDUE)])
def test_a_grant_whose_report_was_never_opened_is_late_by_the_same_rule(
        application, signatory, deadline, after, kind):
    items = inbox_for(signatory, now=deadline + after).mine

    assert [(i.kind, i.url) for i in items] == [(kind, reverse("reporting:list"))]
