"""The application's counts of people (employees on a competence line, persons on a BPA
line) are typed as its amounts are, «1 000» too, and their limit is said grouped."""

import pytest

from applications.forms import BpaLineForm, CompetenceLineForm

COMPETENCE = {"education_type": "further_master", "description": "Videreutdanning",
              "employees": "3", "amount": "60 000", "is_mental_health": "on"}


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["1 000", "1\u00a0000", "1.000"])
def test_a_grouped_count_is_taken_as_a_grouped_amount_is(typed):
    competence = CompetenceLineForm(data={**COMPETENCE, "employees": typed})
    bpa = BpaLineForm(data={"role": "work_leader", "persons": typed, "amount": "60 000"})

    assert competence.is_valid(), competence.errors
    assert bpa.is_valid(), bpa.errors
    assert (competence.cleaned_data["employees"], bpa.cleaned_data["persons"]) == (1000, 1000)


@pytest.mark.django_db
def test_a_count_over_the_limit_says_the_limit_grouped():
    form = CompetenceLineForm(data={**COMPETENCE, "employees": "10 001"})

    assert not form.is_valid()
    assert form.errors["employees"] == ["Tallet kan ikke være over 10\u00a0000."]
