"""The applicant's pages, through the test client: what a person sees and what is saved."""

import json
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import (
    PROJECT_CRITERIA,
    Application,
    ApplicationStatus,
    Attachment,
    StatusChange,
    Submission,
)
from tests.applications.conftest import CRITERIA_ANSWER
from tests.applications.factories import (
    ApplicationFactory,
    CompetenceLineFactory,
    ProjectFactory,
    complete_application,
)
from tests.pdf import blank_pdf
from tests.tilskudd.factories import (
    CountyFactory,
    OrganisationFactory,
    RoundFactory,
    member,
    office_staff,
    stavanger,
)
from tilskudd import archive as archive_registry
from tilskudd.archive import ArchiveDocument
from tilskudd.models import MembershipRole, OrganisationKind

PDF = blank_pdf()


def edit_url(application):
    return reverse("applications:edit", args=[application.pk])


def step_url(application, step):
    """One step of the form (applications/steps.py)."""
    return reverse("applications:step", args=[application.pk, step])


def state(application: Application) -> tuple:
    """Everything a refusal must leave as it was."""
    application.refresh_from_db()
    return (
        application.status,
        application.contact_name,
        application.draft_input,
        list(application.competence_lines.values_list("pk", "amount", "is_mental_health")),
        list(application.bpa_lines.values_list("pk", "amount")),
        list(application.projects.values_list("pk", "title", "amount")),
        list(application.attachments.values_list("pk", "title")),
        list(Submission.objects.filter(application=application)
             .values_list("reference", "withdrawn_at")),
        StatusChange.objects.filter(application=application).count(),
    )


HEADER = {
    "contact_name": "Kari Kontakt",
    "contact_email": "kari@trondheim.example.no",
    "contact_phone": "73 00 00 00",
    "signatory_name": "Rita Rådmann",
    "signatory_title": "Kommunedirektør",
    "purpose": "Styrke kompetansen i omsorgstjenesten.",
    "own_financing": "100 000",
    "other_financing": "0",
    "other_financing_source": "",
    "control_measures": "Månedlig budsjettoppfølging og revisjon.",
    "transferred_funds": "25000",
    "has_leve_hele_livet_plan": True,
}
COMPETENCE = {"education_type": "further_master", "description": "Videreutdanning i psykisk helse",
              "employees": "3", "amount": "60 000", "is_mental_health": True}
BPA = {"role": "work_leader", "persons": "2", "amount": "60000"}
PROJECT = {"title": "Aktiv hverdag", "topic": "prevention", "amount": "250000",
           **{field: CRITERIA_ANSWER for field, _ in PROJECT_CRITERIA}}


def _fields(prefix: str, values: dict) -> dict:
    data = {}
    for key, value in values.items():
        if value is True:
            data[f"{prefix}-{key}"] = "on"
        elif value not in (False, None):
            data[f"{prefix}-{key}"] = value
    return data


def form_data(application, *, header=None, competence=None, bpa=None, projects=None,
              initial=None, action="save") -> dict:
    """What the browser posts from the form page: the header and each part as a formset.
    A part left as None is posted as it is stored; `initial` overrides INITIAL_FORMS."""
    application.refresh_from_db()
    data = {"action": action}
    data.update(_fields("header", header if header is not None else {
        **HEADER, "contact_name": application.contact_name,
        "contact_email": application.contact_email, "purpose": application.purpose,
        "control_measures": application.control_measures,
    }))
    stored = {
        "competence": [{"id": line.pk, **COMPETENCE, "amount": str(line.amount)}
                       for line in application.competence_lines.all()],
        "bpa": [{"id": line.pk, **BPA, "amount": str(line.amount)}
                for line in application.bpa_lines.all()],
        "projects": [{"id": p.pk, **PROJECT, "title": p.title, "amount": str(p.amount)}
                     for p in application.projects.all()],
    }
    for section, lines in (("competence", competence), ("bpa", bpa), ("projects", projects)):
        existing = len(stored[section])
        lines = stored[section] if lines is None else lines
        data[f"{section}-TOTAL_FORMS"] = str(len(lines))
        data[f"{section}-INITIAL_FORMS"] = str(
            (initial or {}).get(section, min(existing, len(lines)))
        )
        data[f"{section}-MIN_NUM_FORMS"] = "0"
        data[f"{section}-MAX_NUM_FORMS"] = "1000"
        for i, line in enumerate(lines):
            data.update(_fields(f"{section}-{i}", line))
    return data


def field_errors(html: str, field_id: str) -> list[str]:
    """The messages shown next to one field (crispy's invalid-feedback block)."""
    match = re.search(rf'<div id="{field_id}_error" class="invalid-feedback">(.*?)</div>',
                      html, re.S)
    return re.findall(r"<strong>(.*?)</strong>", match.group(1)) if match else []


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def signatory_client(client, signatory):
    client.force_login(signatory)
    return client


@pytest.fixture
def submitted(draft, signatory, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.application_submit(application=draft, user=signatory)
    return submission


# --- "Mine søknader" -----------------------------------------------------------------

def test_archive_shows_only_the_users_own_organisation(editor_client, draft):
    other = ApplicationFactory(organisation=stavanger(), round=draft.round)
    CompetenceLineFactory(application=other, amount=Decimal("999999"))

    response = editor_client.get(reverse("applications:archive"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Trondheim - Tråante kommune" in html
    assert "Stavanger" not in html
    assert "kr\xa0999\xa0999" not in html
    assert "kr\xa0370\xa0000" in html  # 60 000 + 60 000 + 250 000, computed on the server
    assert reverse("applications:edit", args=[draft.pk]) in html
    assert reverse("applications:edit", args=[other.pk]) not in html


def test_archive_offers_to_start_an_application_for_an_open_round(editor_client, trondheim,
                                                                   open_round):
    response = editor_client.get(reverse("applications:archive"))

    html = response.content.decode()
    start = reverse("applications:start", args=[open_round.pk, trondheim.pk])
    assert f'action="{start}"' in html
    assert "Start søknad" in html


def test_start_twice_opens_the_same_draft(editor_client, trondheim, open_round):
    start = reverse("applications:start", args=[open_round.pk, trondheim.pk])

    first = editor_client.post(start)
    second = editor_client.post(start)

    application = Application.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == edit_url(application)
    assert application.status == ApplicationStatus.DRAFT


def test_a_refused_start_returns_to_the_archive_with_the_reason(editor_client, trondheim):
    closed = RoundFactory(
        year=2020, opens_at=timezone.now() - timedelta(days=60),
        application_deadline=timezone.now() - timedelta(minutes=1),
    )
    archive_url = reverse("applications:archive")

    response = editor_client.post(
        reverse("applications:start", args=[closed.pk, trondheim.pk]),
        HTTP_REFERER=f"http://testserver{archive_url}",
    )
    page = editor_client.get(archive_url)

    assert response.status_code == 302
    assert response["Location"] == f"http://testserver{archive_url}"
    assert "Søknadsrunden er ikke åpen." in page.content.decode()
    assert Application.objects.count() == 0


def test_start_for_an_organisation_one_is_not_a_member_of_is_404(client, trondheim, open_round):
    outsider = member(stavanger())
    client.force_login(outsider)

    response = client.post(reverse("applications:start", args=[open_round.pk, trondheim.pk]))

    assert response.status_code == 404
    assert Application.objects.count() == 0


def test_archive_shows_reference_pdf_checksum_and_documents_of_other_apps(
    editor_client, submitted, monkeypatch
):
    application = submitted.application
    letter = ArchiveDocument(
        application_id=application.pk, title="Tilskuddsbrev", status="Klar",
        created_at=timezone.now(), url="/brev/1/", sha256="ab" * 32,
        action_url="/brev/1/aksepter/", action_label="Aksepter tilskuddet",
    )
    monkeypatch.setattr(archive_registry, "_providers", [lambda ids: [letter]])

    response = editor_client.get(reverse("applications:archive"))

    html = response.content.decode()
    submitted.receipt.refresh_from_db()
    assert submitted.reference in html
    assert reverse("applications:receipt_pdf", args=[submitted.reference]) in html
    assert submitted.receipt.sha256 in html
    assert "Sendt inn" in html
    assert '<a href="/brev/1/">Tilskuddsbrev</a>' in html
    assert "ab" * 32 in html
    assert '<a href="/brev/1/aksepter/" class="d-block">Aksepter tilskuddet</a>' in html


# --- The form ------------------------------------------------------------------------

def test_form_page_shows_sections_deadline_and_what_is_missing(editor_client, trondheim,
                                                                open_round, editor):
    application = services.application_start(organisation=trondheim, round=open_round,
                                             user=editor)

    response = editor_client.get(edit_url(application), follow=True)
    parts = {key: editor_client.get(step_url(application, key)).content.decode()
             for key in ("kompetansetiltak", "bpa-opplaering", "tjenesteutvikling",
                         "oppsummering")}

    html = response.content.decode()
    deadline = timezone.localtime(open_round.application_deadline)
    assert response.redirect_chain == [(step_url(application, "om-soknaden"), 302)]
    assert 'id="section-header"' in html
    assert "1. Kompetansetiltak" in parts["kompetansetiltak"]
    assert "2. Opplæring i brukerstyrt personlig assistanse (BPA)" in parts["bpa-opplaering"]
    assert "3. Tjenesteutviklingsprosjekter" in parts["tjenesteutvikling"]
    assert f"kl. {deadline:%H:%M}" in html
    assert "Kontaktperson må fylles ut." in parts["oppsummering"]
    assert 'id="error-summary"' not in html  # what is missing is guidance, not errors yet
    assert 'for="id_header-contact_name"' in html
    assert all(re.search(rf'<label\s+for="id_projects-0-{field}"', parts["tjenesteutvikling"])
               for field, _label in PROJECT_CRITERIA)
    assert 'aria-live="polite"' in html
    assert reverse("applications:excel_download", args=[application.pk]) in html


def test_save_header_and_lines_through_the_form(editor_client, trondheim, open_round, editor):
    application = services.application_start(organisation=trondheim, round=open_round,
                                             user=editor)

    response = editor_client.post(edit_url(application), form_data(
        application, header=HEADER, competence=[COMPETENCE], bpa=[BPA], projects=[PROJECT],
    ))

    assert response.status_code == 302
    assert response["Location"] == edit_url(application)
    application.refresh_from_db()
    assert application.contact_name == "Kari Kontakt"
    assert application.own_financing == Decimal("100000")
    assert application.transferred_funds == Decimal("25000")
    assert application.has_leve_hele_livet_plan is True
    assert list(application.competence_lines.values_list(
        "education_type", "employees", "amount", "is_mental_health", "is_decentralised"
    )) == [("further_master", 3, Decimal("60000"), True, False)]
    assert list(application.bpa_lines.values_list("role", "persons", "amount")) == [
        ("work_leader", 2, Decimal("60000"))
    ]
    project = application.projects.get()
    assert (project.title, project.amount, project.evaluation) == (
        "Aktiv hverdag", Decimal("250000"), CRITERIA_ANSWER
    )
    assert application.draft_input == {}
    page = editor_client.get(edit_url(application), follow=True).content.decode()
    assert "Søknaden er lagret" in page
    assert "kr\xa0370\xa0000" in page
    header = editor_client.get(step_url(application, "om-soknaden")).content.decode()
    assert 'value="Kari Kontakt"' in header


def test_saving_again_updates_the_lines_instead_of_adding_new_ones(editor_client, draft):
    line = draft.competence_lines.get()

    editor_client.post(edit_url(draft), form_data(
        draft, competence=[{"id": line.pk, **COMPETENCE, "amount": "75000"}],
    ))

    assert list(draft.competence_lines.values_list("pk", "amount")) == [
        (line.pk, Decimal("75000"))
    ]


@pytest.mark.parametrize(("typed", "message"), [
    ("12,5", "Beløpet må være et helt antall kroner."),
    ("-5", "Beløpet må være større enn null."),
    ("abc", "Skriv beløpet i hele kroner, med bare tall (for eksempel 60000)."),
    ("20 000 001", "Beløpet kan ikke være over kr 20 000 000."),
])
def test_invalid_amount_is_shown_next_to_the_field_and_the_rest_is_saved(
    editor_client, draft, typed, message
):
    line = draft.competence_lines.get()
    before = list(draft.competence_lines.values_list("pk", "amount"))

    response = editor_client.post(edit_url(draft), form_data(
        draft, header={**HEADER, "contact_name": "Nina Ny"},
        competence=[{"id": line.pk, **COMPETENCE, "amount": typed}],
    ))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.contact_name == "Nina Ny"  # the valid header was saved
    assert list(draft.competence_lines.values_list("pk", "amount")) == before
    assert draft.draft_input["competence"]["competence-0-amount"] == [typed]
    # a fresh visit, days later, is sent to the step with the error
    response = editor_client.get(edit_url(draft), follow=True)
    page = response.content.decode()
    assert response.redirect_chain == [(step_url(draft, "kompetansetiltak"), 302)]
    assert field_errors(page, "id_competence-0-amount") == [message]
    assert f'value="{typed}"' in page
    assert (f'<a href="#id_competence-0-amount">Kompetansetiltak 1, søknadsbeløp (kr): '
            f"{message}</a>") in page
    assert 'role="alert"' in page


def test_fixing_a_kept_section_saves_it_and_forgets_the_kept_input(editor_client, draft):
    line = draft.competence_lines.get()
    editor_client.post(edit_url(draft), form_data(
        draft, competence=[{"id": line.pk, **COMPETENCE, "amount": "abc"}],
    ))

    editor_client.post(edit_url(draft), form_data(
        draft, competence=[{"id": line.pk, **COMPETENCE, "amount": "80000"}],
    ))

    draft.refresh_from_db()
    assert draft.draft_input == {}
    assert list(draft.competence_lines.values_list("pk", "amount")) == [
        (line.pk, Decimal("80000"))
    ]
    page = editor_client.get(edit_url(draft)).content.decode()
    assert 'id="error-summary"' not in page


def test_add_line_button_without_javascript_saves_and_shows_one_more_empty_line(
    editor_client, draft
):
    response = editor_client.post(edit_url(draft), form_data(draft, action="add-bpa"))

    assert response.status_code == 302
    assert response["Location"] == f"{edit_url(draft)}?ny=bpa#section-bpa"
    page = editor_client.get(response["Location"], follow=True).content.decode()
    assert 'name="bpa-TOTAL_FORMS" value="2"' in page
    assert 'id="bpa-line-1"' in page
    assert 'id="error-summary"' not in page
    assert draft.bpa_lines.count() == 1


def test_an_untouched_empty_line_produces_no_error_and_no_line(editor_client, draft):
    line = draft.bpa_lines.get()

    editor_client.post(edit_url(draft), form_data(
        draft, bpa=[{"id": line.pk, **BPA}, {"role": "", "persons": "", "amount": ""}],
        initial={"bpa": 1},
    ))

    draft.refresh_from_db()
    assert draft.draft_input == {}
    assert list(draft.bpa_lines.values_list("pk", flat=True)) == [line.pk]


def test_a_half_filled_new_line_is_an_error_and_is_kept(editor_client, draft):
    line = draft.bpa_lines.get()

    editor_client.post(edit_url(draft), form_data(
        draft, bpa=[{"id": line.pk, **BPA}, {"role": "assistant", "persons": "", "amount": ""}],
        initial={"bpa": 1},
    ))

    page = editor_client.get(edit_url(draft), follow=True).content.decode()
    assert field_errors(page, "id_bpa-1-amount") == ["Beløpet må fylles ut."]
    assert draft.bpa_lines.count() == 1


def test_fjern_linje_checkbox_removes_the_line(editor_client, draft):
    first = draft.competence_lines.get()
    second = CompetenceLineFactory(application=draft, amount=Decimal("40000"))

    editor_client.post(edit_url(draft), form_data(draft, competence=[
        {"id": first.pk, **COMPETENCE, "DELETE": True},
        {"id": second.pk, **COMPETENCE, "amount": "40000"},
    ]))

    assert list(draft.competence_lines.values_list("pk", flat=True)) == [second.pk]


def test_a_line_id_of_another_application_does_not_touch_that_line(editor_client, draft):
    other = CompetenceLineFactory(application=ApplicationFactory(organisation=stavanger(),
                                                                 round=draft.round))

    editor_client.post(edit_url(draft), form_data(
        draft, competence=[{"id": other.pk, **COMPETENCE, "amount": "1"}], initial={},
    ))

    other.refresh_from_db()
    assert other.amount == Decimal("60000")
    assert other.application.organisation.name == "Stavanger kommune"
    # saved as a new line of this draft; the draft's own line, which the page did not
    # hold, is kept (test_two_tabs.py)
    assert list(draft.competence_lines.order_by("pk").values_list("amount", flat=True)) == [
        Decimal("60000"), Decimal("1")]


def test_autosave_answers_with_the_time_errors_and_ids_of_new_lines(editor_client, draft):
    line = draft.competence_lines.get()

    response = editor_client.post(
        edit_url(draft),
        form_data(draft, action="autosave", competence=[
            {"id": line.pk, **COMPETENCE},
            {**COMPETENCE, "amount": "45000"},
        ], bpa=[{**BPA, "id": draft.bpa_lines.get().pk, "amount": "12,5"}]),
        headers={"X-Requested-With": "fetch"},
    )

    body = response.json()
    new = draft.competence_lines.exclude(pk=line.pk).get()
    draft.refresh_from_db()
    assert response.status_code == 200
    assert body["saved"] is True
    assert body["saved_at"] == f"{timezone.localtime(draft.updated_at):%H:%M}"
    assert body["errors"] == {"bpa-0-amount": ["Beløpet må være et helt antall kroner."]}
    assert body["ids"] == {"competence-1-id": new.pk}
    assert body["totals"]["competence"] == "kr\xa0105\xa0000"
    assert new.amount == Decimal("45000")
    assert draft.draft_input["bpa"]["bpa-0-amount"] == ["12,5"]


def test_autosave_with_the_ids_it_was_given_creates_no_duplicates(editor_client, draft):
    line = draft.competence_lines.get()
    data = form_data(draft, action="autosave", competence=[
        {"id": line.pk, **COMPETENCE}, {**COMPETENCE, "amount": "45000"},
    ])
    first = editor_client.post(edit_url(draft), data, headers={"X-Requested-With": "fetch"})

    data.update({name: str(pk) for name, pk in first.json()["ids"].items()})
    second = editor_client.post(edit_url(draft), data, headers={"X-Requested-With": "fetch"})

    assert second.json()["ids"] == {}
    assert draft.competence_lines.count() == 2


def test_county_municipality_may_only_apply_for_mental_health(client, open_round):
    county = OrganisationFactory(
        kind=OrganisationKind.COUNTY_MUNICIPALITY, name="Trøndelag fylkeskommune",
        org_number="817920632", municipality_number=None, county=CountyFactory(),
    )
    user = member(county, MembershipRole.EDITOR)
    application = services.application_start(organisation=county, round=open_round, user=user)
    client.force_login(user)

    client.post(edit_url(application), form_data(
        application, competence=[{**COMPETENCE, "is_mental_health": False}],
    ))

    page = client.get(edit_url(application), follow=True).content.decode()
    bpa = client.get(step_url(application, "bpa-opplaering")).content.decode()
    assert field_errors(page, "id_competence-0-is_mental_health") == [
        "Fylkeskommuner kan bare søke om kompetansetiltak innen psykisk helse og rus."
    ]
    assert application.competence_lines.count() == 0
    assert "Fylkeskommuner kan ikke søke om BPA-opplæring." in bpa
    assert 'value="add-bpa"' not in bpa


def test_a_sixth_project_is_refused_and_the_five_are_kept(editor_client, draft):
    for _ in range(4):
        ProjectFactory(application=draft)
    stored = list(draft.projects.values_list("pk", "title"))
    projects = [{"id": pk, **PROJECT, "title": title} for pk, title in stored]

    editor_client.post(edit_url(draft), form_data(
        draft, projects=[*projects, {**PROJECT, "title": "Prosjekt seks"}],
    ))

    page = editor_client.get(edit_url(draft), follow=True).content.decode()
    assert "En søknad kan ha høyst 5 prosjekter." in page
    assert list(draft.projects.values_list("pk", "title")) == stored


def test_the_add_project_button_is_gone_at_five_projects(editor_client, draft):
    for _ in range(4):
        ProjectFactory(application=draft)

    page = editor_client.get(f"{edit_url(draft)}?ny=projects", follow=True).content.decode()

    assert 'name="projects-TOTAL_FORMS" value="5"' in page
    assert re.search(r'value="add-projects"[^>]*hidden', page)
    assert "En søknad kan ha høyst 5 prosjekter." in page


# --- Attachments ---------------------------------------------------------------------

def test_attachment_that_is_not_a_pdf_is_refused_next_to_the_file_field(editor_client, draft):
    before = state(draft)

    response = editor_client.post(reverse("applications:attachment_add", args=[draft.pk]), {
        "attachment-kind": "other", "attachment-title": "Plan",
        "attachment-file": SimpleUploadedFile("plan.pdf", b"not a pdf at all"),
    })

    html = response.content.decode()
    assert response.status_code == 200
    assert field_errors(html, "id_attachment-file") == ["Vedlegg må være PDF-filer."]
    assert 'aria-current="step"' in html and "Steg i søknaden" in html  # the step is intact
    assert 'id="attachment-form"' in html
    assert state(draft) == before


def test_attachment_upload_download_and_remove(editor_client, draft):
    response = editor_client.post(reverse("applications:attachment_add", args=[draft.pk]), {
        "attachment-kind": "leve_hele_livet", "attachment-title": "Leve hele livet-plan",
        "attachment-file": SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf"),
    })
    attachment = Attachment.objects.get()
    download = editor_client.get(
        reverse("applications:attachment_download", args=[draft.pk, attachment.pk])
    )
    page = editor_client.get(response["Location"]).content.decode()
    removed = editor_client.post(
        reverse("applications:attachment_remove", args=[draft.pk, attachment.pk])
    )

    assert response.status_code == 302
    assert response["Location"] == f'{step_url(draft, "vedlegg")}#section-attachments'
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert "Leve hele livet-plan" in page
    assert removed.status_code == 302
    assert Attachment.objects.count() == 0


# --- Preview, signature, submit ------------------------------------------------------

def test_preview_shows_exactly_what_will_be_sent(editor_client, draft):
    response = editor_client.get(reverse("applications:preview", args=[draft.pk]))

    html = response.content.decode()
    deadline = timezone.localtime(draft.round.application_deadline)
    assert response.status_code == 200
    assert "Videreutdanning i psykisk helsearbeid" in html
    assert "Velferdsteknologi i hjemmetjenesten" in html
    assert "Sum søkt" in html
    assert "kr\xa0370\xa0000" in html
    assert f"kl. {deadline:%H:%M}" in html
    assert "Alt som kreves er fylt ut." in html


def test_editor_sees_send_to_signature_and_not_the_submit_button(editor_client, draft):
    response = editor_client.get(reverse("applications:preview", args=[draft.pk]))

    html = response.content.decode()
    assert "Send til signering" in html
    assert "Send inn søknaden" not in html
    assert reverse("applications:submit", args=[draft.pk]) not in html
    assert "Bare den som har signaturrett for Trondheim - Tråante kommune" in html


def test_editor_sends_to_signature_and_the_signatory_is_told(
    editor_client, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("applications:request_signature", args=[draft.pk]), follow=True
        )

    assert "Signaturberettiget er varslet." in response.content.decode()
    assert [m.to for m in mail.outbox] == [["signatur@example.no"]]
    draft.refresh_from_db()
    assert draft.signature_requested_at is not None


def test_editor_cannot_submit_and_nothing_changes(editor_client, draft):
    before = state(draft)

    response = editor_client.post(reverse("applications:submit", args=[draft.pk]))

    assert response.status_code == 200
    assert ("Bare den som har signaturrett for Trondheim - Tråante kommune kan sende inn "
            "eller trekke søknaden.") in response.content.decode()
    assert state(draft) == before


def test_signatory_sees_the_submit_button(signatory_client, draft):
    response = signatory_client.get(reverse("applications:preview", args=[draft.pk]))

    html = response.content.decode()
    assert "Send inn søknaden" in html
    assert reverse("applications:submit", args=[draft.pk]) in html
    assert "Send til signering" not in html


def test_signatory_submits_and_sees_the_receipt(
    signatory_client, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signatory_client.post(reverse("applications:submit", args=[draft.pk]))

    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:receipt", args=[submission.reference])
    page = signatory_client.get(response["Location"]).content.decode()
    sent = timezone.localtime(submission.submitted_at)
    assert "Søknaden er sendt inn" in page
    assert f'<p class="reference mb-2" id="reference">{submission.reference}</p>' in page
    assert re.fullmatch(r"KKT-\d{4}-5001-[A-Z0-9]{4}", submission.reference)
    assert f"kl. {sent:%H:%M}" in page
    assert "Trondheim - Tråante kommune (org.nr. 942110464)" in page
    assert "Statsforvalteren i Trøndelag" in page
    assert "kr\xa0370\xa0000" in page
    assert reverse("applications:receipt_pdf", args=[submission.reference]) in page


def test_receipt_shows_the_time_sent_in_oslo_time(signatory_client, signatory, trondheim):
    rnd = RoundFactory(
        year=2031, opens_at=datetime(2026, 1, 1, tzinfo=UTC),
        application_deadline=datetime(2099, 3, 17, 22, 59, tzinfo=UTC),
        reporting_deadline=datetime(2100, 3, 1, tzinfo=UTC),
    )
    application = complete_application(organisation=trondheim, round=rnd)
    submission = services.application_submit(
        application=application, user=signatory,
        now=datetime(2026, 6, 15, 10, 30, tzinfo=UTC),  # 12:30 in Oslo (summer time)
    )

    page = signatory_client.get(
        reverse("applications:receipt", args=[submission.reference])
    ).content.decode()

    assert "15. juni 2026 kl. 12:30" in page


def test_a_double_submit_gives_one_submission(signatory_client, draft):
    url = reverse("applications:submit", args=[draft.pk])

    first = signatory_client.post(url)
    second = signatory_client.post(url)

    assert first["Location"] == second["Location"]
    assert Submission.objects.count() == 1


def test_submit_with_broken_rules_lists_each_on_the_preview(signatory_client, draft):
    Application.objects.filter(pk=draft.pk).update(contact_name="")
    before = state(draft)

    response = signatory_client.post(reverse("applications:submit", args=[draft.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Søknaden kan ikke sendes før feilene er rettet." in html
    assert (f'<a href="{step_url(draft, "om-soknaden")}#id_header-contact_name">'
            "Kontaktperson må fylles ut.</a>") in html
    assert state(draft) == before


def test_submit_after_the_deadline_is_refused_and_the_draft_is_intact(
    signatory_client, trondheim
):
    closed = RoundFactory(
        year=2020, opens_at=timezone.now() - timedelta(days=60),
        application_deadline=timezone.now() - timedelta(minutes=1),
    )
    application = complete_application(organisation=trondheim, round=closed)
    before = state(application)

    response = signatory_client.post(reverse("applications:submit", args=[application.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Søknadsfristen gikk ut" in html
    assert "Søknaden er ikke sendt, men utkastet er lagret." in html
    assert state(application) == before
    assert application.status == ApplicationStatus.DRAFT


# --- A submitted application ---------------------------------------------------------

def test_a_submitted_application_is_shown_without_a_form(editor_client, submitted):
    response = editor_client.get(edit_url(submitted.application))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<form method=\"post\" action=\"" + edit_url(submitted.application) not in html
    assert 'name="header-contact_name"' not in html
    assert submitted.reference in html
    assert "Videreutdanning i psykisk helsearbeid" in html


def test_posting_to_a_submitted_application_is_refused_and_changes_nothing(
    editor_client, submitted
):
    application = submitted.application
    before = state(application)

    response = editor_client.post(edit_url(application), form_data(
        application, header={**HEADER, "contact_name": "Endret etterpå"},
    ), follow=True)

    assert ("Søknaden er sendt inn og kan ikke endres. Trekk den først om du må endre den."
            in response.content.decode())
    assert state(application) == before


def test_an_autosave_to_a_submitted_application_gets_the_refusal_as_json(
    editor_client, submitted
):
    # given: the application was sent in another tab while this one still shows the form
    application = submitted.application
    before = state(application)

    # when: this tab's autosave arrives
    response = editor_client.post(edit_url(application), form_data(
        application, action="autosave", header={**HEADER, "contact_name": "Endret etterpå"},
    ), headers={"X-Requested-With": "fetch"})

    # then: the script is told why, and nothing changed
    assert response.status_code == 409
    assert response.json() == {
        "ok": False, "code": "not_editable", "errors": [],
        "message": "Søknaden er sendt inn og kan ikke endres. Trekk den først om du må "
                   "endre den.",
    }
    assert state(application) == before


def test_receipt_pdf_downloads_for_members(editor_client, submitted):
    response = editor_client.get(reverse("applications:receipt_pdf", args=[submitted.reference]))
    status = editor_client.get(reverse("applications:receipt_status",
                                       args=[submitted.reference]))

    submitted.receipt.refresh_from_db()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{submitted.reference}.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert status.json() == {
        "status": "ready",
        "url": reverse("applications:receipt_pdf", args=[submitted.reference]),
        "sha256": submitted.receipt.sha256,
    }


def test_receipt_while_the_pdf_is_being_made(editor_client, draft, signatory):
    submission = services.application_submit(application=draft, user=signatory)  # not committed

    page = editor_client.get(reverse("applications:receipt", args=[submission.reference]))
    status = editor_client.get(reverse("applications:receipt_status",
                                       args=[submission.reference]))

    html = page.content.decode()
    assert "PDF-kopien lages …" in html
    assert 'aria-live="polite"' in html
    assert "Oppdater siden" in html
    assert status.json() == {"status": "pending", "url": "", "sha256": ""}
    # A click on «Hent PDF-kopien nå» makes it then (tests/applications/test_deadline_path.py)
    pdf = editor_client.get(reverse("applications:receipt_pdf", args=[submission.reference]))
    assert pdf.status_code == 200
    submission.receipt.refresh_from_db()
    assert submission.receipt.is_ready


# --- Withdraw and resubmit -----------------------------------------------------------

def test_withdraw_needs_a_reason_shown_next_to_the_field(signatory_client, submitted):
    application = submitted.application
    before = state(application)

    response = signatory_client.post(reverse("applications:withdraw", args=[application.pk]),
                                     {"reason": "  "})

    assert response.status_code == 200
    assert field_errors(response.content.decode(), "id_reason") == [
        "Skriv hvorfor søknaden trekkes."
    ]
    assert state(application) == before


def test_signatory_withdraws_with_a_reason_and_the_receipt_says_so(signatory_client, submitted):
    application = submitted.application
    form = signatory_client.get(reverse("applications:withdraw", args=[application.pk]))

    response = signatory_client.post(reverse("applications:withdraw", args=[application.pk]),
                                     {"reason": "Feil beløp i del 2."})

    application.refresh_from_db()
    submitted.refresh_from_db()
    assert 'name="reason"' in form.content.decode()
    assert response.status_code == 302
    assert response["Location"] == edit_url(application)
    assert application.status == ApplicationStatus.WITHDRAWN
    assert submitted.withdraw_reason == "Feil beløp i del 2."
    receipt = signatory_client.get(
        reverse("applications:receipt", args=[submitted.reference])
    ).content.decode()
    withdrawn = timezone.localtime(submitted.withdrawn_at)
    assert f"Søknaden ble trukket {withdrawn.day}." in receipt
    assert f"kl. {withdrawn:%H:%M}" in receipt
    assert "Feil beløp i del 2." in receipt


def test_editor_may_not_withdraw_and_nothing_changes(editor_client, submitted):
    application = submitted.application
    before = state(application)

    page = editor_client.get(reverse("applications:withdraw", args=[application.pk]))
    response = editor_client.post(reverse("applications:withdraw", args=[application.pk]),
                                  {"reason": "Vil endre."})

    assert 'name="reason"' not in page.content.decode()
    assert ("Bare den som har signaturrett for Trondheim - Tråante kommune kan sende inn eller "
            "trekke søknaden.") in response.content.decode()
    assert state(application) == before


def test_a_withdrawn_application_can_be_changed_and_resubmitted(
    signatory_client, submitted
):
    application = submitted.application
    signatory_client.post(reverse("applications:withdraw", args=[application.pk]),
                          {"reason": "Feil beløp."})
    line = application.competence_lines.get()
    signatory_client.post(edit_url(application), form_data(
        application, competence=[{"id": line.pk, **COMPETENCE, "amount": "70000"}],
    ))  # the form ticks the «Leve hele livet» plan: its document goes with it (rules)
    services.attachment_add(
        application=application, user=submitted.submitted_by, kind="leve_hele_livet",
        title="Plan", uploaded=SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf"))

    response = signatory_client.post(reverse("applications:submit", args=[application.pk]))

    live = Submission.objects.get(application=application, withdrawn_at__isnull=True)
    assert response["Location"] == reverse("applications:receipt", args=[live.reference])
    assert live.reference != submitted.reference
    assert live.total_applied == Decimal("380000")
    archive = signatory_client.get(reverse("applications:archive")).content.decode()
    assert live.reference in archive
    assert submitted.reference in archive


# --- Access: members only, everyone else 404 -----------------------------------------

def _other_municipality_member():
    return member(stavanger(), MembershipRole.SIGNATORY)


def _caseworker(application):
    return office_staff(application.organisation.county.office)


@pytest.fixture(params=["other_municipality", "caseworker"])
def outsider(request, draft):
    return _other_municipality_member() if request.param == "other_municipality" else (
        _caseworker(draft)
    )


def _urls(application, submission, attachment):
    pk, ref = application.pk, submission.reference
    return {
        "get": [
            reverse("applications:edit", args=[pk]),
            reverse("applications:preview", args=[pk]),
            reverse("applications:withdraw", args=[pk]),
            reverse("applications:receipt", args=[ref]),
            reverse("applications:receipt_status", args=[ref]),
            reverse("applications:receipt_pdf", args=[ref]),
            reverse("applications:attachment_download", args=[pk, attachment.pk]),
        ],
        "post": [
            reverse("applications:edit", args=[pk]),
            reverse("applications:submit", args=[pk]),
            reverse("applications:request_signature", args=[pk]),
            reverse("applications:withdraw", args=[pk]),
            reverse("applications:attachment_add", args=[pk]),
            reverse("applications:attachment_remove", args=[pk, attachment.pk]),
        ],
    }


@pytest.fixture
def submitted_with_attachment(draft, editor, signatory, django_capture_on_commit_callbacks):
    attachment = services.attachment_add(
        application=draft, user=editor, kind="other", title="Plan",
        uploaded=SimpleUploadedFile("plan.pdf", PDF),
    )
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.application_submit(application=draft, user=signatory)
    return submission, attachment


def test_outsiders_get_404_everywhere_and_nothing_changes(
    client, outsider, submitted_with_attachment
):
    submission, attachment = submitted_with_attachment
    application = submission.application
    before = state(application)
    client.force_login(outsider)
    urls = _urls(application, submission, attachment)

    got = [client.get(url).status_code for url in urls["get"]]
    posted = [client.post(url, {"reason": "Trekkes.", "action": "save",
                                "header-contact_name": "Inntrenger"}).status_code
              for url in urls["post"]]

    assert got == [404] * len(urls["get"])
    assert posted == [404] * len(urls["post"])
    assert state(application) == before
    assert application.submissions.get().withdrawn_at is None


def test_outsiders_get_404_on_a_draft_too(client, outsider, draft):
    before = state(draft)
    client.force_login(outsider)

    edit = client.post(edit_url(draft), form_data(draft, header={**HEADER,
                                                                 "contact_name": "Inntrenger"}))
    preview = client.get(reverse("applications:preview", args=[draft.pk]))

    assert (edit.status_code, preview.status_code) == (404, 404)
    assert state(draft) == before


def test_anonymous_is_sent_to_login(client, submitted):
    urls = [
        reverse("applications:archive"),
        edit_url(submitted.application),
        reverse("applications:receipt", args=[submitted.reference]),
        reverse("applications:receipt_pdf", args=[submitted.reference]),
    ]

    responses = [client.get(url) for url in urls]

    assert [r.status_code for r in responses] == [302] * len(urls)
    assert all(r["Location"].startswith(reverse("login")) for r in responses)


def test_post_only_views_refuse_get(editor_client, draft, open_round, trondheim):
    urls = [
        reverse("applications:start", args=[open_round.pk, trondheim.pk]),
        reverse("applications:submit", args=[draft.pk]),
        reverse("applications:request_signature", args=[draft.pk]),
        reverse("applications:attachment_add", args=[draft.pk]),
    ]

    assert [editor_client.get(url).status_code for url in urls] == [405] * len(urls)
    assert Submission.objects.count() == 0


def test_js_texts_are_embedded_for_the_script(editor_client, draft):
    page = editor_client.get(edit_url(draft), follow=True).content.decode()

    texts = json.loads(re.search(
        r'<script id="js-texts" type="application/json">(.*?)</script>', page, re.S
    ).group(1))
    assert texts["saved"] == "Sist lagret kl. %(time)s"
    assert 'src="/static/js/application-form.js" defer' in page
