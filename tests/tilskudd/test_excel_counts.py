"""A count of people typed as text in an Excel cell is read as the web form reads it
(tilskudd.counts.parse_count, since 684147c): a spelling one takes the other takes, with
the same number (review of a825288)."""

import pytest
from django import forms

from tilskudd.counts import CountField
from tilskudd.documents import excel as xl
from tilskudd.documents.excel import CellValueError, RawCell


def _web(value: str) -> int | None:
    try:
        return CountField(max_value=10_000).clean(value)
    except forms.ValidationError:
        return None


def _excel(value: str) -> int | None:
    try:
        return xl.parse_whole_number(RawCell("BPA", 4, 3, value, "s"), maximum=10_000)
    except CellValueError:
        return None


@pytest.mark.parametrize(("typed", "number"), [
    ("1.000", 1000), ("1 000", 1000), ("1\u00a0000", 1000), ("1\u202f000", 1000),
    (" 12 ", 12), ("3", 3),
])
def test_a_count_typed_as_text_is_read_as_the_web_form_reads_it(typed, number):
    assert (_excel(typed), _web(typed)) == (number, number)


@pytest.mark.parametrize("typed", ["1.5", "1,5", "12 34", "tre", "+3", "١٢٣", "10 001"])
def test_what_the_web_form_refuses_the_workbook_refuses(typed):
    assert (_excel(typed), _web(typed)) == (None, None)
