"""Hostile .xlsx files: refused with a message before openpyxl spends time or memory on
them, and text that cannot be stored (NUL, written as "_x0000_") named by its cell."""

import io
import time
import tracemalloc
import zipfile
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from defusedxml import EntitiesForbidden
from django.utils import timezone
from openpyxl.xml.functions import fromstring

from applications import services as application_services
from applications.excel import export_application, import_application
from reporting import services as report_services
from reporting.excel import export_report, import_report
from tests.applications.conftest import competence_line, complete_header
from tests.reporting.helpers import granted
from tests.tilskudd.factories import (
    OfficeBudgetFactory,
    OrganisationFactory,
    RoundFactory,
    member,
    office_staff,
)
from tilskudd.documents import excel as xl
from tilskudd.documents.excel import CellValueError, ExcelFileError, RawCell
from tilskudd.models import MembershipRole, OfficeRole

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTROL_CHARACTER = ("inneholder et usynlig kontrolltegn (U+0000) som ikke kan lagres; slett "
                     "det og skriv teksten på nytt")
TOO_MANY_ELEMENTS = ("Filen har mer innhold enn et utfylt skjema fra portalen kan ha (over "
                     "60 000 celler og andre deler). Last opp filen du lastet ned fra portalen, "
                     "med bare skjemaets egne felt fylt ut.")
DAMAGED = ("Filen kunne ikke leses som en Excel-arbeidsbok (.xlsx). Den kan være skadet; "
           "åpne den i Excel og lagre den på nytt som Excel-arbeidsbok.")


# --- helpers ------------------------------------------------------------------------


def _sheet(cells: str) -> bytes:
    return f'<worksheet xmlns="{MAIN}"><sheetData>{cells}</sheetData></worksheet>'.encode()


def _package(sheet: bytes, *, strings: bytes | None = None,
             strings_part: str = "sharedStrings.xml", sheets: int = 1) -> bytes:
    """A minimal workbook as Excel writes one: sheet "Ark" (and with sheets=2 a second,
    "Ark2", that is the same part), shared strings if given."""
    names = "".join(f'<sheet name="Ark{n or ""}" sheetId="{n + 1}" r:id="rId{n + 1}"/>'
                    for n in range(sheets))
    sheet_rels = "".join(
        f'<Relationship Id="rId{n + 1}" Type="{DOC_RELS}/worksheet" '
        f'Target="worksheets/sheet1.xml"/>' for n in range(sheets))
    string_rel = (f'<Relationship Id="rId99" Type="{DOC_RELS}/sharedStrings" '
                  f'Target="{strings_part}"/>' if strings is not None else "")
    string_type = (f'<Override PartName="/xl/{strings_part}" ContentType="application/vnd.'
                   'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                   if strings is not None else "")
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxml'
            f'formats-officedocument.spreadsheetml.sheet.main+xml"/>{string_type}</Types>'),
        "_rels/.rels": (
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>{names}'
                            "</sheets></workbook>"),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{RELS}">{sheet_rels}{string_rel}</Relationships>'),
        "xl/worksheets/sheet1.xml": sheet,
    }
    if strings is not None:
        parts[f"xl/{strings_part}"] = strings
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def _refusal(data: bytes) -> tuple[str, float, int]:
    """The message a file is refused with, the CPU seconds and the peak bytes it took."""
    tracemalloc.start()
    started = time.process_time()
    try:
        with xl.open_upload(data) as wb:
            xl.read_sheet(wb, "Ark", max_col=10)
    except ExcelFileError as exc:
        message = exc.message
    else:
        message = ""
    seconds = time.process_time() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return message, seconds, peak


MB = 1024 * 1024


# --- the container ------------------------------------------------------------------


def test_openpyxl_parses_xml_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True
    with pytest.raises(EntitiesForbidden):
        fromstring(b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><x>&a;&a;</x>')


def test_a_shared_strings_bomb_is_refused_before_it_is_parsed():
    # given: 45 MB of shared strings that pack to a few hundred KB
    strings = (f'<sst xmlns="{MAIN}">'.encode() + b"<si><t>a</t></si>" * (45 * MB // 17)
               + b"</sst>")
    data = _package(_sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), strings=strings)
    del strings
    assert len(data) < 300 * 1024

    message, seconds, peak = _refusal(data)

    assert message == ("Filen har for mye tekst (høyst 4 MB når den pakkes ut). Last opp "
                       "filen du lastet ned fra portalen, med bare skjemaets egne felt fylt ut.")
    assert seconds < 2
    assert peak < 100 * MB


def test_shared_strings_under_another_name_are_refused_by_their_number():
    # given: 100 000 shared strings (1.7 MB, under every size cap) in a part named freely
    strings = f'<sst xmlns="{MAIN}">'.encode() + b"<si><t>a</t></si>" * 100_000 + b"</sst>"
    data = _package(_sheet(""), strings=strings, strings_part="tekster.xml")

    message, seconds, peak = _refusal(data)

    assert message == TOO_MANY_ELEMENTS
    assert seconds < 2
    assert peak < 100 * MB


def test_a_row_of_a_million_cells_is_refused_by_the_sheets_unpacked_size():
    data = _package(_sheet('<row r="1">' + "<c><v>1</v></c>" * 1_000_000 + "</row>"))
    assert len(data) < xl.MAX_UPLOAD_BYTES

    message, seconds, peak = _refusal(data)

    assert message == ("Et ark eller en annen del av filen blir for stort når det pakkes ut "
                       "(høyst 8 MB). Last opp filen du lastet ned fra portalen, med bare "
                       "skjemaets egne felt fylt ut.")
    assert seconds < 2
    assert peak < 100 * MB


def test_a_row_of_a_million_empty_cells_under_the_size_cap_is_refused_by_their_number():
    # given: "<c/>" is four bytes, so a million of them fit under the 8 MB sheet cap
    data = _package(_sheet('<row r="1">' + "<c/>" * 1_000_000 + "</row>"))

    message, seconds, peak = _refusal(data)

    assert message == TOO_MANY_ELEMENTS
    assert seconds < 2
    assert peak < 100 * MB


def test_one_sheet_part_named_as_two_sheets_is_refused():
    # openpyxl would parse the part once for each name: a thousand names, a thousand times
    data = _package(_sheet('<row r="1"><c r="A1"><v>1</v></c></row>'), sheets=2)

    assert _refusal(data)[0] == DAMAGED


def test_a_sheet_with_a_dtd_is_refused_as_damaged():
    sheet = (b'<!DOCTYPE lol [<!ENTITY a "aaaaaaaaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
             + _sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>'))

    assert _refusal(_package(sheet))[0] == DAMAGED


def test_a_plain_workbook_passes_and_is_read():
    data = _package(_sheet('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>7</v></c>'
                           "</row>"),
                    strings=f'<sst xmlns="{MAIN}"><si><t>Hei</t></si></sst>'.encode())

    with xl.open_upload(data) as wb:
        sheet = xl.read_sheet(wb, "Ark", max_col=2)

    assert (sheet.cell(1, 1).value, sheet.cell(1, 2).value) == ("Hei", 7)


@pytest.mark.django_db
def test_a_downloaded_template_with_fifty_lines_is_far_below_the_limits():
    organisation = OrganisationFactory()
    editor = member(organisation)
    application = application_services.application_start(
        organisation=organisation, round=RoundFactory(), user=editor)
    application_services.application_update(
        application=application, user=editor, header=complete_header(),
        competence=[competence_line(description=f"Kull {n}") for n in range(50)])

    data = export_application(application)

    xl.check_xlsx_container(data, max_elements=xl.MAX_XML_ELEMENTS // 4)  # does not raise


# --- text that cannot be stored -----------------------------------------------------


@pytest.mark.parametrize(("typed", "code"), [
    ("Hei_x0000_du", "0000"), ("a_x0001_b", "0001"), ("a_x001F_b", "001F"),
    ("a_xD800_b", "D800"), ("a\x00b", "0000"),
])
def test_control_characters_in_a_text_cell_are_a_cell_error(typed, code):
    with pytest.raises(CellValueError) as refused:
        xl.parse_text(RawCell("Ark", 7, 3, typed, "s"), max_length=500)

    assert refused.value.message == CONTROL_CHARACTER.replace("0000", code)


def test_tab_line_breaks_and_words_breaks_are_kept_in_text():
    text = "a\tb\nc\r\nd\x0be\x0cf"

    assert xl.parse_text(RawCell("Ark", 7, 3, text, "s"), max_length=500) == text


def test_an_escaped_nul_in_a_shared_string_is_named_by_its_cell():
    data = _package(_sheet('<row r="7"><c r="C7" t="s"><v>0</v></c></row>'),
                    strings=f'<sst xmlns="{MAIN}"><si><t>Hei_x0000_du</t></si></sst>'.encode())
    reader = xl.CellReader()

    with xl.open_upload(data) as wb:
        sheet = xl.read_sheet(wb, "Ark", max_col=3)
    text = reader.text(sheet.cell(7, 3), max_length=500)

    assert text == ""
    assert [str(error) for error in reader.errors] == [f"Ark!C7: {CONTROL_CHARACTER}"]


def test_a_choice_repeats_what_was_typed_without_control_characters():
    with pytest.raises(CellValueError) as refused:
        xl.parse_choice(RawCell("Ark", 7, 3, "x_x0001_y" + "z" * 100, "s"),
                        {"Ja": "yes"}, what="valg")

    assert refused.value.message == (
        f"ukjent valg «x\ufffdy{'z' * 56}…»; velg fra listen")


def test_unicode_digits_in_a_number_cell_are_not_a_number():
    with pytest.raises(CellValueError) as refused:
        xl.parse_whole_number(RawCell("Ark", 7, 3, "١٢٣", "s"))

    assert refused.value.message == "må være et helt tall"


@pytest.mark.django_db
def test_an_escaped_nul_in_an_application_upload_is_refused_and_nothing_is_saved():
    organisation = OrganisationFactory()
    editor = member(organisation)
    application = application_services.application_start(
        organisation=organisation, round=RoundFactory(), user=editor)
    application_services.application_update(
        application=application, user=editor, header=complete_header(),
        competence=[competence_line()])
    wb = openpyxl.load_workbook(io.BytesIO(export_application(application)))
    wb["Kompetanse"]["B4"] = "Videreutdanning_x0000_"
    out = io.BytesIO()
    wb.save(out)

    result = import_application(application=application, user=editor,
                                uploaded_file=out.getvalue())

    assert [str(error) for error in result.errors] == [f"Kompetanse!B4: {CONTROL_CHARACTER}"]
    assert list(application.competence_lines.values_list("description", flat=True)) == [
        "Videreutdanning i psykisk helsearbeid"]


@pytest.mark.django_db
def test_an_escaped_nul_in_a_report_upload_is_refused_and_nothing_is_saved():
    organisation = OrganisationFactory()
    now = timezone.now()
    grant_round = RoundFactory(year=now.year, opens_at=now - timedelta(days=30),
                               application_deadline=now + timedelta(days=10),
                               reporting_opens_at=None,
                               reporting_deadline=now + timedelta(days=200))
    OfficeBudgetFactory(round=grant_round, office=organisation.office, pot=Decimal("1000000"))
    signatory = member(organisation, MembershipRole.SIGNATORY, email="signatur@example.no")
    application = granted(
        organisation, grant_round, signatory,
        office_staff(organisation.office, OfficeRole.CASEWORKER, email="sak@example.no"),
        office_staff(organisation.office, OfficeRole.APPROVER, email="godkjenner@example.no"),
        competence=[competence_line()])
    report = report_services.report_open(application=application, user=signatory)
    wb = openpyxl.load_workbook(io.BytesIO(export_report(report)))
    wb["Rapport"]["B14"] = "Brukt som planlagt._x0000_"
    out = io.BytesIO()
    wb.save(out)

    result = import_report(report=report, user=signatory, uploaded_file=out.getvalue())

    assert [str(error) for error in result.errors] == [f"Rapport!B14: {CONTROL_CHARACTER}"]
    report.refresh_from_db()
    assert report.text_report == ""
