"""The Excel export of an office's round, read back with openpyxl."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.tilskudd.factories import OrganisationFactory, UserFactory, member
from tilskudd.models import MembershipRole, OrganisationKind

from .helpers import bpa, competence, decide, project, recommend, submit

pytestmark = pytest.mark.django_db


def download(client, budget):
    response = client.get(reverse("admin:assessment_pot_excel", args=[budget.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return load_workbook(io.BytesIO(response.content))


@pytest.fixture
def round_with_cases(trondheim, open_round, budget, signatory, caseworker, approver,
                     rogaland_application):
    granted = submit(trondheim, open_round, signatory, competence_lines=[competence("60000")],
                     bpa_lines=[bpa("30000")], projects=[project("250000")])
    decide(granted, caseworker, approver,
           amount=lambda la: Decimal("100000") if la.part == "projects" else la.applied)
    company = OrganisationFactory(
        kind=OrganisationKind.INTER_MUNICIPAL_COMPANY, name="=HYPERLINK(\"http://x\")",
        municipality_number=None, org_number="", county=trondheim.county,
    )
    open_case = submit(company, open_round, member(company, MembershipRole.SIGNATORY),
                       competence_lines=[competence("40000")])
    recommend(open_case, caseworker, amount=lambda la: Decimal("35000"))
    return granted, open_case


def test_the_export_has_one_row_per_line_of_the_own_office(
    client, budget, caseworker, round_with_cases
):
    granted, _open_case = round_with_cases
    client.force_login(caseworker)

    wb = download(client, budget)

    assert wb.sheetnames == ["Linjer", "Sammendrag"]
    rows = list(wb["Linjer"].iter_rows(values_only=True))
    assert rows[0] == (
        "Referanse", "Organisasjon", "Org.nr.", "Type", "Fylke", "Del", "Tiltak", "Søkt (kr)",
        "Innstilt (kr)", "Innvilget (kr)", "Status", "Begrunnelse",
    )
    reference = granted.submissions.get().reference
    body = sorted(rows[1:], key=lambda r: (r[1], r[5]))
    assert [(r[1], r[5], r[7], r[8], r[9], r[10]) for r in body] == [
        ('=HYPERLINK("http://x")', "Kompetansetiltak", 40000, 35000, None,
         "Innstilt, venter på godkjenning"),
        ("Trondheim - Tråante kommune", "BPA-opplæring", 30000, 30000, 30000, "Delvis innvilget"),
        ("Trondheim - Tråante kommune", "Kompetansetiltak", 60000, 60000, 60000,
         "Delvis innvilget"),
        ("Trondheim - Tråante kommune", "Tjenesteutvikling", 250000, 100000, 100000,
         "Delvis innvilget"),
    ]
    assert {r[0] for r in body if r[1].startswith("Trondheim")} == {reference}
    assert all(r[4] == "Trøndelag - Trööndelage" for r in body)
    assert "Stavanger kommune" not in {r[1] for r in body}


def test_text_that_looks_like_a_formula_stays_text(client, budget, caseworker, round_with_cases):
    client.force_login(caseworker)

    ws = download(client, budget)["Linjer"]

    cells = [c for row in ws.iter_rows(min_row=2) for c in row
             if isinstance(c.value, str) and c.value.startswith("=")]
    assert [(c.value, c.data_type, bool(c.quotePrefix)) for c in cells] == [
        ('=HYPERLINK("http://x")', "s", True)
    ]


def test_the_summary_sheet_has_a_row_per_part(client, budget, caseworker, round_with_cases):
    client.force_login(caseworker)

    rows = list(download(client, budget)["Sammendrag"].iter_rows(values_only=True))

    assert rows[2] == ("Del", "Søkt (kr)", "Foreslått, under behandling (kr)",
                       "Innstilt, venter (kr)", "Innvilget (kr)")
    assert rows[3:7] == [
        ("Kompetansetiltak", 100000, 0, 35000, 60000),
        ("BPA-opplæring", 30000, 0, 0, 30000),
        ("Tjenesteutvikling", 250000, 0, 0, 100000),
        ("Sum", 380000, 0, 35000, 190000),
    ]
    assert [r[:2] for r in rows[8:]] == [
        ("Ramme", 30667000),
        ("Øremerket: Fleksible avlastningsmodeller", 415000),
        ("Vedtatt", 190000),
        ("Igjen av rammen", 30477000),
    ]


def test_the_directorate_exports_any_office(client, rogaland_budget, rogaland_application):
    client.force_login(UserFactory(is_staff=True, is_directorate=True))

    rows = list(download(client, rogaland_budget)["Linjer"].iter_rows(values_only=True))

    assert [(r[1], r[7], r[10]) for r in rows[1:]] == [
        ("Stavanger kommune", 60000, "Ikke påbegynt")
    ]


def test_a_caseworker_cannot_export_another_office(client, rogaland_budget, caseworker):
    client.force_login(caseworker)

    response = client.get(reverse("admin:assessment_pot_excel", args=[rogaland_budget.pk]))

    assert response.status_code == 404


def test_the_export_is_written_in_write_only_mode(budget, monkeypatch):
    from assessment import excel

    made = []
    real = excel.Workbook

    def workbook(**kwargs):
        made.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(excel, "Workbook", workbook)

    excel.round_workbook(budget)

    assert made == [{"write_only": True}]


def test_the_line_column_names_each_line_as_the_letter_does(budget, round_with_cases):
    from assessment.documents import line_label
    from assessment.excel import round_workbook
    from assessment.models import LineAssessment

    wb = load_workbook(io.BytesIO(round_workbook(budget)))
    named = {row[6] for row in wb["Linjer"].iter_rows(min_row=2, values_only=True)}

    assert named == {line_label(la) for la in LineAssessment.objects.filter(
        assessment__application__organisation__county__office=budget.office)}


def test_the_export_reads_the_same_number_of_queries_for_more_lines(
    budget, trondheim, open_round, round_with_cases
):
    from assessment.excel import round_workbook

    with CaptureQueriesContext(connection) as few:
        round_workbook(budget)
    malvik = OrganisationFactory(name="Malvik kommune", municipality_number="5031",
                                 org_number="", county=trondheim.county)
    submit(malvik, open_round, member(malvik, MembershipRole.SIGNATORY),
           competence_lines=[competence() for _ in range(12)], bpa_lines=[bpa()])
    with CaptureQueriesContext(connection) as more:
        data = round_workbook(budget)

    assert len(more) == len(few)
    rows = list(load_workbook(io.BytesIO(data))["Linjer"].iter_rows(values_only=True))
    assert sum(r[1] == "Malvik kommune" for r in rows) == 13
