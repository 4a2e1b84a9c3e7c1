"""The national view's figures (assessment.national.selectors), checked against
hand-made data across two offices: Trøndelag (Trondheim, a rural district, decided and
accepted; a county municipality's draft) and Rogaland (Stavanger, recommended only)."""

from decimal import Decimal

import pytest

from applications import services as application_services
from assessment import services
from assessment.models import Part
from assessment.national.selectors import Filters, OfficeFigures, national_view
from tests.tilskudd.factories import OrganisationFactory, RoundFactory, member
from tilskudd.models import MembershipRole, OrganisationKind

from .helpers import bpa, decide, project, recommend, submit

TRONDHEIM_AMOUNTS = {Part.COMPETENCE: Decimal(50000), Part.BPA: Decimal(30000),
                     Part.PROJECTS: Decimal(200000)}
STAVANGER_AMOUNTS = {Part.COMPETENCE: Decimal(40000), Part.PROJECTS: Decimal(100000)}


@pytest.fixture(name="two_offices")
def two_offices_fixture(trondheim, open_round, budget, signatory, editor, caseworker, approver,
                rogaland_org, rogaland_budget, rogaland_caseworker, rogaland_approver,
                django_capture_on_commit_callbacks):
    trondheim.is_rural_district = True
    trondheim.save()
    granted = submit(trondheim, open_round, signatory, bpa_lines=[bpa()],
                     projects=[project(topic="respite")])
    case = decide(granted, caseworker, approver, lambda la: TRONDHEIM_AMOUNTS[la.part])
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.letter_generate(assessment=case, user=caseworker)
    letter.refresh_from_db()
    services.grant_accept(assessment=case, user=signatory, letter=letter)
    county = OrganisationFactory(kind=OrganisationKind.COUNTY_MUNICIPALITY,
                                 name="Trøndelag fylkeskommune", org_number="817920632",
                                 municipality_number=None, county=trondheim.county)
    application_services.application_start(
        organisation=county, round=open_round,
        user=member(county, MembershipRole.SIGNATORY, email="signatur@trfk.example.no"))
    stavanger_signatory = member(rogaland_org, MembershipRole.SIGNATORY,
                                 email="signatur@stavanger.example.no")
    recommended = submit(rogaland_org, open_round, stavanger_signatory,
                         projects=[project(amount="100000")])
    recommend(recommended, rogaland_caseworker, lambda la: STAVANGER_AMOUNTS[la.part])
    return open_round


def by_office(view) -> dict[str, OfficeFigures]:
    return {figures.office.code: figures for figures in view.offices}


def test_each_office_has_its_pot_earmarks_and_amounts_per_part(two_offices):
    # When
    offices = by_office(national_view(Filters(round=two_offices)))

    # Then
    trondelag, rogaland = offices["trondelag"], offices["rogaland"]
    assert (trondelag.pot, dict(trondelag.earmarks)) == (Decimal(30667000),
                                                         {"respite": Decimal(415000)})
    assert [trondelag.applied[p] for p in Part.values] == [60000, 30000, 250000]
    assert [trondelag.recommended[p] for p in Part.values] == [50000, 30000, 200000]
    assert [trondelag.granted[p] for p in Part.values] == [50000, 30000, 200000]
    assert (trondelag.earmark_applied["respite"], trondelag.earmark_recommended["respite"],
            trondelag.earmark_granted["respite"]) == (250000, 200000, 200000)
    assert (rogaland.pot, dict(rogaland.earmarks)) == (Decimal(32100000), {})
    assert [rogaland.applied[p] for p in Part.values] == [60000, 0, 100000]
    assert [rogaland.recommended[p] for p in Part.values] == [40000, 0, 100000]
    assert [rogaland.granted[p] for p in Part.values] == [0, 0, 0]


def test_each_office_counts_applications_by_status_and_kind_municipalities_and_acceptance(
    two_offices,
):
    # When
    offices = by_office(national_view(Filters(round=two_offices)))

    # Then
    trondelag, rogaland = offices["trondelag"], offices["rogaland"]
    assert dict(trondelag.statuses) == {"partly_granted": 1, "draft": 1}
    assert dict(rogaland.statuses) == {"recommended": 1}
    assert (dict(trondelag.kinds), dict(rogaland.kinds)) == (
        {OrganisationKind.MUNICIPALITY: 1}, {OrganisationKind.MUNICIPALITY: 1})
    assert (trondelag.applications, rogaland.applications) == (1, 1)
    assert (trondelag.municipalities, trondelag.municipalities_applied) == (1, 1)
    assert (rogaland.municipalities, rogaland.municipalities_applied) == (1, 1)
    assert (trondelag.grants, trondelag.accepted, trondelag.acceptance_share) == (1, 1, 1.0)
    assert (rogaland.grants, rogaland.accepted, rogaland.acceptance_share) == (0, 0, None)


def test_the_national_totals_are_the_sum_of_the_offices(two_offices):
    # When
    view = national_view(Filters(round=two_offices))

    # Then
    total = view.total
    assert total.pot == Decimal(30667000 + 32100000)
    assert [total.applied[p] for p in Part.values] == [120000, 30000, 350000]
    assert [total.recommended[p] for p in Part.values] == [90000, 30000, 300000]
    assert [total.granted[p] for p in Part.values] == [50000, 30000, 200000]
    for name in ("pot", "applied_total", "recommended_total", "granted_total", "earmarked",
                 "applications", "municipalities", "municipalities_applied", "grants",
                 "accepted"):
        assert getattr(total, name) == sum(getattr(o, name) for o in view.offices), name
    assert dict(total.statuses) == {"partly_granted": 1, "draft": 1, "recommended": 1}
    assert total.municipality_share == 1.0


def test_one_office_kind_and_rural_filters_narrow_the_figures(two_offices, trondheim):
    # When
    office_only = national_view(Filters(round=two_offices, office=trondheim.office))
    rural = national_view(Filters(round=two_offices, rural_district=True))
    county_kind = national_view(Filters(
        round=two_offices, organisation_kind=OrganisationKind.COUNTY_MUNICIPALITY))

    # Then
    assert [o.office.code for o in office_only.offices] == ["trondelag"]
    assert office_only.total.granted_total == Decimal(280000)
    assert rural.total.applied_total == Decimal(340000)
    assert by_office(rural)["rogaland"].applied_total == 0
    assert dict(county_kind.total.statuses) == {"draft": 1}
    assert county_kind.total.applied_total == 0


def test_a_previous_round_of_the_scheme_is_compared(two_offices, budget):
    # Given an earlier round with nothing in it
    before = RoundFactory(scheme=two_offices.scheme, year=two_offices.year - 1)

    # When
    view = national_view(Filters(round=two_offices))

    # Then
    assert view.previous is not None
    assert view.previous.round == before
    assert view.previous.total.applied_total == 0
    assert national_view(Filters(round=before)).previous is None
