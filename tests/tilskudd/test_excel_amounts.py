"""An amount cell holding text is read by the web form's parser (tilskudd.money.parse_nok),
so a spelling the form takes the workbook takes too."""

import pytest

from tilskudd.documents import excel as xl
from tilskudd.documents.excel import CellValueError, RawCell
from tilskudd.money import parse_nok


def _text(value: str) -> RawCell:
    return RawCell("Kompetanse", 7, 4, value, "s")


@pytest.mark.parametrize("typed", [
    "12500", "12 500", "12\u00a0500", "kr 12 500", "kr. 12 500", "12 500 kr", "12 500,-",
    "12.500", "12 500,00", "  kr\u00a012\u202f500  ",
])
def test_a_text_amount_is_what_the_web_form_makes_of_it(typed):
    assert xl.parse_amount(_text(typed)) == parse_nok(typed) == 12500


@pytest.mark.parametrize(("typed", "message"), [
    ("12 500 kroner", "må være et helt tall"),
    ("1,2,3", "må være et helt tall"),
    ("12 500,50", "må være et helt tall, uten desimaler"),
    ("-12 500", "kan ikke være negativt"),
    ("kr 2 000 001", "kan ikke være over 2 000 000"),
    ("=12500", "inneholder en formel; skriv inn tallet"),
])
def test_a_text_that_is_no_whole_amount_gets_the_cells_message(typed, message):
    with pytest.raises(CellValueError) as refused:
        xl.parse_amount(_text(typed), maximum=2_000_000)
    assert refused.value.message == message


def test_kr_alone_is_nothing_typed():
    assert xl.parse_amount(_text("kr")) is None
    with pytest.raises(CellValueError) as refused:
        xl.parse_amount(_text("kr"), required=True)
    assert refused.value.message == "må fylles ut"
