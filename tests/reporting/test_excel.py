"""The report as an Excel template: a round trip, and broken files each refused with its
reason by sheet and cell, with nothing stored."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from reporting import services
from reporting.excel import export_report, import_report
from reporting.models import Report, ReportStatus, UnusedChoice
from tilskudd.documents.excel import MAX_UPLOAD_BYTES
from tilskudd.errors import ServiceError

from .helpers import granted, project, ready_report


def _template(report: Report):
    return load_workbook(io.BytesIO(export_report(report)))


def _bytes(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _filled(report: Report):
    """The template with every yellow cell filled in."""
    wb = _template(report)
    ws = wb["Kompetanse"]
    for row, values in ((4, (2, 1, 0, 50000)), (5, (3, 1, 0, 140000))):
        for column, value in zip("DEFG", values, strict=True):
            ws[f"{column}{row}"] = value
    wb["BPA"]["D4"] = 2
    wb["BPA"]["E4"] = 60000
    header = wb["Rapport"]
    header["B12"] = "Søke om å overføre ubrukte midler til neste år"
    header["B13"] = "Kullet startet først i januar."
    header["B14"] = "Tilskuddet er brukt til utdanning som planlagt i søknaden."
    return wb


def _state(report: Report) -> tuple:
    report.refresh_from_db()
    lines = [(line.completed, line.still_studying, line.stopped, line.amount_used)
             for line in report.competence_lines.all()]
    bpa = [(line.trained, line.amount_used) for line in report.bpa_lines.all()]
    return (report.updated_at, report.used_total, report.text_report, report.unused_choice,
            lines, bpa)


def _errors(report, user, data) -> list[str]:
    result = import_report(report=report, user=user, uploaded_file=data)
    assert not result.ok
    return [str(error) for error in result.errors]


def test_the_template_holds_the_decision(report):
    wb = _template(report)

    assert wb.sheetnames == ["Rapport", "Kompetanse", "BPA", "Prosjekter", "Regnskap"]
    assert wb["Rapport"]["B9"].value == report.pk
    assert wb.custom_doc_props["tilskudd.rapport"].value == str(report.pk)
    ws = wb["Kompetanse"]
    lines = list(report.competence_lines.all())
    assert [ws[f"A{row}"].value for row in (4, 5)] == [line.pk for line in lines]
    assert ws["B4"].value == "Videreutdanning / master: Videreutdanning i psykisk helsearbeid"
    assert ws["C4"].value == 60000
    assert ws["D3"].value == "Fullført utdanning (antall)"
    # input cells unlocked and marked, fixed cells locked, numbers validated
    assert ws["D4"].protection.locked is False
    assert ws["D4"].fill.fgColor.rgb == "00FFF2CC"
    assert ws["A4"].protection.locked is True
    assert ws.protection.sheet is True
    validations = {str(dv.sqref): dv.type for dv in ws.data_validations.dataValidation}
    assert validations == {"D4:D5": "whole", "E4:E5": "whole", "F4:F5": "whole",
                           "G4:G5": "whole"}
    assert wb["Regnskap"]["B6"].value == "=SUM(Kompetanse!G4:G5)+SUM(BPA!E4:E4)"


def test_round_trip(report, signatory):
    # when: the filled template is uploaded
    result = import_report(report=report, user=signatory, uploaded_file=_bytes(_filled(report)))

    # then: stored, and the account computed from the lines
    assert result.ok, result.errors
    report.refresh_from_db()
    assert [(line.completed, line.still_studying, line.stopped, line.amount_used)
            for line in report.competence_lines.all()] == [
        (2, 1, 0, Decimal("50000")), (3, 1, 0, Decimal("140000"))]
    assert [(line.trained, line.amount_used) for line in report.bpa_lines.all()] == [
        (2, Decimal("60000"))]
    assert report.used_total == Decimal("250000")
    assert report.unused == Decimal("10000")
    assert report.unused_choice == UnusedChoice.TRANSFER
    assert report.transfer_reason == "Kullet startet først i januar."
    # and a fresh download holds what is stored
    again = _template(report)
    assert again["Kompetanse"]["G5"].value == 140000
    assert again["Rapport"]["B12"].value == "Søke om å overføre ubrukte midler til neste år"


def test_an_added_row_is_refused(report, signatory):
    wb = _filled(report)
    wb["Kompetanse"]["A6"] = 424242
    wb["Kompetanse"]["D6"] = 1
    before = _state(report)

    assert _errors(report, signatory, _bytes(wb)) == [
        "Kompetanse!A6: raden er lagt til eller endret. Rapporten har faste linjer fra "
        "vedtaket; ikke legg til rader eller endre linje-ID."]
    assert _state(report) == before


def test_a_row_without_an_id_is_refused_too(report, signatory):
    wb = _filled(report)
    wb["BPA"]["D6"] = 4
    before = _state(report)

    assert _errors(report, signatory, _bytes(wb)) == [
        "BPA!A6: raden er lagt til eller endret. Rapporten har faste linjer fra vedtaket; "
        "ikke legg til rader eller endre linje-ID."]
    assert _state(report) == before


def test_a_removed_row_is_refused(report, signatory):
    wb = _filled(report)
    ws = wb["Kompetanse"]
    ws.delete_rows(4)
    removed = report.competence_lines.first()
    before = _state(report)

    assert _errors(report, signatory, _bytes(wb)) == [
        f"Kompetanse!A4: linjen «Videreutdanning / master: Videreutdanning i psykisk "
        f"helsearbeid» (linje-ID {removed.pk}) mangler. Ikke slett rader; last ned malen på "
        f"nytt om du har gjort det."]
    assert _state(report) == before


def test_text_in_a_number_cell_is_refused_with_its_cell(report, signatory):
    wb = _filled(report)
    wb["Kompetanse"]["D5"] = "tre"
    wb["BPA"]["E4"] = "60 000,50"
    before = _state(report)

    assert _errors(report, signatory, _bytes(wb)) == [
        "Kompetanse!D5: må være et helt tall",
        "BPA!E4: må være et helt tall, uten desimaler",  # read as the web form reads it
    ]
    assert _state(report) == before


def test_a_formula_where_a_number_belongs_is_refused(report, signatory):
    wb = _filled(report)
    wb["Kompetanse"]["G4"] = "=C4-10000"
    before = _state(report)

    assert _errors(report, signatory, _bytes(wb)) == [
        "Kompetanse!G4: inneholder en formel; skriv inn tallet"]
    assert _state(report) == before


def test_another_grants_file_is_refused(report, rogaland_report, signatory):
    other = _bytes(_template(rogaland_report))
    before = _state(report)

    assert _errors(report, signatory, other) == [
        "Filen gjelder et annet tilskudd (en annen rapport). Last ned Excel-malen fra denne "
        "rapporten og fyll ut den."]
    assert _state(report) == before


def test_a_file_without_the_report_id_is_refused(report, signatory):
    wb = _filled(report)
    wb["Rapport"]["B9"] = None
    wb.custom_doc_props.props.clear()
    before = _state(report)

    assert _errors(report, signatory, _bytes(wb)) == [
        "Rapport!B9: Filen mangler rapportens ID og er ikke en rapportmal fra portalen. Last "
        "ned Excel-malen fra rapporten og fyll ut den."]
    assert _state(report) == before


def test_wrong_sheets_are_refused(report, signatory):
    wb = _filled(report)
    wb["BPA"].title = "Opplæring"
    wb.create_sheet("Mine notater")
    before = _state(report)

    assert _errors(report, signatory, _bytes(wb)) == [
        "BPA: arket mangler i filen. Last ned malen på nytt fra portalen.",
        "Opplæring: arket hører ikke til rapportmalen. Ikke legg til eller gi nytt navn til ark.",
        "Mine notater: arket hører ikke til rapportmalen. Ikke legg til eller gi nytt navn til "
        "ark.",
    ]
    assert _state(report) == before


def test_a_moved_column_is_refused(report, signatory):
    wb = _filled(report)
    wb["Kompetanse"]["D3"] = "Ferdige"
    before = _state(report)

    assert _errors(report, signatory, _bytes(wb)) == [
        "Kompetanse!D3: skal være «Fullført utdanning (antall)». Ikke flytt, slett eller sett "
        "inn kolonner."]
    assert _state(report) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4 not a workbook", "Filen er ikke en Excel-arbeidsbok (.xlsx)."),
        (b"PK\x03\x04" + b"0" * (MAX_UPLOAD_BYTES + 1), "Filen er for stor (høyst 5 MB)."),
        (b"", "Filen er tom."),
    ],
    ids=["not-xlsx", "oversized", "empty"],
)
def test_files_that_are_not_a_sound_xlsx_are_refused(report, signatory, data, message):
    before = _state(report)

    errors = _errors(report, signatory, data)

    assert len(errors) == 1
    assert errors[0].startswith(message)
    assert _state(report) == before


def test_every_problem_is_listed_at_once(report, signatory):
    wb = _filled(report)
    wb["Kompetanse"]["D4"] = -1
    wb["Kompetanse"]["E5"] = 2.5
    wb["BPA"]["D4"] = "=1+1"
    wb["Rapport"]["B12"] = "Bruke dem på noe annet"

    assert _errors(report, signatory, _bytes(wb)) == [
        "Rapport!B12: ukjent valg «Bruke dem på noe annet»; velg fra listen",
        "Kompetanse!D4: kan ikke være negativt",
        "Kompetanse!E5: må være et helt tall, uten desimaler",
        "BPA!D4: inneholder en formel; skriv inn tallet",
    ]


def test_a_sent_report_cannot_be_filled_from_excel(report, signatory):
    ready_report(report, signatory)
    services.report_submit(report=report, user=signatory)
    report.refresh_from_db()
    before = _state(report)

    with pytest.raises(ServiceError) as refused:
        import_report(report=report, user=signatory, uploaded_file=_bytes(_filled(report)))

    assert refused.value.code == "not_editable"
    assert report.status == ReportStatus.SUBMITTED
    assert _state(report) == before


def test_projects_round_trip(trondheim, grant_round, budget, signatory, caseworker, approver):
    # given: a grant for one project only
    application = granted(trondheim, grant_round, signatory, caseworker, approver,
                          competence=[], projects=[project(amount=Decimal("100000"))])
    report = services.report_open(application=application, user=signatory)
    wb = _template(report)
    ws = wb["Prosjekter"]
    assert (ws["B4"].value, ws["C4"].value) == ("Velferdsteknologi i hjemmetjenesten", 100000)
    assert wb["Kompetanse"]["B4"].value == "Ingen linjer i denne delen er innvilget."
    ws["D4"], ws["E4"], ws["F4"], ws["G4"], ws["H4"] = (
        "avsluttet", "Målene er delvis nådd", "Færre fall hos hjemmeboende.", "Ja", 90000)

    # when
    result = import_report(report=report, user=signatory, uploaded_file=_bytes(wb))

    # then
    assert result.ok, result.errors
    line = report.projects.get()
    assert (line.status, line.goal_achievement, line.results, line.continues,
            line.amount_used) == ("completed", "partly", "Færre fall hos hjemmeboende.", "yes",
                                  Decimal("90000"))


def test_the_download_is_named_by_scheme_year_and_organisation_in_ascii(report):
    from reporting.excel import export_filename

    assert export_filename(report) == f"KKT-{report.application.round.year}-Trondheim-rapport.xlsx"


@pytest.mark.parametrize(("name", "short"), [
    ("Bodø kommune", "Bodo"),
    ("Ålesund - Ålesund kommune", "Aalesund"),
    ("Trøndelag fylkeskommune", "Trondelag"),
    ("Porsáŋgu gielda", "Porsagu-gielda"),  # ŋ has no ASCII letter: left out
    ("–", "rapport"),
])
def test_the_download_name_is_plain_ascii(name, short):
    from types import SimpleNamespace

    from tilskudd.documents.excel.filenames import short_name

    assert short_name(SimpleNamespace(name=name), "rapport") == short


def test_an_english_template_uploads_cleanly_into_a_bokmal_session(report, signatory):
    from django.utils import translation

    from tilskudd.documents.excel import HEADER_FIRST_ROW

    # given: the template downloaded in English (its labels from reporting/locale/en)
    with translation.override("en"):
        english = export_report(report)
    with translation.override("nb"):
        bokmal = export_report(report)
    def labels(data: bytes) -> list:
        sheet = load_workbook(io.BytesIO(data)).worksheets[0]
        return [sheet.cell(row, 1).value for row in range(HEADER_FIRST_ROW, sheet.max_row + 1)]

    assert labels(english) != labels(bokmal)

    # when: it is uploaded from a page in bokmål
    with translation.override("nb"):
        result = import_report(report=report, user=signatory, uploaded_file=english)

    # then: read in English, nothing refused
    assert result.ok, result.errors
