"""A report line granted kr 0 (an approved change moved all its money away, and the line was
kept since the recipient had typed on it) may have nothing used on it: the rule stops the
report next to that line's «Brukt» field, and the line's form says so where it is typed,
in the user's language. The account's total alone does not catch it, as the money moved to
another line of the same grant."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from reporting import rules, selectors
from reporting import services as report_services
from reporting.changes import services
from reporting.forms import CompetenceForm
from reporting.models import ReportStatus
from tilskudd.errors import ServiceError

from .change_helpers import accept, ask, recommended
from .helpers import fill, ready_report

pytestmark = pytest.mark.django_db

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}
MESSAGE = ("Linjen er innvilget kr\u00a00, men kr\u00a055\u00a0000 er ført som brukt. "
           "Tilskuddet kan bare brukes på linjer som er innvilget midler: før bruken på en "
           "slik linje, og sett brukt her til kr\u00a00.")


@pytest.fixture
def moved(application, caseworker, signatory, approver, django_capture_on_commit_callbacks):
    """A report ready to send, every line kr 5 000 under its grant; then an approved change
    moves the first competence line's kr 60 000 to the second: the first is kept at kr 0
    with its kr 55 000 used."""
    grant = accept(application, caseworker, signatory, django_capture_on_commit_callbacks)
    report = report_services.report_open(application=grant, user=signatory)
    ready_report(report, signatory, used=lambda line: line.granted - 5000)
    change = recommended(ask(grant, signatory, {("competence", 0): "0",
                                                ("competence", 1): "200000"}), caseworker)
    services.change_request_decide(change_request=change, user=approver)
    return report


def zero_line(report):
    return report.competence_lines.get(granted=0)


def unfunded_errors(report):
    return [e for e in rules.check_report(selectors.report_with_content(report.pk))
            if e.field == "amount_used"]


def test_a_line_granted_kr_0_with_money_used_stops_the_report_next_to_its_field(
        moved, signatory):
    line = zero_line(moved)
    assert line.amount_used == Decimal(55_000)  # kept, as the change leaves it (5b78034)

    with pytest.raises(ServiceError) as refused:
        report_services.report_submit(report=moved, user=signatory)

    [error] = [e for e in refused.value.errors if e.field == "amount_used"]
    assert (error.section, error.line_id) == ("competence", line.pk)
    assert error.message.endswith(MESSAGE)
    assert error.message.startswith(rules.line_name("competence", line))
    moved.refresh_from_db()
    assert moved.status == ReportStatus.DRAFT
    assert not moved.submissions.exists()


def test_the_line_set_to_kr_0_used_passes_the_rule(moved, signatory):
    report_services.report_update(report=moved, user=signatory, competence=[
        {"id": zero_line(moved).pk, "amount_used": Decimal(0)}])

    assert unfunded_errors(moved) == []


def test_a_line_with_a_grant_may_use_more_than_its_own_line(report, signatory):
    # given: one line over its grant and another under it, the total within the grant
    first, second = report.competence_lines.order_by("source_id")
    fill(report, signatory, used=lambda line: (line.granted + 1000 if line.pk == first.pk
                                               else line.granted - 1000))

    assert unfunded_errors(report) == []


def test_the_message_is_in_the_users_language(moved):
    with translation.override("en"):
        [error] = unfunded_errors(moved)

    assert error.message.endswith(
        "This line was granted NOK\u00a00, but NOK\u00a055\u00a0000 is entered as used. The "
        "grant may only be used on lines granted funds: enter the spending on such a line, "
        "and set used here to NOK\u00a00.")


def test_the_line_form_says_so_next_to_the_field(moved):
    line = zero_line(moved)
    data = {"completed": "2", "still_studying": "1", "stopped": "0", "amount_used": "55000"}

    form = CompetenceForm(data=data, line=line)

    assert not form.is_valid()
    assert form.errors["amount_used"] == [MESSAGE]
    assert CompetenceForm(data={**data, "amount_used": "0"}, line=line).is_valid()


def test_the_autosave_names_the_field(moved, client, signatory):
    client.force_login(signatory)
    line = zero_line(moved)

    body = client.post(reverse("reporting:edit", args=[moved.pk]),
                       {f"competence-{line.pk}-amount_used": "55 000"}, **FETCH).json()

    assert body["errors"] == {f"competence-{line.pk}-amount_used": [MESSAGE]}
