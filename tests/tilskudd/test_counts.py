"""A count of people in the web forms is typed as an amount is («1 000», with a space,
a no-break space or a dot), and its limit is said grouped as amounts are («10 000»)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tilskudd.counts import CountField, parse_count

NBSP = "\u00a0"


@pytest.mark.parametrize(("typed", "count"), [
    ("1000", 1000), ("1 000", 1000), (f"1{NBSP}000", 1000), ("1\u202f000", 1000),
    ("1.000", 1000), ("  12 345  ", 12345), ("3", 3), ("-2", -2), ("", None), ("  ", None),
])
def test_a_count_is_read_as_people_type_it(typed, count):
    assert parse_count(typed) == count


@pytest.mark.parametrize("typed", ["1,5", "10 00", "1 0000", "1.000 000", "tre", "kr 3", "٣"])
def test_what_is_no_whole_number_is_refused(typed):
    with pytest.raises(ValueError):
        parse_count(typed)


@pytest.mark.parametrize(("language", "over", "negative", "invalid"), [
    ("nb", f"Tallet kan ikke være over 10{NBSP}000.", "Tallet kan ikke være negativt.",
     "Skriv et helt tall, for eksempel 3."),
    ("nn", f"Talet kan ikkje vere over 10{NBSP}000.", "Talet kan ikkje vere negativt.",
     "Skriv eit heilt tal, til dømes 3."),
    ("en", f"The number cannot be over 10{NBSP}000.", "The number cannot be negative.",
     "Enter a whole number, for example 3."),
])
def test_the_messages_say_the_limit_grouped_as_amounts_are(language, over, negative, invalid):
    field = CountField(required=False, max_value=10_000)

    with translation.override(language):
        assert field.clean("10 000") == 10_000
        messages = {}
        for typed in ("10 001", "-1", "1,5"):
            with pytest.raises(ValidationError) as refused:
                field.clean(typed)
            messages[typed] = refused.value.messages

    assert messages == {"10 001": [over], "-1": [negative], "1,5": [invalid]}
