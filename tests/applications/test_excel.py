"""The application as Excel: download, fill in, upload. A file is taken whole or not at
all, every problem is named by sheet and cell, and nobody outside the organisation
reaches either end."""

import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import reverse

from applications import services
from applications.excel import APPLICATION_PROPERTY, export_application, import_application
from applications.models import PROJECT_CRITERIA, Application, ApplicationStatus
from tests.pdf import blank_pdf
from tests.tilskudd.factories import OrganisationFactory, RoundFactory, member, stavanger
from tilskudd.documents import excel as xl
from tilskudd.errors import ServiceError
from tilskudd.models import AuditEvent, MembershipRole, OrganisationKind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_LIKE = ['=HYPERLINK("https://example.com/x","Klikk her")', "+1", "-2", "@SUM(A1:A2)"]


# --- helpers (local on purpose: the shared factories are written in parallel) -------


def _header(**overrides) -> dict:
    return {
        "contact_name": "Kari Kontakt",
        "contact_email": "kari@trondheim.example.no",
        "contact_phone": "73 00 00 00",
        "signatory_name": "Rita Rådmann",
        "signatory_title": "Kommunedirektør",
        "purpose": "Styrke kompetansen i omsorgstjenesten.\r\nSærlig innen demens.",
        "own_financing": Decimal("100000"),
        "other_financing": Decimal("50000"),
        "other_financing_source": "Fylkeskommunen",
        "control_measures": "Månedlig budsjettoppfølging og revisjon.",
        "transferred_funds": Decimal("25000"),
        "has_leve_hele_livet_plan": True,
        **overrides,
    }


def _competence(**overrides) -> dict:
    return {
        "education_type": "further_master",
        "description": "Videreutdanning i psykisk helsearbeid",
        "employees": 3,
        "amount": Decimal("60000"),
        "is_mental_health": True,
        "is_decentralised": True,
        "in_supported_programme": False,
        **overrides,
    }


def _bpa(**overrides) -> dict:
    return {"role": "work_leader", "persons": 2, "amount": Decimal("60000"), **overrides}


def _project(**overrides) -> dict:
    data = {"title": "Velferdsteknologi i hjemmetjenesten", "is_continuation": False,
            "topic": "self_management", "amount": Decimal("250000")}
    data.update({name: f"Et utfyllende svar om {name}." for name, _label in PROJECT_CRITERIA})
    return {**data, **overrides}


def _draft(organisation=None, *, competence=None, bpa=None, projects=None):
    """An application with a full header and lines in every part, and its editor."""
    organisation = organisation or OrganisationFactory()
    editor = member(organisation)
    application = services.application_start(
        organisation=organisation, round=RoundFactory(), user=editor)
    services.application_update(
        application=application, user=editor, header=_header(),
        competence=competence if competence is not None else [
            _competence(),
            _competence(education_type="abc", description="ABC demensomsorg", employees=12,
                        amount=Decimal("24000"), is_mental_health=False,
                        in_supported_programme=True),
        ],
        bpa=bpa if bpa is not None else [
            _bpa(role="assistant", persons=4, amount=Decimal("40000")), _bpa()],
        projects=projects if projects is not None else [
            _project(), _project(title="Pårørendeskole", is_continuation=True,
                                 topic="relatives", amount=Decimal("120000"))],
    )
    # the header ticks the «Leve hele livet» plan, so the plan goes with it (rules)
    services.attachment_add(
        application=application, user=editor, kind="leve_hele_livet", title="Plan",
        uploaded=SimpleUploadedFile("plan.pdf", blank_pdf(), content_type="application/pdf"))
    return Application.objects.get(pk=application.pk), editor


def _content(application: Application) -> dict:
    """Header and lines as stored, lines in their order, without ids."""
    application = Application.objects.get(pk=application.pk)

    def lines(manager):
        return [model_to_dict(line, exclude=["id", "application"]) for line in manager.all()]

    return {
        "header": {name: getattr(application, name) for name in services.HEADER_FIELDS},
        "competence": lines(application.competence_lines),
        "bpa": lines(application.bpa_lines),
        "projects": lines(application.projects),
    }


def _upload(data: bytes, name: str = "soknad.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


def _edited(data: bytes, edit) -> bytes:
    """The exported file, changed with openpyxl as a person would in Excel."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _errors(result) -> list[str]:
    return [str(error) for error in result.errors]


# --- export -------------------------------------------------------------------------


@pytest.mark.django_db
def test_export_is_a_workbook_with_a_header_sheet_and_one_sheet_per_part():
    application, _editor = _draft()

    wb = openpyxl.load_workbook(io.BytesIO(export_application(application)))

    assert wb.sheetnames == ["Søknad", "Kompetanse", "BPA", "Prosjekter", "Sum", "Lister"]
    assert wb["Lister"].sheet_state == "hidden"
    header = wb["Søknad"]
    assert header["B3"].value == "Trondheim - Tråante kommune"
    assert header["B4"].value == "942110464"
    assert header["B7"].value == "Under arbeid"
    assert header["B9"].value == application.pk
    assert header["A12"].value == "Kontaktperson"
    assert header["B12"].value == "Kari Kontakt"
    assert header["B12"].protection.locked is False
    assert (header["B18"].value, header["B18"].number_format) == (100000, "#,##0")
    assert header["B23"].value == "Ja"
    assert xl.get_property(wb, APPLICATION_PROPERTY) == str(application.pk)

    competence = wb["Kompetanse"]
    assert [c.value for c in competence[3]] == [
        "Utdanningstype", "Beskrivelse", "Antall ansatte", "Søknadsbeløp (kr)",
        "Psykisk helse og rus (Ja/Nei)", "Desentralisert studium (Ja/Nei)",
        "Allerede i utdanning støttet av ordningen (Ja/Nei)"]
    assert [c.value for c in competence[4]] == [
        "Videreutdanning / master", "Videreutdanning i psykisk helsearbeid", 3, 60000,
        "Ja", "Ja", "Nei"]
    assert competence["D4"].number_format == "#,##0"
    assert competence.freeze_panes == "A4"
    lists = {str(dv.sqref): dv.formula1 for dv in competence.data_validations.dataValidation}
    assert lists["A4:A53"] == "'Lister'!$A$1:$A$7"  # every education type, blank rows too
    assert competence["A53"].protection.locked is False
    assert [wb["Lister"].cell(row=r, column=1).value for r in range(1, 8)][-1] == "Annet"

    projects = wb["Prosjekter"]
    assert projects.max_row == 8  # two projects and three empty rows: five in all
    assert [c.value for c in projects[3]][4:] == [str(label) for _f, label in PROJECT_CRITERIA]
    assert wb["Sum"]["B4"].value == "=SUM(Kompetanse!D4:D53)"
    assert wb["Sum"]["C7"].value == 60000 + 24000 + 40000 + 60000 + 250000 + 120000


@pytest.mark.django_db
def test_a_submitted_application_exports_with_its_reference_and_cannot_be_uploaded():
    application, editor = _draft()
    signatory = member(application.organisation, role=MembershipRole.SIGNATORY)
    submission = services.application_submit(application=application, user=signatory)
    application.refresh_from_db()
    before = _content(application)

    data = export_application(application)

    header = openpyxl.load_workbook(io.BytesIO(data))["Søknad"]
    assert header["B7"].value == "Sendt inn"
    assert header["B8"].value == submission.reference
    with pytest.raises(ServiceError) as refused:
        import_application(application=application, user=editor, uploaded_file=_upload(data))
    assert refused.value.code == "not_editable"
    assert _content(application) == before


# --- round trip ---------------------------------------------------------------------


@pytest.mark.django_db
def test_export_then_import_gives_the_same_draft():
    application, editor = _draft()
    before = _content(application)

    result = import_application(application=application, user=editor,
                                uploaded_file=_upload(export_application(application)))

    assert _errors(result) == []
    assert result.counts == {"competence": 2, "bpa": 2, "projects": 2}
    assert _content(application) == before
    event = AuditEvent.objects.get(action="application_update", data__source="excel")
    assert event.data["sections"] == ["header", "competence", "bpa", "projects"]


@pytest.mark.django_db
def test_lines_in_the_file_replace_the_lines_of_the_draft():
    application, editor = _draft()

    def edit(wb):
        ws = wb["Kompetanse"]
        ws["B4"] = "Endret beskrivelse"
        for column in "ABCDEFG":
            ws[f"{column}5"] = None  # remove the second line
        ws["A6"], ws["C6"], ws["D6"] = "fagskole", 1, 45000  # a new one, label in any case
        wb["Søknad"]["B12"] = "Ola Nordmann"

    result = import_application(application=application, user=editor, uploaded_file=_upload(
        _edited(export_application(application), edit)))

    assert _errors(result) == []
    after = _content(application)
    assert after["header"]["contact_name"] == "Ola Nordmann"
    assert [(line["education_type"], line["description"], line["amount"])
            for line in after["competence"]] == [
        ("further_master", "Endret beskrivelse", Decimal("60000")),
        ("vocational_college", "", Decimal("45000")),
    ]


@pytest.mark.django_db
def test_input_kept_from_an_invalid_form_gives_way_to_the_file():
    application, editor = _draft()
    services.application_keep_input(application=application, user=editor, section="competence",
                                    raw={"competence-0-amount": ["mange"]})
    services.application_keep_input(application=application, user=editor, section="other",
                                    raw={"x": ["y"]})

    result = import_application(application=application, user=editor,
                                uploaded_file=_upload(export_application(application)))

    assert _errors(result) == []
    assert Application.objects.get(pk=application.pk).draft_input == {"other": {"x": ["y"]}}


@pytest.mark.django_db
def test_formula_like_text_is_written_as_text_and_comes_back_the_same():
    application, editor = _draft(
        competence=[_competence(description=text) for text in FORMULA_LIKE],
        projects=[_project(title="=cmd|' /C calc'!A0", needs="@SUM(1+1)*cmd")],
    )
    before = _content(application)

    data = export_application(application)

    wb = openpyxl.load_workbook(io.BytesIO(data))
    for row, text in enumerate(FORMULA_LIKE, start=4):
        cell = wb["Kompetanse"][f"B{row}"]
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    assert wb["Prosjekter"]["A4"].data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        formulas = [n for n in sheets if b"<f>" in archive.read(n)]
    # Only the Sum sheet's own sums are formulas.
    assert formulas == [f"xl/worksheets/sheet{wb.sheetnames.index('Sum') + 1}.xml"]

    result = import_application(application=application, user=editor,
                                uploaded_file=_upload(data))

    assert _errors(result) == []
    assert _content(application) == before
    assert [line["description"] for line in _content(application)["competence"]] == FORMULA_LIKE


# --- broken files -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_broken_file_lists_every_error_by_sheet_and_cell_and_saves_nothing():
    application, editor = _draft()
    before = _content(application)
    updated_at = application.updated_at

    def edit(wb):
        ws = wb["Kompetanse"]
        ws["D4"] = "mange"
        ws["D5"] = 1500.5
        ws["A6"], ws["C6"], ws["D6"] = "Fagskole", 2, -2
        ws["A7"], ws["C7"], ws["D7"] = "Fagskole", 1, "=SUM(D4:D5)"
        ws["A8"], ws["C8"], ws["D8"] = "Master i alt", 1, 1000
        ws["B9"], ws["A9"], ws["C9"], ws["D9"] = "x" * 301, "Annet", 1, 1000
        ws["A10"], ws["C10"], ws["D10"], ws["E10"] = "Annet", 1, 1000, "Kanskje"
        ws["A11"], ws["C11"] = "Annet", 1  # no amount
        ws["A12"], ws["C12"], ws["D12"] = "Annet", 1, 0
        bpa = wb["BPA"]
        bpa["A4"] = "Arbeidsgivere"
        projects = wb["Prosjekter"]
        for row in range(6, 10):  # four more projects: six in all
            projects[f"A{row}"], projects[f"C{row}"], projects[f"D{row}"] = (
                f"Prosjekt {row}", "Kultur", 10000)
        wb["Søknad"]["B18"] = "hundre tusen"
        wb["Søknad"]["B13"] = "ikke-en-adresse"

    result = import_application(application=application, user=editor, uploaded_file=_upload(
        _edited(export_application(application), edit)))

    assert _errors(result) == [
        "Søknad!B13: er ikke en gyldig e-postadresse",
        "Søknad!B18: må være et helt tall",
        "Kompetanse!D4: må være et helt tall",
        "Kompetanse!D5: må være et helt tall, uten desimaler",
        "Kompetanse!D6: kan ikke være negativt",
        "Kompetanse!D7: inneholder en formel; skriv inn tallet",
        "Kompetanse!A8: ukjent utdanningstype «Master i alt»; velg fra listen",
        "Kompetanse!B9: er for lang (301 tegn, høyst 300)",
        "Kompetanse!E10: skriv Ja eller Nei",
        "Kompetanse!D11: må fylles ut",
        "Kompetanse!D12: Beløpet må være større enn null.",
        "BPA!A4: ukjent målgruppe «Arbeidsgivere»; velg fra listen",
        "Prosjekter!A9: En søknad kan ha høyst 5 prosjekter.",
    ]
    application.refresh_from_db()
    assert _content(application) == before
    assert application.updated_at == updated_at
    assert not AuditEvent.objects.filter(data__source="excel").exists()


@pytest.mark.django_db
def test_a_missing_sheet_and_moved_columns_are_reported():
    application, editor = _draft()
    before = _content(application)

    def edit(wb):
        del wb["BPA"]
        wb["Prosjekter"].move_range("C3:C8", cols=14)  # past the last column

    result = import_application(application=application, user=editor, uploaded_file=_upload(
        _edited(export_application(application), edit)))

    assert _errors(result) == [
        "BPA: arket mangler i filen. Last ned en ny Excel-fil fra portalen.",
        "Prosjekter!C3: skal være «Tema». Ikke flytt, slett eller sett inn kolonner.",
    ]
    assert _content(application) == before


@pytest.mark.django_db
@pytest.mark.parametrize(("content", "message"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n",
     "Filen er ikke en Excel-arbeidsbok (.xlsx)."),
    (bytes(range(256)) * 64, "Filen er ikke en Excel-arbeidsbok (.xlsx)."),
    (b"", "Filen er tom."),
])
def test_a_file_that_is_not_an_xlsx_is_refused_cleanly(content, message):
    application, editor = _draft()
    before = _content(application)

    result = import_application(application=application, user=editor,
                                uploaded_file=_upload(content, "soknad.pdf"))

    assert len(result.errors) == 1
    assert str(result.errors[0]).startswith(message)
    assert _content(application) == before


@pytest.mark.django_db
def test_an_oversized_file_is_refused():
    application, editor = _draft()
    before = _content(application)
    data = export_application(application) + b"\0" * xl.MAX_UPLOAD_BYTES

    result = import_application(application=application, user=editor,
                                uploaded_file=_upload(data))

    assert _errors(result) == ["Filen er for stor (høyst 5 MB)."]
    assert _content(application) == before


@pytest.mark.django_db
def test_a_zip_bomb_is_refused():
    application, editor = _draft()
    before = _content(application)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(export_application(application))) as original, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as bomb:
        for item in original.infolist():
            bomb.writestr(item, original.read(item))
        bomb.writestr("xl/media/padding.bin", b"\0" * (60 * 1024 * 1024))

    result = import_application(application=application, user=editor,
                                uploaded_file=_upload(out.getvalue()))

    assert len(out.getvalue()) < xl.MAX_UPLOAD_BYTES
    assert _errors(result) == [
        "Filen blir for stor når den pakkes ut (høyst 50 MB). Last opp filen du lastet ned "
        "fra portalen."]
    assert _content(application) == before


@pytest.mark.django_db
def test_the_file_of_another_application_is_refused():
    theirs, _their_editor = _draft(stavanger())
    ours, editor = _draft()
    before = _content(ours)

    result = import_application(application=ours, user=editor,
                                uploaded_file=_upload(export_application(theirs)))

    assert _errors(result) == [
        "Filen gjelder en annen søknad. Last ned Excel-filen fra denne søknaden og fyll ut den."]
    assert _content(ours) == before


@pytest.mark.django_db
def test_a_file_whose_id_cell_was_changed_is_refused():
    application, editor = _draft()

    def edit(wb):
        wb["Søknad"]["B9"] = application.pk + 1

    result = import_application(application=application, user=editor, uploaded_file=_upload(
        _edited(export_application(application), edit)))

    assert _errors(result) == [
        "Filen gjelder en annen søknad. Last ned Excel-filen fra denne søknaden og fyll ut den."]


@pytest.mark.django_db
def test_a_county_municipality_may_apply_only_for_mental_health_competence():
    county = OrganisationFactory(
        kind=OrganisationKind.COUNTY_MUNICIPALITY, name="Trøndelag fylkeskommune",
        org_number="817920632", municipality_number=None)
    application, editor = _draft(county, competence=[_competence()], bpa=[], projects=[])
    before = _content(application)

    def edit(wb):
        wb["Kompetanse"]["A5"], wb["Kompetanse"]["C5"] = "Fagskole", 1
        wb["Kompetanse"]["D5"], wb["Kompetanse"]["E5"] = 10000, "Nei"
        wb["BPA"]["A4"], wb["BPA"]["B4"], wb["BPA"]["C4"] = "Assistenter", 1, 10000

    result = import_application(application=application, user=editor, uploaded_file=_upload(
        _edited(export_application(application), edit)))

    assert _errors(result) == [
        "Kompetanse!E5: Fylkeskommuner kan bare søke om kompetansetiltak innen psykisk helse "
        "og rus.",
        "BPA!A4: Fylkeskommuner kan ikke søke om BPA-opplæring.",
    ]
    assert _content(application) == before


# --- views --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_member_downloads_a_real_xlsx(client):
    application, editor = _draft()
    client.force_login(editor)

    response = client.get(reverse("applications:excel_download", args=[application.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    year = application.round.year
    assert response["Content-Disposition"] == (
        f'attachment; filename="KKT-{year}-Trondheim-soknad.xlsx"')
    assert "no-store" in response["Cache-Control"]
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb["Søknad"]["B9"].value == application.pk


@pytest.mark.django_db
def test_upload_through_the_page_fills_the_draft_and_redirects(client):
    application, editor = _draft()
    before = _content(application)
    client.force_login(editor)
    data = client.get(reverse("applications:excel_download", args=[application.pk])).content
    services.application_update(application=application, user=editor,
                                header={"contact_name": "Noen andre"}, bpa=[])

    response = client.post(reverse("applications:excel_upload", args=[application.pk]),
                           {"file": _upload(data)})

    assert response.status_code == 302
    assert response.url == reverse("applications:edit", args=[application.pk])
    assert _content(application) == before
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Søknaden er fylt ut fra Excel-filen."]


@pytest.mark.django_db
def test_the_upload_page_has_a_labelled_file_input_with_the_limits(client):
    application, editor = _draft()
    client.force_login(editor)

    response = client.get(reverse("applications:excel_upload", args=[application.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'type="file"' in html
    assert 'for="id_file"' in html
    assert 'aria-describedby="id_file_helptext"' in html
    assert "høyst 5 MB" in html
    assert "Ingenting lagres før hele filen er gyldig" in html


@pytest.mark.django_db
def test_a_broken_upload_shows_every_error_and_saves_nothing(client):
    application, editor = _draft()
    before = _content(application)
    client.force_login(editor)

    def edit(wb):
        wb["Kompetanse"]["D4"] = "mange"
        wb["Kompetanse"]["D5"] = -2

    response = client.post(
        reverse("applications:excel_upload", args=[application.pk]),
        {"file": _upload(_edited(export_application(application), edit))})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert "Filen har 2 feil. Ingenting er lagret." in html
    assert "<li>Kompetanse!D4: må være et helt tall</li>" in html
    assert "<li>Kompetanse!D5: kan ikke være negativt</li>" in html
    assert _content(application) == before


@pytest.mark.django_db
def test_posting_no_file_asks_for_one(client):
    application, editor = _draft()
    client.force_login(editor)

    response = client.post(reverse("applications:excel_upload", args=[application.pk]), {})

    assert response.status_code == 200
    assert "Excel-fil (.xlsx): Velg Excel-filen du vil laste opp." in response.content.decode()


@pytest.mark.django_db
def test_upload_to_a_submitted_application_is_refused_with_the_reason(client):
    application, editor = _draft()
    data = export_application(application)
    signatory = member(application.organisation, role=MembershipRole.SIGNATORY)
    services.application_submit(application=application, user=signatory)
    before = _content(application)
    client.force_login(editor)

    page = client.get(reverse("applications:excel_upload", args=[application.pk]))
    response = client.post(reverse("applications:excel_upload", args=[application.pk]),
                           {"file": _upload(data)})

    for html in (page.content.decode(), response.content.decode()):
        assert "Søknaden er sendt inn og kan ikke endres." in html
        assert 'type="file"' not in html
    assert response.status_code == 200
    assert _content(application) == before
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED


@pytest.mark.django_db
def test_a_non_member_gets_404_for_download_and_upload_and_nothing_changes(client):
    application, editor = _draft()
    data = export_application(application)
    before = _content(application)
    outsider = member(stavanger())
    client.force_login(outsider)

    download = client.get(reverse("applications:excel_download", args=[application.pk]))
    page = client.get(reverse("applications:excel_upload", args=[application.pk]))
    upload = client.post(reverse("applications:excel_upload", args=[application.pk]),
                         {"file": _upload(data)})

    assert (download.status_code, page.status_code, upload.status_code) == (404, 404, 404)
    assert _content(application) == before


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_log_in(client):
    application, _editor = _draft()

    for name in ("applications:excel_download", "applications:excel_upload"):
        response = client.get(reverse(name, args=[application.pk]))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
