"""The demo loader gives the demo signatory a report to write; running it again changes
nothing."""

import inspect
from decimal import Decimal

import pytest

from applications.services import application_start
from reporting.demo import load_reporting_demo
from reporting.models import Report, ReportStatus

pytestmark = pytest.mark.skipif(
    "now" not in inspect.signature(application_start).parameters,
    reason="applications.services.application_start takes no `now` yet, so last year's "
    "grant cannot be built through the services (the lead applies that diff)",
)


def test_the_demo_signatory_has_a_report_to_write(db):
    from tilskudd.seeding import load_demo_data, load_reference_data

    load_reference_data()
    load_demo_data()

    first = load_reporting_demo()
    second = load_reporting_demo()

    report = Report.objects.select_related("application__organisation").get()
    assert report.application.organisation.municipality_number == "5001"
    assert report.status == ReportStatus.DRAFT
    assert report.granted_total == Decimal("540000")
    assert report.auditor_required is True
    assert (report.competence_lines.count(), report.bpa_lines.count(),
            report.projects.count()) == (2, 2, 1)
    assert first == second
    assert first[0].startswith("Rapportering: Trondheim - Tråante kommune har fått kr")
