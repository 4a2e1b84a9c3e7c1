from collections import Counter

import pytest

from tilskudd.models import County, Office, Organisation, OrganisationKind
from tilskudd.seeding import load_reference_data, municipality_organisation_name

# DOMAIN.md: the ten offices and their counties (2024 structure).
OFFICE_COUNTIES = {
    "Statsforvalteren i Agder": {"42"},
    "Statsforvalteren i Innlandet": {"34"},
    "Statsforvalteren i Møre og Romsdal": {"15"},
    "Statsforvalteren i Nordland": {"18"},
    "Statsforvalteren i Østfold, Buskerud, Oslo og Akershus": {"31", "33", "03", "32"},
    "Statsforvalteren i Rogaland": {"11"},
    "Statsforvalteren i Troms og Finnmark": {"55", "56"},
    "Statsforvalteren i Trøndelag": {"50"},
    "Statsforvalteren i Vestfold og Telemark": {"39", "40"},
    "Statsforvalteren i Vestland": {"46"},
}

# SSB classification 131, 2024: municipalities per county.
MUNICIPALITIES_PER_COUNTY = {
    "03": 1, "11": 23, "15": 27, "18": 41, "31": 12, "32": 21, "33": 18, "34": 46,
    "39": 6, "40": 17, "42": 25, "46": 43, "50": 38, "55": 21, "56": 18,
}


def test_reference_data_has_every_office_county_and_organisation(reference_data):
    assert reference_data.offices == 10
    assert reference_data.counties == 15
    assert reference_data.municipalities == 357
    assert reference_data.county_municipalities == 14  # Oslo kommune is Oslo's


def test_each_county_belongs_to_the_office_named_in_the_domain(reference_data):
    actual = {
        office.name: {c.number for c in office.counties.all()}
        for office in Office.objects.prefetch_related("counties")
    }
    assert actual == OFFICE_COUNTIES


def test_every_municipality_number_starts_with_its_county_number(reference_data):
    municipalities = Organisation.objects.filter(
        kind=OrganisationKind.MUNICIPALITY
    ).select_related("county")
    wrong = [m for m in municipalities if not m.municipality_number.startswith(m.county.number)]
    assert wrong == []
    counts = Counter(m.county.number for m in municipalities)
    assert counts == MUNICIPALITIES_PER_COUNTY


def test_well_known_municipalities_have_their_2024_numbers(reference_data):
    by_number = dict(
        Organisation.objects.filter(
            municipality_number__in=["5001", "0301", "3203", "4601", "1508", "1580"]
        ).values_list("municipality_number", "name")
    )
    assert by_number == {
        "5001": "Trondheim - Tråante kommune",
        "0301": "Oslo kommune",
        "3203": "Asker kommune",
        "4601": "Bergen kommune",
        "1508": "Ålesund kommune",
        "1580": "Haram kommune",
    }
    trondheim = Organisation.objects.get(municipality_number="5001")
    assert trondheim.office.name == "Statsforvalteren i Trøndelag"
    assert trondheim.org_number == "942110464"


def test_every_county_but_oslo_has_exactly_one_county_municipality(reference_data):
    counts = Counter(
        Organisation.objects.filter(kind=OrganisationKind.COUNTY_MUNICIPALITY).values_list(
            "county__number", flat=True
        )
    )
    assert counts == Counter({number: 1 for number in MUNICIPALITIES_PER_COUNTY
                              if number != "03"})


def test_loading_twice_changes_nothing(reference_data):
    before = list(Organisation.objects.order_by("pk").values_list("pk", "name", "county_id"))
    again = load_reference_data()
    after = list(Organisation.objects.order_by("pk").values_list("pk", "name", "county_id"))
    assert again == reference_data
    assert after == before
    assert County.objects.count() == 15


@pytest.mark.parametrize(
    ("ssb_name", "expected"),
    [
        ("Trondheim - Tråante", "Trondheim - Tråante kommune"),
        ("Herøy (Nordland)", "Herøy kommune (Nordland)"),
        ("Asker", "Asker kommune"),
    ],
)
def test_municipality_organisation_name(ssb_name, expected):
    assert municipality_organisation_name(ssb_name) == expected
