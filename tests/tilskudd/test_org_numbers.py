"""The organisation numbers of municipalities and county municipalities come from
fixtures/organisation_numbers_2024.csv (sources in the README): loaded where empty, checked
with mod-11, never overwriting a number someone set, and the same on a second run."""

import csv

from stdnum.no import orgnr

from tilskudd.models import Organisation, OrganisationKind
from tilskudd.seeding import FIXTURES, load_organisation_numbers, load_reference_data

CSV = FIXTURES / "organisation_numbers_2024.csv"


def _rows() -> list[dict[str, str]]:
    with CSV.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_fixture_has_every_municipality_and_county_municipality_once():
    rows = _rows()

    kinds = [(row["kind"], row["number"]) for row in rows]
    assert len(kinds) == len(set(kinds)) == 357 + 14
    assert sum(row["kind"] == "municipality" for row in rows) == 357
    assert sum(row["kind"] == "county_municipality" for row in rows) == 14  # no Oslo row


def test_every_number_in_the_fixture_passes_mod_11_and_says_where_it_came_from():
    filled = [row for row in _rows() if row["org_number"]]

    assert [row["org_number"] for row in filled if not orgnr.is_valid(row["org_number"])] == []
    assert [row["number"] for row in filled if not row["source"]] == []
    numbers = [row["org_number"] for row in filled]
    assert len(numbers) == len(set(numbers)) == 355 + 14


def test_reference_data_fills_the_numbers_the_fixture_has(reference_data):
    expected = {
        (row["kind"], row["number"]): row["org_number"] for row in _rows()
    }
    actual = {
        (org.kind, org.municipality_number or org.county.number): org.org_number
        for org in Organisation.objects.filter(
            kind__in=[OrganisationKind.MUNICIPALITY, OrganisationKind.COUNTY_MUNICIPALITY]
        ).select_related("county")
    }

    assert actual == expected
    assert actual[("municipality", "5001")] == "942110464"
    assert actual[("municipality", "1508")] == ""  # Ålesund: split in 2024, not verified
    assert actual[("municipality", "1580")] == ""  # Haram: a new entity in 2024


def test_oslos_number_is_on_oslo_kommune_only(reference_data):
    oslo = Organisation.objects.get(municipality_number="0301")

    assert oslo.org_number == "958935420"
    assert Organisation.objects.filter(org_number="958935420").count() == 1
    # Oslo kommune is Oslo's county municipality too: no second, county-level row
    assert list(Organisation.objects.filter(county__number="03")) == [oslo]


def test_loading_again_changes_nothing(reference_data):
    before = dict(Organisation.objects.values_list("pk", "org_number"))

    filled = load_organisation_numbers()
    load_reference_data()

    assert filled == 0
    assert dict(Organisation.objects.values_list("pk", "org_number")) == before


def test_a_number_set_by_hand_is_kept_and_a_taken_number_is_not_given_twice(reference_data):
    # Given Bergen's number typed on Stavanger by hand, and Bergen's cleared
    Organisation.objects.filter(municipality_number="4601").update(org_number="")
    Organisation.objects.filter(municipality_number="1103").update(org_number="964338531")

    # When the numbers are loaded again
    filled = load_organisation_numbers()

    # Then Stavanger keeps what was typed and Bergen stays empty rather than share it
    assert filled == 0
    numbers = dict(Organisation.objects.filter(
        municipality_number__in=["1103", "4601"]).values_list("municipality_number",
                                                               "org_number"))
    assert numbers == {"1103": "964338531", "4601": ""}


def test_an_emptied_number_is_filled_again(reference_data):
    Organisation.objects.filter(municipality_number="4601").update(org_number="")

    filled = load_organisation_numbers()

    assert filled == 1
    assert Organisation.objects.get(municipality_number="4601").org_number == "964338531"
