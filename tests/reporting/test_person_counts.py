"""The report's counts of people are typed as its amounts are, «1 000» too, and their limit
is said grouped."""

import pytest

from reporting.forms import BpaForm


@pytest.fixture
def bpa_line(report):
    return report.bpa_lines.get()


@pytest.mark.parametrize("typed", ["1 000", "1\u00a0000", "1.000"])
def test_a_grouped_count_is_taken_as_a_grouped_amount_is(bpa_line, typed):
    form = BpaForm(data={"bpa-trained": typed, "bpa-amount_used": "60 000"}, line=bpa_line,
                   prefix="bpa")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["trained"] == 1000


def test_a_count_over_the_limit_says_the_limit_grouped(bpa_line):
    form = BpaForm(data={"bpa-trained": "10 001"}, line=bpa_line, prefix="bpa")

    assert not form.is_valid()
    assert form.errors["trained"] == ["Tallet kan ikke være over 10\u00a0000."]
