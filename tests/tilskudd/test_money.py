"""Amounts as people type them: ASCII digits grouped the Norwegian way are read, anything
else (exponents, other scripts' digits, stray signs) gets the one message."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tilskudd.money import format_nok, nok_currency, parse_nok

NOT_A_NUMBER = "Skriv beløpet i hele kroner, med bare tall (for eksempel 60000)."


@pytest.mark.parametrize(("typed", "amount"), [
    ("60000", Decimal("60000")),
    ("60 000", Decimal("60000")),
    ("60\u00a0000", Decimal("60000")),
    ("60\u202f000", Decimal("60000")),
    ("  60  000  ", Decimal("60000")),
    ("kr 60 000", Decimal("60000")),
    ("Kr. 60 000", Decimal("60000")),
    ("kr60000", Decimal("60000")),
    ("60 000 kr", Decimal("60000")),
    ("60.000", Decimal("60000")),
    ("1.000.000", Decimal("1000000")),
    ("60 000,-", Decimal("60000")),
    ("60000,\u2013", Decimal("60000")),
    ("20 000 001", Decimal("20000001")),
    ("60 000,00", Decimal("60000.00")),
    ("12,5", Decimal("12.5")),
    ("12.5", Decimal("12.5")),
    ("1.000,50", Decimal("1000.50")),
    ("-5", Decimal("-5")),
    ("\u22125", Decimal("-5")),
    ("kr -500", Decimal("-500")),
    ("007", Decimal("7")),
    (60000, Decimal("60000")),
])
def test_what_people_type_is_read(typed, amount):
    parsed = parse_nok(typed)

    assert parsed == amount
    assert parsed.as_tuple().exponent == amount.as_tuple().exponent  # "60000", not "60000.0"


@pytest.mark.parametrize("typed", [None, "", "   ", "kr", "kr."])
def test_nothing_typed_is_none(typed):
    assert parse_nok(typed) is None


def test_a_decimal_is_taken_as_it_is():
    assert parse_nok(Decimal("12.5")) == Decimal("12.5")


@pytest.mark.parametrize("typed", [
    "1e3", "1E3", "6e4", "Infinity", "NaN", "inf",      # what Decimal() would have taken
    "\u0661\u0662\u0663",                               # Arabic-Indic 123
    "\u06f6\u06f0\u06f0\u06f0\u06f0",                   # Extended Arabic-Indic 60000
    "\uff16\uff10\uff10\uff10\uff10",                   # full-width 60000
    "\u0966\u0967",                                     # Devanagari 01
    "+5", "5-", "--5", "6-0000", "60 000-", "- -5",     # signs in odd places
    "6 0000", "60 00", "600 00 0",                      # spaces that are not groups
    "60.00.0", "6.0000.000",                            # dots that are not groups
    "abc", "60 000 kroner", "kr kr 5", "60,000,000", ",-", "1_000", "0x10",
    "1" * 41,
])
def test_anything_else_is_not_a_number(typed):
    with pytest.raises(ValidationError) as refused:
        parse_nok(typed)

    assert refused.value.messages == [NOT_A_NUMBER]
    assert refused.value.code == "not_a_number"


def test_an_amount_is_shown_the_norwegian_way():
    assert (format_nok(Decimal("60000")), format_nok(-5, prefix=False)) == (
        "kr\u00a060\u00a0000", "\u22125")


@pytest.mark.parametrize(("language", "currency"), [("nb", "kr"), ("nn", "kr"), ("en", "NOK")])
def test_the_currency_is_the_languages_and_one_given_is_used_as_it_is(language, currency):
    with translation.override(language):
        assert nok_currency() == currency
        assert format_nok(12500) == f"{currency}\xa012\xa0500"
        assert format_nok(12500, currency="EUR") == "EUR\xa012\xa0500"
        assert format_nok(-5, currency=nok_currency()) == f"{currency}\xa0−5"
