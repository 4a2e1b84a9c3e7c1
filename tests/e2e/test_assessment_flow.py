"""The allocation through the admin in Chromium: the caseworker recommends, the approver
approves, letters are made in bulk, and the applicant sees and accepts the letter."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login, logout

CRITERIA = [
    "Behov og utfordringer", "Mål og målgrupper", "Organisering og samarbeidspartnere",
    "Forventede gevinster og effekter for praksis", "Forankring hos leder med budsjettansvar",
    "Bruker- og pårørendemedvirkning", "Hvordan prosjektet blir en del av ordinær drift",
    "Metode", "Plan for evaluering",
]


@pytest.fixture
def submitted(demo_data):
    """Trondheim's application in the demo's open round, sent by the demo signatory."""
    from applications import services
    from applications.models import PROJECT_CRITERIA
    from tilskudd.models import Organisation, Round, User

    trondheim = Organisation.objects.get(municipality_number="5001")
    signatory = User.objects.get(email="signatur@trondheim.example.no")
    rnd = Round.objects.open_for_applications().get()
    application = services.application_start(organisation=trondheim, round=rnd, user=signatory)
    answer = "Et utfyllende svar på kriteriet."
    services.application_update(
        application=application, user=signatory,
        header={"contact_name": "Kari Kontakt", "contact_email": "kari@trondheim.example.no",
                "purpose": "Flere fagarbeidere i hjemmetjenesten.",
                "control_measures": "Månedlig oppfølging."},
        competence=[{"education_type": "upper_secondary", "description": "Helsefagarbeider",
                     "employees": 4, "amount": Decimal("120000"), "is_mental_health": False,
                     "is_decentralised": True, "in_supported_programme": False}],
        projects=[{"title": "Avlastning i helgene", "topic": "respite",
                   "amount": Decimal("150000"), "is_continuation": False,
                   **{field: answer for field, _label in PROJECT_CRITERIA}}],
    )
    return services.application_submit(application=application, user=signatory)


def open_case(page, reference: str) -> None:
    page.goto("/admin/assessment/submittedapplication/")
    page.get_by_role("link", name=reference).click()
    page.wait_for_url(re.compile(r"/admin/assessment/submittedapplication/\d+/change/"))


def test_caseworker_recommends_approver_approves_letters_in_bulk_applicant_accepts(
    page, submitted
):
    reference = submitted.reference

    # The caseworker assesses every line and sends the recommendation for approval.
    login(page, "saksbehandler@sftl.example.no")
    open_case(page, reference)
    expect(page.get_by_text("Saken er ikke påbegynt ved embetet.")).to_be_visible()
    page.get_by_role("button", name="Start vurdering").click()
    expect(page.get_by_text("Saken er åpnet. Du kan begynne vurderingen.")).to_be_visible()
    expect(page.get_by_text("Desentralisert studium").first).to_be_visible()
    page.get_by_label("Innstilt beløp for Videregående", exact=False).fill("100000")
    page.get_by_label("Begrunnelse for Videregående", exact=False).fill(
        "Fire plasser, men lavere kursavgift enn oppgitt.")
    page.get_by_label("Innstilt beløp for Avlastning", exact=False).fill("150000")
    page.get_by_label("Begrunnelse for Avlastning", exact=False).fill("Godt forankret.")
    for criterion in CRITERIA:
        page.get_by_label(f"{criterion}, poeng for Avlastning", exact=False).fill("4")
    page.get_by_label("Saksbehandler", exact=True).select_option(label="Sara Saksbehandler")
    page.get_by_label("Interne notater").fill("Snakket med kommunen om kursavgiften.")
    page.get_by_role("button", name="Lagre og send til godkjenning").click()
    expect(page.get_by_text("Innstillingen er sendt til godkjenning.")).to_be_visible()
    assert "Innstilt, venter på godkjenning" in page.locator("#case-status").inner_text()
    assert page.get_by_role("button", name="Godkjenn innstillingen (vedtak)").count() == 0

    # A different user, an approver at the same office, approves: the decision.
    page.goto("/")
    logout(page)
    login(page, "godkjenner@sftl.example.no")
    open_case(page, reference)
    expect(page.get_by_label("Interne notater")).to_have_value(
        "Snakket med kommunen om kursavgiften.")
    page.get_by_role("button", name="Godkjenn innstillingen (vedtak)").click()
    expect(page.get_by_text("Innstillingen er godkjent. Vedtaket er fattet.")).to_be_visible()
    assert "Delvis innvilget" in page.locator("#case-status").inner_text()
    history = page.locator("#history").inner_text()
    assert "Innstilling sendt til godkjenning\tSara Saksbehandler" in history
    assert "Innstilling godkjent – vedtak fattet\tGunnar Godkjenner" in history

    # The pot shows what was granted, the respite project against its earmark.
    page.get_by_role("link", name="Se ramme og forbruk").click()
    pot = page.locator("#pot-table").inner_text()
    assert "Øremerket: Fleksible avlastningsmodeller\tkr 415 000\tkr 0\tkr 150 000\tkr 265 000" \
        in pot.replace("\xa0", " ")
    with page.expect_download() as excel:
        page.get_by_role("link", name="Last ned Excel").click()
    assert excel.value.suggested_filename.endswith(".xlsx")
    with open(excel.value.path(), "rb") as fh:
        workbook = load_workbook(io.BytesIO(fh.read()), read_only=True)
    assert workbook.sheetnames == ["Linjer", "Sammendrag"]

    # Letters for the selected decisions, in bulk.
    page.goto("/admin/assessment/submittedapplication/?case=decided")
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option(label="Lag tilskuddsbrev for valgte vedtak")
    page.locator("button[name=index]").click()
    expect(page.get_by_text("Laget 1 tilskuddsbrev. Søkerne får e-post.")).to_be_visible()
    expect(page.locator("td.field-acceptance_display")).to_have_text("Ikke akseptert")

    # The applicant's signatory reads the letter and accepts the grant.
    page.goto("/")
    logout(page)
    login(page, "signatur@trondheim.example.no")
    # The application's own page says where it stands, as its row in «Mine søknader» does.
    page.goto(reverse("applications:edit", args=[submitted.application_id]))
    standing = page.locator("#section-standing")
    expect(standing.get_by_role("heading", name="Slik står saken")).to_be_visible()
    assert standing.locator(".grant-status").inner_text().replace("\xa0", " ") \
        == "Delvis innvilget kr 250 000"
    expect(standing.get_by_role("link", name="Tilskuddsbrev, versjon 1")).to_be_visible()
    assert_accessible(page)
    standing.get_by_role("link", name="Aksepter tilskuddet").click()
    expect(page.get_by_role("heading", name=re.compile("Vedtak: Kompetanse"))).to_be_visible()
    page.get_by_role("link", name="Vedtak og tilskuddsbrev", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Trondheim - Tråante kommune").click()
    expect(page.get_by_role("heading", name=re.compile("Vedtak: Kompetanse"))).to_be_visible()
    assert reference in page.locator("main").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tilskuddsbrev, versjon 1").click()
    with open(download.value.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    assert_accessible(page)
    page.get_by_label("Jeg aksepterer tilskuddet på vilkårene i tilskuddsbrevet",
                      exact=False).check()
    page.get_by_role("button", name="Aksepter tilskuddet").click()
    expect(page.get_by_text("Tilskuddet er akseptert. Takk!")).to_be_visible()
    assert "Akseptert av Sigurd Signatur" in page.locator("main").inner_text()
    assert "(tilskuddsbrev versjon 1)" in page.locator("main").inner_text()
    assert_accessible(page)

    # Back at the office, the list shows the grant accepted.
    page.goto("/")
    logout(page)
    login(page, "saksbehandler@sftl.example.no")
    page.goto("/admin/assessment/submittedapplication/?accepted=yes")
    expect(page.get_by_role("link", name=reference)).to_be_visible()
