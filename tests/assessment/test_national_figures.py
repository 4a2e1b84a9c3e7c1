"""The report figures the national view shows (reporting.figures, through the
tilskudd.figures registry), checked against reports made through the services in two
offices: Trøndelag (Trondheim approved, the county municipality's report never sent) and
Rogaland (Stavanger sent back for correction)."""

from datetime import timedelta
from decimal import Decimal

import pytest

from reporting import review
from reporting import services as reporting_services
from reporting.figures import report_figures
from reporting.gates import overdue_report_gate
from tests.reporting.helpers import bpa_line, competence_line, granted, ready_report
from tests.tilskudd.factories import OrganisationFactory, member
from tilskudd.figures import FigureScope, figures_for
from tilskudd.models import MembershipRole, OrganisationKind


@pytest.fixture
def reports(trondheim, open_round, budget, signatory, caseworker, approver, rogaland_org,
            rogaland_budget, rogaland_caseworker, rogaland_approver):
    application = granted(trondheim, open_round, signatory, caseworker, approver,
                          competence=[competence_line()], bpa=[bpa_line()])
    report = reporting_services.report_open(application=application, user=signatory)
    ready_report(report, signatory, used=lambda line: line.granted - 10000,
                 unused_choice="repay")
    reporting_services.report_submit(report=report, user=signatory)
    review.report_approve(report=report, user=caseworker)

    county = OrganisationFactory(kind=OrganisationKind.COUNTY_MUNICIPALITY,
                                 name="Trøndelag fylkeskommune", org_number="817920632",
                                 municipality_number=None, county=trondheim.county)
    county_signatory = member(county, MembershipRole.SIGNATORY, email="s@trfk.example.no")
    unsent = granted(county, open_round, county_signatory, caseworker, approver)
    reporting_services.report_open(application=unsent, user=county_signatory)

    stavanger_signatory = member(rogaland_org, MembershipRole.SIGNATORY,
                                 email="signatur@stavanger.example.no")
    returned = granted(rogaland_org, open_round, stavanger_signatory, rogaland_caseworker,
                       rogaland_approver)
    report = reporting_services.report_open(application=returned, user=stavanger_signatory)
    ready_report(report, stavanger_signatory)
    reporting_services.report_submit(report=report, user=stavanger_signatory)
    review.report_return(report=report, user=rogaland_caseworker, message="Mangler tall.")
    return open_round


def figures(rnd, **scope) -> dict[str, dict[str, dict]]:
    after_deadline = rnd.reporting_deadline + timedelta(days=1)
    groups = figures_for(FigureScope(round_id=rnd.pk, now=after_deadline, **scope))
    return {g.key: {row.key: dict(row.by_office) for row in g.rows} for g in groups}


def test_reports_received_approved_returned_and_overdue_per_office(
    reports, trondheim, rogaland_org
):
    # When
    found = figures(reports)["reports"]

    # Then
    tr, ro = trondheim.office.pk, rogaland_org.office.pk
    # Rogaland's report was received, returned and not sent again by the deadline: overdue
    assert found == {
        "received": {tr: 1, ro: 1}, "approved": {tr: 1, ro: 0},
        "returned": {tr: 0, ro: 1}, "overdue": {tr: 1, ro: 1},
    }


def test_education_training_and_unused_funds_come_from_approved_reports_only(
    reports, trondheim
):
    # When
    found = figures(reports)

    # Then the returned report in Rogaland counts for nothing
    tr = trondheim.office.pk
    assert found["education"]["further_master"] == {tr: 2}
    assert found["education"]["upper_secondary"] == {}
    assert found["bpa"]["work_leader"] == {tr: 2}
    assert found["unused"] == {"transfer": {}, "repay": {tr: Decimal(20000)}}


def test_the_scope_narrows_the_report_figures(reports, trondheim, rogaland_org):
    only_rogaland = figures(reports, office_ids=(rogaland_org.office.pk,))
    county_kind = figures(reports, organisation_kind=OrganisationKind.COUNTY_MUNICIPALITY)

    assert only_rogaland["reports"]["received"] == {rogaland_org.office.pk: 1}
    assert county_kind["reports"]["overdue"] == {trondheim.office.pk: 1}
    assert county_kind["reports"]["received"] == {trondheim.office.pk: 0}


def never_opened(trondheim, rnd, caseworker, approver, name="Malvik kommune", number="5031",
                 **organisation):
    """A grant in Trøndelag whose report nobody has opened."""
    malvik = OrganisationFactory(name=name, org_number="", municipality_number=number,
                                 county=trondheim.county, **organisation)
    signatory = member(malvik, MembershipRole.SIGNATORY, email=f"s@{number}.example.no")
    granted(malvik, rnd, signatory, caseworker, approver)
    return malvik


def test_a_grant_whose_report_was_never_opened_is_overdue_as_the_gate_says(
    reports, trondheim, rogaland_org, caseworker, approver,
):
    # Given Malvik's grant, its report never opened
    malvik = never_opened(trondheim, reports, caseworker, approver)
    after_deadline = reports.reporting_deadline + timedelta(days=1)

    # When
    found = figures(reports)["reports"]
    in_time = figures_for(FigureScope(round_id=reports.pk, now=reports.reporting_deadline))

    # Then Trøndelag has two overdue: the county municipality's draft and Malvik's grant,
    # the one the gate stops Malvik for
    tr, ro = trondheim.office.pk, rogaland_org.office.pk
    assert len(overdue_report_gate(malvik, None, after_deadline)) == 1
    assert found["overdue"] == {tr: 2, ro: 1}
    assert found["received"] == {tr: 1, ro: 1}
    reports_in_time = next(group for group in in_time if group.key == "reports")
    assert next(row for row in reports_in_time.rows if row.key == "overdue").by_office == {
        tr: 0, ro: 0}


def test_the_scope_narrows_the_grants_never_reported_on_too(
    reports, trondheim, rogaland_org, caseworker, approver,
):
    never_opened(trondheim, reports, caseworker, approver)
    never_opened(trondheim, reports, caseworker, approver, name="Frøya kommune",
                 number="5014", is_rural_district=True)
    tr, ro = trondheim.office.pk, rogaland_org.office.pk

    assert figures(reports)["reports"]["overdue"] == {tr: 3, ro: 1}
    assert figures(reports, office_ids=(ro,))["reports"]["overdue"] == {ro: 1}
    assert figures(reports, organisation_kind=OrganisationKind.COUNTY_MUNICIPALITY)[
        "reports"]["overdue"] == {tr: 1}
    assert figures(reports, rural_district=True)["reports"]["overdue"] == {tr: 1}
    assert figures(reports, rural_district=False)["reports"]["overdue"] == {tr: 2, ro: 1}


def test_the_report_figures_take_the_same_queries_for_one_grant_never_reported_or_three(
    reports, trondheim, caseworker, approver, django_assert_num_queries,
):
    scope = FigureScope(round_id=reports.pk, now=reports.reporting_deadline + timedelta(days=1))
    never_opened(trondheim, reports, caseworker, approver)
    # the report figures (four) and the grants never reported on (three:
    # reporting.selectors.overdue_without_report)
    with django_assert_num_queries(7):
        report_figures(scope)
    never_opened(trondheim, reports, caseworker, approver, name="Frøya kommune",
                 number="5014")
    never_opened(trondheim, reports, caseworker, approver, name="Hitra kommune",
                 number="5056")

    with django_assert_num_queries(7):
        groups = report_figures(scope)

    assert groups[0].rows[3].for_office(trondheim.office.pk) == 4
