"""Builders for the change request tests: an accepted grant with its change deadline
ahead, a request made through the services, and a decided one."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from assessment import selectors as assessment_selectors
from reporting.changes import selectors, services
from reporting.changes.models import ChangeRequest
from tests.tilskudd.grants import accepted


def accept(application, caseworker, signatory, capture):
    """The application's grant accepted, and its round's change deadline 30 days ahead."""
    case = assessment_selectors.case_for(application)
    accepted(case, caseworker, signatory, capture)
    rnd = application.round
    rnd.change_deadline = timezone.now() + timedelta(days=30)
    rnd.save(update_fields=["change_deadline"])
    return application


def lines_of(application) -> dict[str, list]:
    current = selectors.current_grant(selectors.application_with_lines(application.pk))
    found: dict[str, list] = {}
    for line in current.lines:
        found.setdefault(line.part, []).append(line)
    return found


def moves(application, amounts: dict[tuple[str, int], str], content: dict[int, str] | None = None
          ) -> list[services.LineChange]:
    """A LineChange for each (part, index) in `amounts`, the index into that part's lines."""
    lines = lines_of(application)
    return [
        services.LineChange(part=part, line_id=lines[part][index].line_id,
                            requested=Decimal(amount),
                            new_content=(content or {}).get(lines[part][index].line_id, ""))
        for (part, index), amount in amounts.items()
    ]


#: Trondheim's grant is 60 000 + 140 000 (competence) and 60 000 (BPA): move 40 000 from the
#: second competence line to BPA.
MOVE_40K = {("competence", 1): "100000", ("bpa", 0): "100000"}
REASON = "Færre ansatte tar fagbrev i år; flere assistenter trenger BPA-opplæring."


def ask(application, signatory, amounts=None, **kwargs) -> ChangeRequest:
    return services.change_request_submit(
        application=application, user=signatory, reason=kwargs.pop("reason", REASON),
        lines=moves(application, MOVE_40K if amounts is None else amounts), **kwargs)


def recommended(change, caseworker, recommendation="approve",
                note="Endringen holder seg innenfor formålet.") -> ChangeRequest:
    return services.change_request_recommend(change_request=change, user=caseworker,
                                             recommendation=recommendation, note=note)
