"""The shared Excel building blocks: safe text, amounts, validation, and the guarded
reader (size, zip bomb, real xlsx, formulas refused)."""

import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl.cell import WriteOnlyCell

from tilskudd.documents import excel as xl
from tilskudd.documents.excel import CellError, CellValueError, ExcelFileError, RawCell

FORMULA_LIKE = [
    '=HYPERLINK("https://example.com/x","Klikk")',
    "+1",
    "-2",
    "@SUM(A1:A2)",
    "=1+1",
    "\tTAB=1",
    "\r=CR",
]


def _saved(wb) -> bytes:
    return xl.workbook_bytes(wb)


def _cell(value, data_type="n", sheet="Kompetanse", row=7, column=4) -> RawCell:
    return RawCell(sheet, row, column, value, data_type)


# --- writing ------------------------------------------------------------------------


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_formula_like_text_is_written_as_a_string_cell_and_read_back_unchanged(text):
    wb, ws = xl.new_workbook("Ark")
    xl.write_text(ws["A1"], text)

    data = _saved(wb)

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    back = openpyxl.load_workbook(io.BytesIO(data))["Ark"]["A1"]
    assert back.data_type == "s"
    assert back.quotePrefix is True
    with xl.open_upload(data) as wb2:
        sheet = xl.read_sheet(wb2, "Ark", max_col=1, max_row=1)
    assert sheet.cell(1, 1).data_type == "s"
    assert xl.parse_text(sheet.cell(1, 1), max_length=100) == text.strip()


def test_plain_text_gets_no_quote_prefix_and_error_like_text_stays_text():
    wb, ws = xl.new_workbook("Ark")
    xl.write_text(ws["A1"], "Helsefagarbeider")
    xl.write_text(ws["A2"], "#N/A")

    back = openpyxl.load_workbook(io.BytesIO(_saved(wb)))["Ark"]

    assert (back["A1"].value, back["A1"].data_type, back["A1"].quotePrefix) == (
        "Helsefagarbeider", "s", False)
    assert (back["A2"].value, back["A2"].data_type) == ("#N/A", "s")


def test_control_characters_and_line_breaks_survive_a_round_trip():
    text = "Linje 1\r\nLinje 2\nmed _x000D_ bokstavelig\x0bog vertikal tab"
    wb, ws = xl.new_workbook("Ark")
    xl.write_text(ws["A1"], text)

    with xl.open_upload(_saved(wb)) as wb2:
        sheet = xl.read_sheet(wb2, "Ark", max_col=1, max_row=1)

    assert xl.parse_text(sheet.cell(1, 1), max_length=500) == text


def test_amounts_are_whole_kroner_with_a_thousands_format():
    wb, ws = xl.new_workbook("Ark")
    xl.write_amount(ws["A1"], Decimal("60000"))

    back = openpyxl.load_workbook(io.BytesIO(_saved(wb)))["Ark"]["A1"]

    assert (back.value, back.data_type, back.number_format) == (60000, "n", "#,##0")


def test_input_cells_are_filled_and_unlocked_and_headers_styled():
    wb, ws = xl.new_workbook("Ark")
    xl.write_text(ws["A1"], "Overskrift")
    xl.style_header([ws["A1"]])
    xl.mark_input([ws["A2"]])
    xl.protect_sheet(ws)

    back = openpyxl.load_workbook(io.BytesIO(_saved(wb)))["Ark"]

    assert back["A1"].font.bold is True
    assert back["A2"].protection.locked is False
    assert back["A2"].fill.fgColor.rgb.endswith("FFF2CC")
    assert back["A1"].protection.locked is True
    assert back.protection.sheet is True


def test_data_validation_for_whole_numbers_and_lists():
    wb, ws = xl.new_workbook("Ark")
    xl.add_whole_number_validation(ws, "B2:B10", minimum=1, maximum=20000000)
    xl.add_yes_no_validation(ws, "C2:C10")
    xl.add_list_validation(ws, "A2:A10", ["Etterutdanning, internopplæring og kurs", "Annet"])

    back = openpyxl.load_workbook(io.BytesIO(_saved(wb)))

    rules = {str(dv.sqref): dv for dv in back["Ark"].data_validations.dataValidation}
    assert (rules["B2:B10"].type, rules["B2:B10"].formula1, rules["B2:B10"].formula2) == (
        "whole", "1", "20000000")
    assert rules["C2:C10"].formula1 == '"Ja,Nei"'
    # A label with a comma cannot go in an inline list: it is on a hidden sheet.
    assert rules["A2:A10"].formula1 == "'Lister'!$A$1:$A$2"
    assert back["Lister"].sheet_state == "hidden"
    assert back["Lister"]["A1"].value == "Etterutdanning, internopplæring og kurs"
    assert back.sheetnames[-1] == "Lister"


# --- reading cells --------------------------------------------------------------------


def test_cell_error_reads_as_sheet_cell_and_message():
    assert str(CellError("Kompetanse", "D7", "må være et helt tall")) == (
        "Kompetanse!D7: må være et helt tall")
    assert str(CellError("BPA", "", "arket mangler")) == "BPA: arket mangler"
    assert str(CellError("", "", "Filen er tom.")) == "Filen er tom."


@pytest.mark.parametrize(("value", "expected"), [
    (60000, 60000), (60000.0, 60000), ("60000", 60000), ("60 000", 60000),
    ("60\u00a0000", 60000), (0, 0), (None, None), ("  ", None),
])
def test_whole_numbers_are_read(value, expected):
    assert xl.parse_whole_number(_cell(value, "s" if isinstance(value, str) else "n")) == expected


@pytest.mark.parametrize(("value", "data_type", "message"), [
    ("mange", "s", "må være et helt tall"),
    ("1,5", "s", "må være et helt tall"),
    (1500.5, "n", "må være et helt tall, uten desimaler"),
    (-2, "n", "kan ikke være negativt"),
    ("-2", "s", "kan ikke være negativt"),
    ("=SUM(D4:D5)", "f", "inneholder en formel; skriv inn tallet"),
    ("=5", "s", "inneholder en formel; skriv inn tallet"),
    (True, "b", "må være et helt tall"),
    (2_000_001, "n", "kan ikke være over 2 000 000"),
])
def test_bad_whole_numbers_are_refused(value, data_type, message):
    with pytest.raises(CellValueError) as refused:
        xl.parse_whole_number(_cell(value, data_type), maximum=2_000_000)
    assert refused.value.message == message


def test_a_required_number_must_be_filled_in():
    with pytest.raises(CellValueError) as refused:
        xl.parse_whole_number(_cell(None), required=True)
    assert refused.value.message == "må fylles ut"


def test_text_is_read_with_a_length_limit_and_formulas_refused():
    assert xl.parse_text(_cell("  Kurs i demens  ", "s"), max_length=20) == "Kurs i demens"
    assert xl.parse_text(_cell(2024), max_length=20) == "2024"
    assert xl.parse_text(_cell(None), max_length=20) == ""
    with pytest.raises(CellValueError) as too_long:
        xl.parse_text(_cell("x" * 21, "s"), max_length=20)
    assert too_long.value.message == "er for lang (21 tegn, høyst 20)"
    with pytest.raises(CellValueError) as formula:
        xl.parse_text(_cell('=HYPERLINK("x")', "f"), max_length=20)
    assert formula.value.message == "inneholder en formel; skriv inn teksten"


@pytest.mark.parametrize(("value", "expected"), [
    ("Ja", True), ("ja", True), (" JA ", True), ("Nei", False), ("nei", False),
    (None, False), ("", False), (True, True), (False, False),
])
def test_yes_no_is_read(value, expected):
    assert xl.parse_yes_no(_cell(value, "b" if isinstance(value, bool) else "s")) is expected


def test_anything_but_yes_or_no_is_refused():
    with pytest.raises(CellValueError) as refused:
        xl.parse_yes_no(_cell("Kanskje", "s"))
    assert refused.value.message == "skriv Ja eller Nei"


def test_choice_matches_the_label_regardless_of_case_and_spacing():
    choices = {"Bachelor i helse- og sosialfag": "bachelor", "Fagskole": "vocational_college"}
    assert xl.parse_choice(_cell("  bachelor i  HELSE- og sosialfag", "s"), choices,
                           what="utdanningstype") == "bachelor"
    with pytest.raises(CellValueError) as refused:
        xl.parse_choice(_cell("Master", "s"), choices, what="utdanningstype")
    assert refused.value.message == "ukjent utdanningstype «Master»; velg fra listen"


def test_cell_reader_collects_every_problem_with_its_place():
    reader = xl.CellReader()

    reader.whole_number(_cell("mange", "s", row=7, column=4))
    reader.yes_no(_cell("Kanskje", "s", row=8, column=5))
    reader.text(_cell("ok", "s"), max_length=10)

    assert [str(e) for e in reader.errors] == [
        "Kompetanse!D7: må være et helt tall",
        "Kompetanse!E8: skriv Ja eller Nei",
    ]


# --- reading files --------------------------------------------------------------------


def _workbook_bytes() -> bytes:
    wb, ws = xl.new_workbook("Kompetanse")
    ws["A1"] = "Overskrift"
    ws["D7"] = "=SUM(D1:D6)"
    ws["A2000"] = "langt nede"
    return _saved(wb)


def test_a_sound_file_opens_and_formulas_are_seen_as_formulas():
    with xl.open_upload(SimpleUploadedFile("s.xlsx", _workbook_bytes())) as wb:
        sheet = xl.read_sheet(wb, "Kompetanse", max_col=4, max_row=100)
        missing = xl.read_sheet(wb, "BPA", max_col=4)

    assert sheet.cell(1, 1).value == "Overskrift"
    assert sheet.cell(7, 4).data_type == "f"
    assert (2000, 1) not in sheet.cells  # below max_row: not read
    assert missing is None


@pytest.mark.parametrize("content", [
    b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF",
    bytes(range(256)) * 40,
    b"PK\x03\x04 but not really a zip",
    b"",
])
def test_what_is_not_an_xlsx_is_refused(content):
    with pytest.raises(ExcelFileError) as refused, xl.open_upload(
        SimpleUploadedFile("x.xlsx", content)
    ):
        pass
    assert refused.value.message.startswith(("Filen er ikke en Excel-arbeidsbok", "Filen er tom"))


def test_an_old_xls_or_password_protected_file_gets_its_own_message():
    with pytest.raises(ExcelFileError) as refused, xl.open_upload(xl.OLE_MAGIC + b"\0" * 600):
        pass
    assert "eldre Excel-fil (.xls) eller er beskyttet med passord" in refused.value.message


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")

    with pytest.raises(ExcelFileError) as refused, xl.open_upload(out.getvalue()):
        pass
    assert refused.value.message.startswith("Filen kunne ikke leses som en Excel-arbeidsbok")


def test_an_oversized_file_is_refused_before_it_is_read():
    class Unreadable(SimpleUploadedFile):
        def read(self, *args):  # pragma: no cover - must not be called
            raise AssertionError("read an oversized file")

    upload = Unreadable("stor.xlsx", b"")
    upload.size = xl.MAX_UPLOAD_BYTES + 1

    with pytest.raises(ExcelFileError) as refused, xl.open_upload(upload):
        pass
    assert refused.value.message == "Filen er for stor (høyst 5 MB)."


def test_oversized_bytes_are_refused():
    with pytest.raises(ExcelFileError) as refused, xl.open_upload(
        b"PK\x03\x04" + b"\0" * xl.MAX_UPLOAD_BYTES
    ):
        pass
    assert refused.value.message == "Filen er for stor (høyst 5 MB)."


def test_a_zip_bomb_is_refused_by_its_uncompressed_size():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (xl.MAX_UNCOMPRESSED_BYTES + 1))
    data = out.getvalue()
    assert len(data) < xl.MAX_UPLOAD_BYTES  # small on the wire

    with pytest.raises(ExcelFileError) as refused, xl.open_upload(data):
        pass
    assert refused.value.message.startswith("Filen blir for stor når den pakkes ut (høyst 50 MB)")


def test_the_writers_work_in_write_only_mode_too():
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Ark")
    ws.append([xl.write_text(WriteOnlyCell(ws), "=1+1"),
               xl.write_amount(WriteOnlyCell(ws), Decimal("5000"))])

    back = openpyxl.load_workbook(io.BytesIO(_saved(wb)))["Ark"]

    assert [(c.value, c.data_type, c.quotePrefix) for c in back[1]] == [
        ("=1+1", "s", True), (5000, "n", False)]
    assert back["B1"].number_format == "#,##0"


def test_the_header_sheet_top_puts_the_facts_and_the_owner_id_where_the_import_reads_them():
    # given: a sheet
    wb, ws = xl.new_workbook("Søknad")
    # when: the shared top of a header sheet is written
    xl.write_header_top(ws, title="Søknad om KKT 2027", note="Fyll ut de gule feltene.",
                        facts=[("Søker", "Trondheim kommune"), ("Runde", "KKT 2027")],
                        id_label="Søknads-ID (ikke endre)", owner_id=42,
                        headings=["Opplysninger", "Svar", "Hjelp"])
    # then: title and note first, the facts from row 3, the ID in B9, the headings in row 11
    assert [ws["A1"].value, ws["A2"].value] == ["Søknad om KKT 2027", "Fyll ut de gule feltene."]
    assert [(ws.cell(row, 1).value, ws.cell(row, 2).value) for row in (3, 4)] == [
        ("Søker", "Trondheim kommune"), ("Runde", "KKT 2027")]
    assert ws.cell(xl.FACTS_FIRST_ROW, 1).font.bold is True
    assert (xl.ID_ROW, xl.ID_COLUMN) == (9, 2)
    assert ws["A9"].value == "Søknads-ID (ikke endre)"
    assert ws["B9"].value == 42
    assert [ws.cell(xl.HEADER_HEADING_ROW, c).value for c in (1, 2, 3)] == [
        "Opplysninger", "Svar", "Hjelp"]
    assert ws.cell(xl.HEADER_HEADING_ROW, 1).fill == xl.HEADER_FILL


def test_the_header_sheet_top_refuses_facts_that_would_overwrite_the_id_row():
    wb, ws = xl.new_workbook("Søknad")
    facts = [(f"Fakta {n}", n) for n in range(xl.ID_ROW - xl.FACTS_FIRST_ROW + 1)]
    with pytest.raises(ValueError, match="ID row"):
        xl.write_header_top(ws, title="T", note="N", facts=facts, id_label="ID", owner_id=1,
                            headings=["A"])


def test_a_part_sheet_top_has_title_note_and_tall_styled_headings_above_the_first_line():
    wb, ws = xl.new_workbook("Kompetanse")
    xl.write_part_top(ws, title="Kompetansetiltak", note="Én linje per rad.",
                      headings=["Tiltak", "Beløp (kr)"])
    assert [ws.cell(row, 1).value for row in (xl.TITLE_ROW, xl.NOTE_ROW)] == [
        "Kompetansetiltak", "Én linje per rad."]
    assert [ws.cell(xl.HEADING_ROW, c).value for c in (1, 2)] == ["Tiltak", "Beløp (kr)"]
    assert ws.cell(xl.HEADING_ROW, 2).font == xl.HEADER_FONT
    assert ws.row_dimensions[xl.HEADING_ROW].height == 48
    assert xl.FIRST_LINE_ROW == xl.HEADING_ROW + 1
