"""The e-mail the signatories get when an editor sends the application for signing."""

from django.core import mail

from applications import services
from tilskudd.receipts import when


def test_the_signatories_are_asked_to_check_and_submit_with_link_and_deadline(
    draft, editor, signatory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_request_signature(application=draft, user=editor)

    [email] = mail.outbox
    assert email.to == ["signatur@example.no"]
    rnd = draft.round
    assert email.body.startswith(
        f"{editor.full_name} har gjort søknaden om {rnd.scheme.name} {rnd.year} klar og ber deg "
        "kontrollere og sende den inn.\n\nÅpne søknaden: ")
    assert f"/soknader/{draft.pk}/forhandsvis/" in email.body
    assert email.body.endswith(f"Søknadsfrist: {when(rnd.application_deadline)}.")
