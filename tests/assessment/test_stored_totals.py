"""The caseworkers' list reads stored totals and markers (issue 15): the services that
change amounts keep them equal to what the lines give, the data migrations fill them for
rows made before, and the list's query has no subquery per row."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import services as application_services
from applications.models import Application, BpaLine, CompetenceLine, Project
from assessment import services
from assessment.cases import submitted_applications
from assessment.models import Assessment, AssessmentStatus, LineAssessment

from .helpers import assess, bpa, competence, header, project, submit
from .test_admin import CHANGELIST, _bulk_applications

pytestmark = pytest.mark.django_db

ZERO = Decimal(0)
MARKERS = ("has_mental_health", "has_decentralised", "has_supported_programme", "has_projects")


def computed(application) -> dict:
    """What the list shows, computed from the lines as the correlated subqueries did."""
    applied = sum(
        (model.objects.filter(application=application).aggregate(s=Sum("amount"))["s"] or ZERO
         for model in (CompetenceLine, BpaLine, Project)), ZERO)
    lines = LineAssessment.objects.filter(assessment__application=application)
    competence_lines = CompetenceLine.objects.filter(application=application)
    return {
        "applied_total": applied,
        "recommended_total": lines.aggregate(s=Sum("recommended"))["s"] or ZERO,
        "granted_total": lines.filter(assessment__status=AssessmentStatus.DECIDED)
        .aggregate(s=Sum("granted"))["s"] or ZERO,
        "has_mental_health": competence_lines.filter(is_mental_health=True).exists(),
        "has_decentralised": competence_lines.filter(is_decentralised=True).exists(),
        "has_supported_programme": competence_lines.filter(in_supported_programme=True).exists(),
        "has_projects": Project.objects.filter(application=application).exists(),
    }


def stored(application) -> dict:
    """What the list reads: the stored columns, through the list's own queryset."""
    row = submitted_applications(Application.objects.filter(pk=application.pk)).get()
    fields = ("applied_total", "recommended_total", "granted_total", *MARKERS)
    return {name: getattr(row, name) for name in fields}


def test_the_stored_totals_equal_the_computed_after_every_service_that_changes_amounts(
    trondheim, open_round, budget, signatory, caseworker, approver
):
    application = submit(
        trondheim, open_round, signatory,
        competence_lines=[competence("60000", is_decentralised=True)],
        bpa_lines=[bpa("30000")], projects=[project("250000", topic="culture")],
    )
    assert stored(application) == computed(application)
    assert stored(application)["applied_total"] == Decimal("340000")
    assert [stored(application)[m] for m in MARKERS] == [True, True, False, True]

    case = services.assessment_open(application=application, user=caseworker)
    assert stored(application) == computed(application)

    assess(case, caseworker, amount=lambda la: la.applied - 10000)
    assert stored(application) == computed(application)
    assert stored(application)["recommended_total"] == Decimal("310000")

    assess(case, caseworker, amount=lambda la: la.applied // 2)  # the amounts changed again
    assert stored(application) == computed(application)
    assert stored(application)["recommended_total"] == Decimal("170000")
    assert stored(application)["granted_total"] == ZERO

    case = services.assessment_recommend(assessment=case, user=caseworker)
    assert stored(application) == computed(application)

    services.assessment_approve(assessment=case, user=approver)
    assert stored(application) == computed(application)
    assert stored(application)["granted_total"] == Decimal("170000")


def test_a_withdrawn_application_sent_again_with_other_lines_stores_the_new_totals(
    trondheim, open_round, budget, signatory
):
    application = submit(trondheim, open_round, signatory,
                         projects=[project("250000", topic="culture")])
    application_services.application_withdraw(
        application=application, user=signatory, reason="Feil beløp.")
    application_services.application_update(
        application=application, user=signatory, header=header(),
        competence=[competence("80000", is_mental_health=False, in_supported_programme=True)],
        bpa=[], projects=[],
    )
    application_services.application_submit(application=application, user=signatory)

    assert stored(application) == computed(application)
    assert stored(application)["applied_total"] == Decimal("80000")
    assert [stored(application)[m] for m in MARKERS] == [False, False, True, False]


def test_the_data_migrations_fill_the_stored_fields_of_rows_made_before(
    trondheim, open_round, budget, signatory, caseworker
):
    application = submit(trondheim, open_round, signatory, projects=[project("250000")])
    assess(services.assessment_open(application=application, user=caseworker), caseworker)
    want = computed(application)
    Application.objects.update(applied_total=0, has_mental_health=False, has_projects=False)
    Assessment.objects.update(recommended_total=0)
    assert stored(application) != want

    importlib.import_module(
        "applications.migrations.0008_application_list_fields").fill_list_fields(apps, None)
    importlib.import_module(
        "assessment.migrations.0003_assessment_stored_totals").fill_case_totals(apps, None)

    assert stored(application) == want
    assert want["applied_total"] == Decimal("310000") and want["has_projects"]


def _list_query(client, params) -> str:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(CHANGELIST), params)
    assert response.status_code == 200
    [sql] = [q["sql"] for q in queries.captured_queries
             if q["sql"].startswith('SELECT "applications_application"."id"')]
    return sql.removesuffix(" LIMIT 50")  # one page (10 rows) is read without a LIMIT


@pytest.mark.parametrize("params", [{}, {"o": "5"}, {"o": "-1"}, {"mental_health": "yes"}])
def test_the_list_query_has_no_subquery_per_row_for_10_200_or_300_applications(
    client, trondheim, open_round, budget, caseworker, approver, params
):
    _bulk_applications(10, county=trondheim.county, rnd=open_round,
                       caseworker=caseworker, approver=approver)
    client.force_login(caseworker)
    few = _list_query(client, params)
    _bulk_applications(190, county=trondheim.county, rnd=open_round, caseworker=caseworker,
                       approver=approver, start=10)
    many = _list_query(client, params)
    _bulk_applications(100, county=trondheim.county, rnd=open_round, caseworker=caseworker,
                       approver=approver, start=200)
    more = _list_query(client, params)

    # One page (10 rows) is read as it is; a list of several pages reads its page's keys
    # in one subquery first (admin_paging): one SELECT more, never one a row.
    assert few.upper().count("SELECT") == 1
    assert many.upper().count("SELECT") == 2 and " LIMIT 50)" in many
    assert many == more  # 200 or 300 applications: the same SQL
    assert "live_submission" in few and "live_submission" in many  # the reference is a join
