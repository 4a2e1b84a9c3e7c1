"""Dates, deadlines and amounts written the way of the active language (tilskudd/formats/,
tilskudd.money): «17. mars 2027 kl. 23:59» in bokmål and nynorsk (Django's nb and nn
formats and month names), «17 March 2027 at 23:59» in English."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from tilskudd.money import format_nok
from tilskudd.receipts import when

MOMENT = datetime(2027, 3, 17, 22, 59, tzinfo=UTC)  # 23:59 in Oslo


@pytest.mark.parametrize(("language", "expected"), [
    ("nb", "17. mars 2027 kl. 23:59"),
    ("nn", "17. mars 2027 kl. 23:59"),
    ("en", "17 March 2027 at 23:59"),
])
def test_a_moment_is_written_the_way_of_the_language(language, expected):
    moment = datetime(2027, 3, 17, 22, 59, tzinfo=UTC)  # 23:59 in Oslo

    with translation.override(language):
        assert when(moment) == expected


def test_nynorsk_month_names_come_from_djangos_nynorsk():
    with translation.override("nn"):
        assert when(datetime(2027, 1, 10, 11, 0, tzinfo=UTC)) == "10. januar 2027 kl. 12:00"
        assert when(datetime(2027, 5, 10, 11, 0, tzinfo=UTC)) == "10. mai 2027 kl. 13:00"


@pytest.mark.parametrize(("language", "expected"), [
    ("nb", "kr\u00a060\u00a0000"), ("nn", "kr\u00a060\u00a0000"), ("en", "NOK\u00a060\u00a0000"),
])
def test_an_amount_is_written_the_way_of_the_language(language, expected):
    with translation.override(language):
        assert format_nok(60000) == expected


@pytest.mark.parametrize(("language", "expected"), [
    ("nb", "17. mars 2027 kl. 23:59 / 17. mars 2027"),
    ("nn", "17. mars 2027 kl. 23:59 / 17. mars 2027"),
    ("en", "17 March 2027 at 23:59 / 17 March 2027"),
])
def test_templates_name_the_formats_instead_of_spelling_them(language, expected):
    template = Template('{{ at|date:"DATETIME_FORMAT" }} / {{ at|date:"DATE_FORMAT" }}')

    with translation.override(language):
        assert template.render(Context({"at": MOMENT})) == expected
