"""The week before the deadline, in Chromium: the editor fills in the application step by
step, leaves and comes back, and sends it for signing (which locks it); the signatory
checks the preview, sends it, and downloads the PDF copy; once the office has recommended,
«Trekk søknaden» is gone."""

import re
import tempfile
from pathlib import Path

from playwright.sync_api import expect

from applications.models import PROJECT_CRITERIA
from tests.e2e.conftest import assert_accessible, login, logout
from tests.pdf import blank_pdf

EDITOR = "utfyller@trondheim.example.no"
SIGNATORY = "signatur@trondheim.example.no"
REFERENCE = re.compile(r"KKT-\d{4}-5001-[A-Z0-9]{4}")


def open_my_applications(page) -> None:
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Mine søknader") \
        .click()
    expect(page.get_by_role("heading", level=1, name="Mine søknader")).to_be_visible()


def fill_header(page) -> None:
    header = page.locator("#section-header")
    header.get_by_label("Kontaktperson", exact=True).fill("Kari Kontakt")
    header.get_by_label("E-post til kontaktperson").fill("kari@trondheim.example.no")
    header.get_by_label("Telefon til kontaktperson").fill("73 00 00 00")
    header.get_by_label("Navn på den som signerer").fill("Sigurd Signatur")
    header.get_by_label("Stilling").fill("Kommunedirektør")
    header.get_by_label("Formål med tilskuddet").fill("Flere ansatte med relevant utdanning.")
    header.get_by_label("Egenfinansiering (kr)").fill("150 000")
    header.get_by_label("Interne og eksterne kontrolltiltak").fill(
        "Månedlig budsjettoppfølging og årlig revisjon."
    )
    header.get_by_label("Kommunen har en politisk vedtatt plan for Leve hele livet").check()


def attach_plan(page) -> None:
    """On «Vedlegg»: the «Leve hele livet» plan the header ticked (the rules ask for it)."""
    pdf = Path(tempfile.mkdtemp()) / "plan.pdf"
    pdf.write_bytes(blank_pdf())
    page.get_by_label("Type vedlegg").select_option(
        label="Politisk vedtatt plan (Leve hele livet)")
    page.get_by_label("Tittel").fill("Plan for Leve hele livet")
    page.get_by_label("Fil (PDF)").set_input_files(str(pdf))
    page.get_by_role("button", name="Last opp vedlegg").click()
    expect(page.get_by_role("link", name="Plan for Leve hele livet")).to_be_visible()


def next_step(page, title: str) -> None:
    """«Neste: …» saves the step first and opens the next one."""
    name = f"Neste: {title}"
    page.get_by_role("button", name=name).or_(page.get_by_role("link", name=name)).click()
    expect(page.locator("#step-heading")).to_have_text(title)


def fill_competence(page) -> None:
    competence = page.get_by_role("group", name="Kompetansetiltak 1")
    competence.get_by_label("Utdanningstype").select_option(label="Videreutdanning / master")
    competence.get_by_label("Beskrivelse").fill("Videreutdanning i psykisk helsearbeid")
    competence.get_by_label("Antall ansatte").fill("3")
    competence.get_by_label("Søknadsbeløp (kr)").fill("60 000")
    competence.get_by_label("Psykisk helse og rus").check()


def fill_bpa(page) -> None:
    bpa = page.get_by_role("group", name="BPA-linje 1")
    bpa.get_by_label("Målgruppe").select_option(label="Arbeidsledere (brukere)")
    bpa.get_by_label("Antall personer").fill("2")
    bpa.get_by_label("Søknadsbeløp (kr)").fill("60000")


def fill_project(page) -> None:
    project = page.get_by_role("group", name="Prosjekt 1")
    project.get_by_label("Prosjektnavn").fill("Velferdsteknologi i hjemmetjenesten")
    project.get_by_label("Tema").select_option(label="Mestring")
    project.get_by_label("Søknadsbeløp (kr)").fill("250000")
    for _field, label in PROJECT_CRITERIA:
        project.get_by_label(str(label)).fill(f"{label}: beskrevet i detalj for prosjektet.")


def start_fill_and_submit(page) -> None:
    """As a signatory: start this round's application from «Mine søknader», fill every step,
    and send it from the preview."""
    page.goto("/")
    open_my_applications(page)
    page.get_by_role("button", name=re.compile(r"^Start søknad")).click()
    fill_header(page)
    page.get_by_role("button", name="Lagre", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Søknaden er lagret")).to_be_visible()
    page.locator('[data-step="kompetansetiltak"] a').click()
    fill_competence(page)
    next_step(page, "BPA-opplæring")
    fill_bpa(page)
    next_step(page, "Tjenesteutvikling")
    fill_project(page)
    next_step(page, "Vedlegg")
    attach_plan(page)
    next_step(page, "Oppsummering og innsending")
    expect(page.locator("#missing-none")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Gå til forhåndsvisning og innsending").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send inn søknaden").click()
    expect(page.get_by_role("heading", level=1, name="Søknaden er sendt inn")).to_be_visible()
    assert_accessible(page)


def step_state(page, key: str):
    return page.locator(f'[data-step="{key}"] .badge')


def test_editor_fills_in_step_by_step_sends_for_signing_and_signatory_submits(page, demo_data):
    from applications.models import Application
    from tests.assessment.helpers import recommend
    from tilskudd.models import User

    # The editor starts the application for the open round: the first step opens.
    login(page, EDITOR)
    open_my_applications(page)
    assert_accessible(page)
    page.get_by_role("button", name=re.compile(r"^Start søknad")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Søknad om")
    expect(step_state(page, "om-soknaden")).to_have_text("Ikke startet")
    assert_accessible(page)
    fill_header(page)
    page.get_by_role("button", name="Lagre", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Søknaden er lagret")).to_be_visible()
    expect(step_state(page, "om-soknaden")).to_have_text("Fullført")
    assert_accessible(page)

    # She leaves, logs out, and comes back to the first step not yet finished.
    page.goto("/")
    logout(page)
    login(page, EDITOR)
    open_my_applications(page)
    page.get_by_role("link", name=re.compile(r"^Fortsett på søknaden")).click()
    expect(page.locator("#step-heading")).to_have_text("Kompetansetiltak")
    fill_competence(page)
    next_step(page, "BPA-opplæring")
    expect(step_state(page, "kompetansetiltak")).to_have_text("Fullført")
    fill_bpa(page)
    next_step(page, "Tjenesteutvikling")
    fill_project(page)
    next_step(page, "Vedlegg")
    attach_plan(page)
    assert_accessible(page)
    next_step(page, "Oppsummering og innsending")
    expect(page.locator("#missing-none")).to_be_visible()
    assert_accessible(page)

    # An earlier step keeps what was typed there.
    page.locator('[data-step="om-soknaden"] a').click()
    expect(page.locator("#section-header").get_by_label("Kontaktperson", exact=True)) \
        .to_have_value("Kari Kontakt")
    page.locator('[data-step="oppsummering"] a').click()

    # The preview shows what will be sent; an editor cannot send, only ask for signature.
    page.get_by_role("link", name="Gå til forhåndsvisning og innsending").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Forhåndsvisning")
    expect(page.get_by_text("Velferdsteknologi i hjemmetjenesten").first).to_be_visible()
    expect(page.get_by_role("button", name="Send inn søknaden")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Send til signering").click()
    expect(page.get_by_text("Signaturberettiget er varslet.")).to_be_visible()

    # Sent for signing, it is locked for her: no form, only «Ta tilbake».
    open_my_applications(page)
    page.get_by_role("link", name=re.compile(r"^Se søknaden")).first.click()
    expect(page.get_by_text("Den kan ikke endres mens den venter på signering.")).to_be_visible()
    expect(page.get_by_role("button", name="Ta tilbake")).to_be_visible()
    expect(page.get_by_role("link", name="Endre søknaden")).to_have_count(0)
    expect(page.locator("#application-form")).to_have_count(0)
    assert_accessible(page)
    logout(page)

    # The signatory opens it and sends it from the preview.
    login(page, SIGNATORY)
    open_my_applications(page)
    page.get_by_role("link", name=re.compile(r"^Se søknaden")).first.click()
    expect(page.get_by_role("button", name="Send tilbake")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send inn søknaden").click()

    # The receipt, with the reference to quote and the PDF copy.
    expect(page.get_by_role("heading", level=1, name="Søknaden er sendt inn")).to_be_visible()
    reference = page.locator(".reference").inner_text().strip()
    assert REFERENCE.fullmatch(reference), reference
    expect(page.get_by_text("Trondheim - Tråante kommune (org.nr.")).to_be_visible()
    expect(page.get_by_text("Statsforvalteren i Trøndelag")).to_be_visible()
    download_link = page.get_by_role("link", name="Last ned PDF-kopi")
    expect(download_link).to_be_visible()
    expect(page.get_by_role("link", name="Trekk søknaden")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename == f"{reference}.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")

    # Once the office has recommended, «Trekk søknaden» is offered nowhere.
    application = Application.objects.get(submissions__reference=reference)
    recommend(application, User.objects.get(email="saksbehandler@sftl.example.no"))
    page.reload()
    expect(page.get_by_role("heading", level=1, name="Søknaden er sendt inn")).to_be_visible()
    expect(page.get_by_role("link", name="Trekk søknaden")).to_have_count(0)
    open_my_applications(page)
    expect(page.get_by_role("link", name=re.compile(r"^Trekk søknaden"))).to_have_count(0)
    assert_accessible(page)


def test_with_javascript_lines_come_and_go_and_the_form_saves_itself(page, demo_data):
    login(page, EDITOR)
    open_my_applications(page)
    page.get_by_role("button", name=re.compile(r"^Start søknad")).click()
    # The autosave listens once the page's deferred scripts have run; a click does not wait
    # for them, and text typed before then is saved by «Lagre» (the form posts without JS).
    page.wait_for_url(re.compile(r"/steg/"), wait_until="load")

    # Saved in the background: the status says when, and a reload shows it.
    contact = page.locator("#section-header").get_by_label("Kontaktperson", exact=True)
    with page.expect_response(lambda r: r.request.method == "POST"
                              and r.request.headers.get("x-requested-with") == "fetch"):
        contact.fill("Kari Kontakt")
        contact.press("Tab")
    expect(page.locator("#save-status")).to_contain_text("Sist lagret kl.")
    page.reload()
    expect(contact).to_have_value("Kari Kontakt")

    # A wrong amount gets its message next to the field, without leaving the page.
    page.locator('[data-step="bpa-opplaering"] a').click()
    expect(page.locator("#step-heading")).to_have_text("BPA-opplæring")
    bpa = page.get_by_role("group", name="BPA-linje 1")
    bpa.get_by_label("Målgruppe").select_option(label="Assistenter")
    bpa.get_by_label("Antall personer").fill("5")
    amount = bpa.get_by_label("Søknadsbeløp (kr)")
    amount.fill("12,5")
    amount.press("Tab")
    expect(page.locator("#id_bpa-0-amount_error")).to_have_text(
        "Beløpet må være et helt antall kroner."
    )
    expect(amount).to_have_attribute("aria-invalid", "true")
    amount.fill("50000")
    amount.press("Tab")
    expect(page.locator("#id_bpa-0-amount_error")).to_have_count(0)

    # "Lagre" with a wrong amount: the error summary takes focus and leads to the field.
    amount.fill("abc")
    page.get_by_role("button", name="Lagre", exact=True).click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name=re.compile(r"^BPA-linje 1, søknadsbeløp")).click()
    expect(amount).to_be_focused()
    amount.fill("50000")
    page.get_by_role("button", name="Lagre", exact=True).click()
    expect(page.get_by_role("alert")).to_have_count(0)

    # Add a line from the template, then remove it again.
    page.get_by_role("button", name="Legg til BPA-linje").click()
    second = page.get_by_role("group", name="BPA-linje 2")
    expect(second).to_be_visible()
    expect(page.locator("[name=bpa-TOTAL_FORMS]")).to_have_value("2")
    second.get_by_role("button", name=re.compile(r"^Fjern linje")).click()
    expect(second).to_be_hidden()
    assert_accessible(page)


def test_receipt_page_shows_the_pdf_link_once_the_copy_is_made(page, demo_data, monkeypatch):
    from applications import services
    from applications.models import ReceiptDocument
    from applications.tasks import render_receipt_pdf
    from tests.applications.conftest import bpa_line, competence_line, complete_header, project
    from tilskudd.models import Organisation, Round, User

    # Given a submitted application whose PDF job has not run yet
    monkeypatch.setattr(ReceiptDocument, "enqueue_on_commit", lambda job: None)
    trondheim = Organisation.objects.get(municipality_number="5001")
    signatory = User.objects.get(email=SIGNATORY)
    application = services.application_start(
        organisation=trondheim, round=Round.objects.open_for_applications().get(),
        user=signatory,
    )
    services.application_update(
        application=application, user=signatory, header=complete_header(),
        competence=[competence_line()], bpa=[bpa_line()], projects=[project()],
    )
    submission = services.application_submit(application=application, user=signatory)
    login(page, SIGNATORY)
    page.goto(f"/soknader/kvittering/{submission.reference}/")
    expect(page.get_by_text("PDF-kopien lages …")).to_be_visible()
    assert_accessible(page)

    # When the worker makes it, the page swaps in the link without being reloaded
    render_receipt_pdf(submission.receipt.pk)

    expect(page.get_by_role("link", name="Last ned PDF-kopi")).to_be_visible()
    submission.receipt.refresh_from_db()
    expect(page.locator("#receipt-pdf code")).to_have_text(submission.receipt.sha256)
