"""How much of a section that did not validate is kept in Application.draft_input.

A person who types too much, or a script that posts megabytes, gets back what a person
could have typed: each value cut to a little more than the longest field takes (so a
text over its limit still shows, with its error), and the kept input of all sections
together to what a full application can hold. Past that the rest of the section is
dropped, so the valid sections are still saved and the row stays small. NUL, which
PostgreSQL cannot store in JSON, is left out."""

from __future__ import annotations

from typing import Any

from . import rules

#: Characters kept of one typed value: the longest field takes rules.MAX_TEXT_LENGTH.
MAX_KEPT_VALUE_CHARS = rules.MAX_TEXT_LENGTH + 1000
#: Values kept for one field name (a form posts one; a checkbox with a hidden input two).
MAX_KEPT_VALUES = 2
#: Characters kept of all sections together. Six projects with nine criteria answers of
#: rules.MAX_TEXT_LENGTH each are 270 000; ten megabytes of junk are not kept.
MAX_KEPT_INPUT_CHARS = 400_000
#: What a field name costs beyond its characters (quotes, brackets, separators in JSON).
_PER_FIELD = 8
#: Formsets need their management form to be bound at all: kept first, whatever follows.
_MANAGEMENT = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")


def with_section(kept: dict[str, Any], section: str, raw: dict[str, Any]) -> dict[str, Any]:
    """`kept` with `raw` as what is kept of `section`, cut to what there is room for
    beside the other sections."""
    others = {name: fields for name, fields in kept.items() if name != section}
    room = MAX_KEPT_INPUT_CHARS - sum(_size(fields) for fields in others.values())
    return {**others, section: _capped(raw, room)}


def _capped(raw: dict[str, Any], room: int) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for name in sorted(raw, key=lambda key: not str(key).endswith(_MANAGEMENT)):
        values = raw[name] if isinstance(raw[name], list | tuple) else [raw[name]]
        field = _clean(str(name))
        kept = [_clean(str(value))[:MAX_KEPT_VALUE_CHARS] for value in values[:MAX_KEPT_VALUES]]
        cost = _field_size(field, kept)
        if cost > room:
            break
        fields[field] = kept
        room -= cost
    return fields


def _clean(text: str) -> str:
    return text.replace("\x00", "")


def _field_size(name: str, values: list[str]) -> int:
    return len(name) + sum(len(value) + _PER_FIELD for value in values) + _PER_FIELD


def _size(fields: Any) -> int:
    if not isinstance(fields, dict):
        return 0
    return sum(_field_size(str(name), [str(v) for v in values] if isinstance(values, list)
                           else [str(values)])
               for name, values in fields.items())
