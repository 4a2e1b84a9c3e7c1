import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.tilskudd.factories import CountyFactory, OrganisationFactory, UserFactory
from tilskudd.models import Organisation, OrganisationKind
from tilskudd.validators import validate_org_number


@pytest.mark.parametrize("number", ["942110464", "958935420", "964338531"])
def test_valid_org_numbers_pass(number):
    validate_org_number(number)


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("942110465", "org_number_checksum"),
        ("123456789", "org_number_checksum"),
        ("94211046", "org_number_format"),
        ("94211046X", "org_number_format"),
    ],
)
def test_invalid_org_numbers_are_refused_with_a_reason(number, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_org_number(number)
    assert excinfo.value.code == code


@pytest.mark.django_db
def test_municipality_number_must_start_with_county_number():
    county = CountyFactory()
    org = Organisation(
        kind=OrganisationKind.MUNICIPALITY, name="Feil kommune", municipality_number="4601",
        county=county,
    )
    with pytest.raises(ValidationError) as excinfo:
        org.full_clean()
    assert "municipality_number" in excinfo.value.message_dict


@pytest.mark.django_db
def test_a_bad_org_number_is_a_form_error_next_to_the_field(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    org = OrganisationFactory()
    client.force_login(admin)
    url = reverse("admin:tilskudd_organisation_change", args=[org.pk])

    response = client.post(
        url,
        {
            "kind": org.kind, "name": org.name, "org_number": "942110465",
            "municipality_number": org.municipality_number, "county": org.county_id,
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["org_number"] == [
        "Organisasjonsnummeret 942110465 har feil kontrollsiffer."
    ]
    org.refresh_from_db()
    assert org.org_number == "942110464"


@pytest.mark.django_db
def test_org_number_typed_with_spaces_is_stored_compact():
    org = OrganisationFactory.build(org_number="942 110 464", county=CountyFactory())
    org.full_clean()
    assert org.org_number == "942110464"
