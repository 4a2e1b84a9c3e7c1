"""What the decision's pages (the applicant's «Vedtak» and the office's case page) show of
the change requests on a grant: each request with its status and letter, and each line an
approved one moved, as the decision granted it and as it is granted now (what
tilskudd.granted gives the overviews). Read through reporting's selectors; this module is
imported by the views only, since reporting reads assessment.selectors."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from reporting.changes import selectors as change_selectors

from .amounts import ZERO
from .models import LineAssessment, Part


@dataclass(frozen=True)
class MovedRow:
    part: str
    label: str
    decided: Decimal
    now: Decimal


@dataclass(frozen=True)
class GrantChangesShown:
    requests: list  # reporting's ChangeRequest rows, newest first, with their letters
    approved: list  # those approved, oldest first
    moved: list[MovedRow]

    @property
    def decided_total(self) -> Decimal:
        return sum((row.decided for row in self.moved), ZERO)

    @property
    def now_total(self) -> Decimal:
        return sum((row.now for row in self.moved), ZERO)


def grant_changes(application_id: int, lines: Iterable[tuple[LineAssessment, str]]
                  ) -> GrantChangesShown:
    """The application's change requests (one query), the moved lines named as the page
    names its `lines` (each with its label) in the page's language."""
    found = change_selectors.grant_changes(application_id)
    labels = {(la.part, la.line_id): label for la, label in lines}
    return GrantChangesShown(
        requests=found.requests, approved=found.approved,
        moved=[MovedRow(part=str(Part(line.part).label),
                        label=labels.get((line.part, line.line_id), line.label),
                        decided=line.decided, now=line.now)
               for line in found.moved],
    )
