"""The caseworkers' lists as they were made quick (issue 15): the rows rendered a row at a
time (assessment/templatetags/admin_rows.py) are the markup Django's admin renders, the row
checkbox is Django's, the county filter offers the office's own counties, and the withdrawn
list and the pot list read their figures in a fixed number of queries."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.contrib.admin.templatetags.admin_list import admin_list_filter, results
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from applications import services as application_services
from assessment import services
from assessment.admin import SubmittedApplicationAdmin
from assessment.admin_list import ListRow
from assessment.cases import submitted_applications
from assessment.models import Acceptance, AllocationLetter, LetterKind, SubmittedApplication
from assessment.pot import pot_summary
from assessment.templatetags.admin_rows import _columns, admin_filter, rows
from tests.tilskudd.factories import CountyFactory, UserFactory, member
from tilskudd.documents.jobs import DocumentStatus
from tilskudd.models import MembershipRole, Organisation, OrganisationKind

from .helpers import assess, decide, recommend, submit

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:assessment_submittedapplication_changelist"
POTS = "admin:assessment_pot_changelist"


def _organisation(trondheim, name: str):
    organisation = Organisation.objects.create(
        kind=OrganisationKind.INTER_MUNICIPAL_COMPANY, name=name, county=trondheim.county)
    return organisation, member(organisation, MembershipRole.SIGNATORY)


def _withdraw(application, signatory, reason="Vi søker sammen med nabokommunen."):
    application_services.application_withdraw(application=application, user=signatory,
                                              reason=reason)


@pytest.fixture
def cases(trondheim, open_round, budget, signatory, caseworker, approver):
    """Four applications of the office: one not started, one recommended, one granted and
    accepted (with a «<» in its name, to be escaped), and one withdrawn."""
    not_started = submit(trondheim, open_round, signatory)
    recommended_org, recommended_signatory = _organisation(trondheim, "Værnes IKS")
    recommended = submit(recommended_org, open_round, recommended_signatory)
    recommend(recommended, caseworker, amount=lambda la: Decimal("45000"))
    granted_org, granted_signatory = _organisation(trondheim, "Helse <Nord> & Co IKS")
    granted = submit(granted_org, open_round, granted_signatory)
    assessment = decide(granted, caseworker, approver)
    letter = AllocationLetter.objects.create(
        assessment=assessment, version=1, kind=LetterKind.GRANT, created_by=caseworker,
        status=DocumentStatus.READY)
    Acceptance.objects.create(assessment=assessment, letter=letter,
                              accepted_by=granted_signatory, accepted_name="Kari")
    withdrawn_org, withdrawn_signatory = _organisation(trondheim, "Trukket IKS")
    withdrawn = submit(withdrawn_org, open_round, withdrawn_signatory)
    _withdraw(withdrawn, withdrawn_signatory)
    return {"not_started": not_started, "recommended": recommended, "granted": granted,
            "withdrawn": withdrawn}


@pytest.mark.parametrize("params", [
    {},
    {"o": "-1", "case": "not_started", "q": "Trondheim"},  # sorted, filtered: preserved filters
    {"o": "5.2", "outcome": "granted"},
    {"trukket": "ja"},
])
@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_rows_are_the_markup_django_renders(client, cases, caseworker, params, language):
    client.force_login(caseworker)

    with translation.override(language):
        response = client.get(reverse(CHANGELIST), params, headers={"accept-language": language})
        cl = response.context["cl"]
        ours = rows(cl, _columns(cl))  # from the page's values (its cells)
        django_rows = ["".join(items) for items in results(cl)]  # from its model instances
    assert response.status_code == 200
    assert all(isinstance(row, ListRow) for row in cl.result_list.rows)
    assert not any(isinstance(row, ListRow) for row in cl.result_list)
    assert len(ours) == len(cl.result_list) >= 1
    assert ours == django_rows
    text = response.content.decode()
    assert all(f"<tr>{row}</tr>" in text for row in ours)
    currency, applied = {"nb": ("kr", "Søkt"), "nn": ("kr", "Søkt"),
                         "en": ("NOK", "Applied for")}[language]
    assert all(f"{applied} {currency}\xa0" in row for row in ours)


def test_the_rows_escape_the_names_and_link_to_the_case_keeping_the_filters(
    client, cases, caseworker
):
    client.force_login(caseworker)
    granted = cases["granted"]

    text = client.get(reverse(CHANGELIST), {"outcome": "granted"}).content.decode()

    change = reverse("admin:assessment_submittedapplication_change", args=[granted.pk])
    reference = granted.submissions.get().reference
    assert (f'<th class="field-reference_display"><a href="{change}?_changelist_filters='
            f'outcome%3Dgranted"><span class="nowrap">{reference}</span></a></th>') in text
    assert "Helse &lt;Nord&gt; &amp; Co IKS" in text
    assert "Helse <Nord>" not in text


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_row_checkbox_is_djangos(cases, language):
    model_admin = SubmittedApplicationAdmin(SubmittedApplication, admin.site)
    row = SubmittedApplication.objects.get(pk=cases["granted"].pk)

    with translation.override(language):
        ours = model_admin.action_checkbox(row)
        djangos = ModelAdmin.action_checkbox(model_admin, row)
        [listed] = model_admin.list_rows(RequestFactory().get("/"),
                                         submitted_applications().filter(pk=row.pk))
        from_values = model_admin.action_checkbox(listed)

    assert ours == from_values == djangos
    assert isinstance(listed, ListRow)
    assert f'name="_selected_action" value="{row.pk}" class="action-select"' in ours


def test_the_county_filter_offers_the_own_offices_counties(
    client, trondheim, cases, caseworker, rogaland_application
):
    other_county = CountyFactory(office=trondheim.office, number="99", name="Nabofylket")
    client.force_login(caseworker)

    response = client.get(reverse(CHANGELIST), {"organisation__county__id__exact":
                                                 str(other_county.pk)})
    everything = client.get(reverse(CHANGELIST))

    assert response.status_code == 200, response.get("Location")

    spec = next(f for f in everything.context["cl"].filter_specs
                if f.parameter_name == "organisation__county__id__exact")
    assert [label for _, label in spec.lookup_choices] == sorted(
        [str(trondheim.county), str(other_county)])
    assert list(response.context["cl"].result_list) == []
    assert len(everything.context["cl"].result_list) == 3


def _queries(client, url, params) -> tuple[int, object]:
    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), response


def test_the_withdrawn_list_takes_as_many_queries_for_12_as_for_2(
    client, trondheim, open_round, budget, caseworker
):
    def withdraw(count, start):
        for i in range(start, start + count):
            organisation, signatory = _organisation(trondheim, f"Selskap {i:02d} IKS")
            _withdraw(submit(organisation, open_round, signatory), signatory,
                      reason=f"Grunn {i:02d}")

    withdraw(2, 0)
    client.force_login(caseworker)
    few, _ = _queries(client, reverse(CHANGELIST), {"trukket": "ja"})
    withdraw(10, 2)
    many, response = _queries(client, reverse(CHANGELIST), {"trukket": "ja"})

    assert many == few
    text = response.content.decode()
    assert all(f"Grunn {i:02d}" in text for i in range(12))
    assert len(response.context["cl"].result_list) == 12


def test_the_withdrawn_list_shows_the_last_withdrawal(
    client, application, signatory, caseworker
):
    _withdraw(application, signatory, reason="Første gang.")
    application_services.application_submit(application=application, user=signatory)
    _withdraw(application, signatory, reason="Andre gang.")
    last = application.submissions.order_by("-withdrawn_at").first()
    client.force_login(caseworker)

    text = client.get(reverse(CHANGELIST), {"trukket": "ja"}).content.decode()

    assert "Andre gang." in text and "Første gang." not in text
    assert last.reference in text


def test_the_pot_list_adds_up_as_the_pot_page_in_a_fixed_number_of_queries(
    client, trondheim, open_round, budget, signatory, caseworker, approver
):
    """Recommended (waiting for approval) and approved from the cases' stored totals; a
    case still being assessed counts in neither."""
    client.force_login(caseworker)
    few, _ = _queries(client, reverse(POTS), {})
    recommend(submit(trondheim, open_round, signatory), caseworker,
              amount=lambda la: Decimal("45000"))
    for name in ["Værnes IKS", "Stjørdal IKS"]:
        organisation, org_signatory = _organisation(trondheim, name)
        decide(submit(organisation, open_round, org_signatory), caseworker, approver,
               amount=lambda la: Decimal("50000"))
    organisation, org_signatory = _organisation(trondheim, "Under arbeid IKS")
    started = services.assessment_open(
        application=submit(organisation, open_round, org_signatory), user=caseworker)
    assess(started, caseworker, amount=lambda la: Decimal("30000"))

    many, response = _queries(client, reverse(POTS), {})

    [row] = response.context["cl"].result_list
    summary = pot_summary(budget)
    assert (row.recommended_sum, row.approved_sum) == (Decimal("45000"), Decimal("100000"))
    assert (row.recommended_sum, row.approved_sum) == (summary.recommended, summary.approved)
    assert row.earmarked_sum == summary.earmarked == Decimal("415000")
    assert many == few


def test_the_directorate_sees_the_same_rows_as_django_renders(client, cases, rogaland_application):
    client.force_login(UserFactory(is_staff=True, is_directorate=True))

    response = client.get(reverse(CHANGELIST))

    cl = response.context["cl"]
    assert rows(cl, _columns(cl)) == [
        "".join(items) for items in results(cl)]
    assert len(cl.result_list) == 4


@pytest.mark.parametrize("params", [{}, {"o": "-1"}, {"o": "5"}, {"case": "decided"}])
def test_the_directorates_list_takes_as_many_queries_for_500_as_for_10(
    client, trondheim, open_round, budget, caseworker, approver, params
):
    from .test_admin import _bulk_applications

    client.force_login(UserFactory(is_staff=True, is_directorate=True))
    _bulk_applications(10, county=trondheim.county, rnd=open_round, caseworker=caseworker,
                       approver=approver)
    few, _ = _queries(client, reverse(CHANGELIST), params)
    _bulk_applications(490, county=trondheim.county, rnd=open_round, caseworker=caseworker,
                       approver=approver, start=10)
    many, response = _queries(client, reverse(CHANGELIST), params)

    assert many == few
    assert len(response.context["cl"].result_list) == 50
    assert response.context["cl"].full_result_count is None


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
@pytest.mark.parametrize("params", [
    {},
    {"case": "not_started", "organisation__is_rural_district__exact": "0"},  # selected ones
    {"q": "Helse <Nord>", "o": "-1"},  # a search with a «<» in every filter's links
    {"trukket": "ja"},
])
def test_the_filters_are_the_markup_django_renders(client, cases, caseworker, language, params):
    client.force_login(caseworker)

    with translation.override(language):
        response = client.get(reverse(CHANGELIST), params, headers={"accept-language": language})
        cl = response.context["cl"]
        djangos = [admin_list_filter(cl, spec) for spec in cl.filter_specs]
        ours = [admin_filter(cl, spec) for spec in cl.filter_specs]

    assert response.status_code == 200
    assert len(ours) == 10
    assert ours == djangos
    text = response.content.decode()
    assert "".join(ours) in text
    assert any('class="selected"' in f for f in ours)


def test_a_row_from_values_says_what_its_application_and_case_say(cases):
    """ListRow restates Application.__str__, Assessment.is_decided and is_grant and the
    caseworker's User.__str__: held to the models for a case at every stage."""
    model_admin = SubmittedApplicationAdmin(SubmittedApplication, admin.site)
    rows = {row.pk: row for row in model_admin.list_rows(RequestFactory().get("/"),
                                                         submitted_applications())}
    stages = set()
    for application in SubmittedApplication.objects.filter(pk__in=rows):
        row = rows[application.pk]
        case = getattr(application, "assessment", None)
        assert isinstance(row, ListRow)
        assert str(row) == str(application)
        assert row.has_assessment is (case is not None)
        assert row.is_decided is bool(case and case.is_decided)
        assert row.is_grant is bool(case and case.is_grant)
        assert row.assigned_to == (str(case.assigned_to) if case and case.assigned_to else None)
        stages.add((row.has_assessment, row.is_decided, row.is_grant, row.is_withdrawn))
    assert len(stages) >= 3  # no case, a case not decided, a grant
