"""The rules of a change request, each in one place: the deadline (the round's, by default
1 October of the grant year at 23:59 Oslo time, its whole minute included like every
deadline; tilskudd.deadlines.change_deadline, which the allocation letter names too), what
a request must hold (a reason, amounts of whole kroner that add up to the grant exactly: a
change moves money, it never adds any), and why an approval may not move money into an
earmark, or into the pot's rest, beyond what it holds (which parts would be overspent is
the pot's rule: assessment.selectors.overruns_after_move)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from tilskudd import deadlines
from tilskudd.deadlines import change_deadline
from tilskudd.models import Round
from tilskudd.money import format_nok

from ..rules import MAX_AMOUNT, MAX_TEXT_LENGTH, RuleError

if TYPE_CHECKING:
    from assessment.selectors import Overrun

OSLO = ZoneInfo("Europe/Oslo")
SECTION = "change"
#: A project's content may be changed; competence and BPA lines only move money.
CONTENT_PARTS = ("projects",)


def accepts_change_at(rnd: Round, moment: datetime) -> bool:
    """On time through the deadline's minute (tilskudd.deadlines, every deadline's rule)."""
    return deadlines.is_open(change_deadline(rnd), moment)


def amount_field(part: str, line_id: int) -> str:
    """The form field (and the error's place) of a line's new amount."""
    return f"amount_{part}_{line_id}"


def content_field(line_id: int) -> str:
    return f"content_{line_id}"


@dataclass(frozen=True)
class AskedLine:
    """One line of the decision as the request asks: granted now, the new amount."""

    part: str
    line_id: int
    label: str
    granted: Decimal
    requested: Decimal
    new_content: str = ""

    @property
    def changed(self) -> bool:
        return self.requested != self.granted or bool(self.new_content.strip())


def check_request(lines: Sequence[AskedLine], granted_total: Decimal, reason: str
                  ) -> list[RuleError]:
    """What is wrong with a request, each next to its field (empty: it may be sent)."""
    errors: list[RuleError] = []
    if not reason.strip():
        errors.append(RuleError(SECTION, _("Skriv hvorfor dere søker om endringen."),
                                field="reason"))
    elif len(reason) > MAX_TEXT_LENGTH:
        errors.append(RuleError(SECTION, _("Begrunnelsen kan ikke være lengre enn %(n)d tegn.")
                                % {"n": MAX_TEXT_LENGTH}, field="reason"))
    for line in lines:
        field = amount_field(line.part, line.line_id)
        if line.requested < 0:
            errors.append(RuleError(SECTION, _("Beløpet kan ikke være negativt."), field=field))
        elif line.requested != line.requested.to_integral_value():
            errors.append(RuleError(SECTION, _("Beløpet må være et helt antall kroner."),
                                    field=field))
        elif line.requested > MAX_AMOUNT:
            errors.append(RuleError(SECTION, _("Beløpet kan ikke være over %(max)s.")
                                    % {"max": format_nok(MAX_AMOUNT)}, field=field))
        if line.new_content.strip() and line.part not in CONTENT_PARTS:
            errors.append(RuleError(SECTION, _("Bare innholdet i et prosjekt kan endres."),
                                    field=field))
    if errors or not lines:
        return errors
    changed = [line for line in lines if line.changed]
    if not changed:
        first = lines[0]
        return [RuleError(SECTION, _("Du har ikke endret noe. Endre et beløp, eller beskriv "
                                     "det endrede innholdet i et prosjekt."),
                          field=amount_field(first.part, first.line_id))]
    total = sum((line.requested for line in lines), Decimal(0))
    if total != granted_total:
        moved = next((line for line in changed if line.requested != line.granted), changed[0])
        words = {"total": format_nok(total), "granted": format_nok(granted_total),
                 "diff": format_nok(abs(total - granted_total))}
        message = (
            _("Summen av de nye beløpene er %(total)s, men tilskuddet er %(granted)s. En "
              "endring kan ikke øke tilskuddet: ta bort %(diff)s.") if total > granted_total
            else _("Summen av de nye beløpene er %(total)s, men tilskuddet er %(granted)s. "
                   "Fordel de resterende %(diff)s på linjene.")
        ) % words
        errors.append(RuleError(SECTION, message, field=amount_field(moved.part, moved.line_id)))
    return errors


def pot_refusal(overrun: Overrun) -> str:
    """Why the approval is refused: the part of the pot (an earmark, or the rest) that the
    change would overspend, what it holds, what would be granted of it and what is left."""
    words = {"name": overrun.name, "amount": format_nok(overrun.amount),
             "after": format_nok(overrun.after), "over": format_nok(overrun.after - overrun.amount),
             "left": format_nok(max(overrun.left, Decimal(0)))}
    if not overrun.earmarked:
        return _("Endringen kan ikke godkjennes: den ville overskride rammen utenom øremerkede "
                 "midler, %(amount)s. Med endringen ville %(after)s av den være innvilget, "
                 "%(over)s for mye. Igjen av den nå: %(left)s.") % words
    return _("Endringen kan ikke godkjennes: den ville overskride den øremerkede delen "
             "«%(name)s», %(amount)s. Med endringen ville %(after)s av den være innvilget, "
             "%(over)s for mye. Igjen av den nå: %(left)s.") % words
