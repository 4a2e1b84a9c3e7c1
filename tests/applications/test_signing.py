"""«Til signering» is a state: an editor sends the application for signing, which locks
it; an editor may take it back, a signatory may submit it or send it back with a comment."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from applications import services
from applications.models import ApplicationStatus, StatusChange
from tests.applications.test_views import state
from tests.pdf import blank_pdf
from tilskudd.errors import ServiceError

LOCKED = ("Søknaden er sendt til signering og kan ikke endres. Ta den tilbake først om du "
          "må endre den.")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def to_sign(draft, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_request_signature(application=draft, user=editor)
    draft.refresh_from_db()
    mail.outbox.clear()
    return draft


def history(application):
    return list(StatusChange.objects.filter(application=application)
                .values_list("from_status", "to_status", "by__email", "note"))


def test_sending_for_signing_moves_the_draft_to_to_sign_with_history(to_sign, editor):
    assert to_sign.status == ApplicationStatus.TO_SIGN
    assert to_sign.get_status_display() == "Til signering"
    assert to_sign.signature_requested_by == editor
    assert history(to_sign) == [("draft", "to_sign", "utfyller@example.no", "")]


def test_an_application_sent_for_signing_refuses_every_change_and_nothing_changes(
    to_sign, editor
):
    before = state(to_sign)
    attempts = [
        lambda: services.application_update(application=to_sign, user=editor,
                                            header={"contact_name": "Endret"}),
        lambda: services.attachment_add(
            application=to_sign, user=editor, kind="other", title="Plan",
            uploaded=SimpleUploadedFile("plan.pdf", blank_pdf())),
        lambda: services.application_request_signature(application=to_sign, user=editor),
    ]

    refusals = []
    for attempt in attempts:
        with pytest.raises(ServiceError) as excinfo:
            attempt()
        refusals.append((excinfo.value.code, excinfo.value.message))

    assert refusals == [("not_editable", LOCKED)] * 3
    assert state(to_sign) == before


def test_an_editor_takes_it_back_and_may_change_it_again(to_sign, editor):
    services.application_take_back(application=to_sign, user=editor)

    to_sign.refresh_from_db()
    assert to_sign.status == ApplicationStatus.DRAFT
    services.application_update(application=to_sign, user=editor,
                                header={"contact_name": "Endret"})
    to_sign.refresh_from_db()
    assert to_sign.contact_name == "Endret"
    assert history(to_sign)[-1] == ("to_sign", "draft", "utfyller@example.no", "")


def test_only_an_application_sent_for_signing_can_be_taken_back_or_sent_back(
    draft, editor, signatory
):
    before = state(draft)
    codes = []
    for attempt in (
        lambda: services.application_take_back(application=draft, user=editor),
        lambda: services.application_send_back(application=draft, user=signatory,
                                               comment="Rett tallene."),
    ):
        with pytest.raises(ServiceError) as excinfo:
            attempt()
        codes.append(excinfo.value.code)

    assert codes == ["not_to_sign", "not_to_sign"]
    assert state(draft) == before


def test_the_signatory_sends_it_back_with_a_comment_and_the_editor_is_told(
    to_sign, signatory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_send_back(application=to_sign, user=signatory,
                                       comment="  Rett opp beløpet for BPA.  ")

    to_sign.refresh_from_db()
    assert to_sign.status == ApplicationStatus.DRAFT
    assert history(to_sign)[-1] == ("to_sign", "draft", "signatur@example.no",
                                    "Rett opp beløpet for BPA.")
    assert [m.to for m in mail.outbox] == [["kari@trondheim.example.no", "utfyller@example.no"]]
    assert "Kommentar: Rett opp beløpet for BPA." in mail.outbox[0].body
    assert f"/soknader/{to_sign.pk}/" in mail.outbox[0].body


def test_sending_back_needs_a_comment_and_a_signatory(to_sign, editor, signatory):
    before = state(to_sign)
    codes = []
    for user, comment in ((signatory, "   "), (editor, "Rett opp.")):
        with pytest.raises(ServiceError) as excinfo:
            services.application_send_back(application=to_sign, user=user, comment=comment)
        codes.append(excinfo.value.code)

    assert codes == ["comment_required", "not_signatory"]
    assert state(to_sign) == before


def test_the_signatory_submits_from_to_sign(to_sign, signatory):
    submission = services.application_submit(application=to_sign, user=signatory)

    to_sign.refresh_from_db()
    assert to_sign.status == ApplicationStatus.SUBMITTED
    assert submission.submitted_by == signatory
    assert history(to_sign)[-1] == ("to_sign", "submitted", "signatur@example.no",
                                    submission.reference)


# --- pages -------------------------------------------------------------------------


def test_the_editor_is_sent_to_the_read_only_page_with_take_back(editor_client, to_sign):
    response = editor_client.get(reverse("applications:edit", args=[to_sign.pk]), follow=True)

    html = response.content.decode()
    assert response.redirect_chain == [(reverse("applications:preview", args=[to_sign.pk]), 302)]
    assert "Den kan ikke endres mens den venter på signering." in html
    assert reverse("applications:take_back", args=[to_sign.pk]) in html
    assert "Endre søknaden" not in html
    assert reverse("applications:submit", args=[to_sign.pk]) not in html


def test_a_save_posted_while_it_waits_for_signing_is_refused_and_nothing_changes(
    editor_client, to_sign
):
    before = state(to_sign)

    response = editor_client.post(reverse("applications:edit", args=[to_sign.pk]),
                                  {"action": "save", "header-contact_name": "Endret"},
                                  follow=True)

    assert LOCKED in response.content.decode()
    assert state(to_sign) == before


def test_the_editor_takes_it_back_through_the_page(editor_client, to_sign):
    response = editor_client.post(reverse("applications:take_back", args=[to_sign.pk]),
                                  follow=True)

    to_sign.refresh_from_db()
    assert to_sign.status == ApplicationStatus.DRAFT
    assert "Søknaden er tatt tilbake fra signering og kan endres." in response.content.decode()


def test_the_signatory_sees_submit_and_send_back(client, signatory, to_sign):
    client.force_login(signatory)

    html = client.get(reverse("applications:preview", args=[to_sign.pk])).content.decode()

    assert reverse("applications:submit", args=[to_sign.pk]) in html
    assert reverse("applications:send_back", args=[to_sign.pk]) in html
    assert reverse("applications:take_back", args=[to_sign.pk]) not in html


def test_send_back_without_a_comment_says_so_next_to_the_field(client, signatory, to_sign):
    client.force_login(signatory)
    before = state(to_sign)

    response = client.post(reverse("applications:send_back", args=[to_sign.pk]),
                           {"comment": ""})

    assert response.status_code == 200
    assert "Skriv hva som må endres før søknaden kan sendes inn." in response.content.decode()
    assert state(to_sign) == before


def test_the_editor_sees_the_signatorys_comment_on_the_form(
    editor_client, signatory, to_sign
):
    signatory_client = Client()
    signatory_client.force_login(signatory)
    signatory_client.post(reverse("applications:send_back", args=[to_sign.pk]),
                {"comment": "Rett opp beløpet for BPA."})

    response = editor_client.get(reverse("applications:edit", args=[to_sign.pk]), follow=True)

    html = response.content.decode()
    assert response.context["user"].email == "utfyller@example.no"
    assert "Sigurd Signatur sendte søknaden tilbake" in html
    assert "Rett opp beløpet for BPA." in html
