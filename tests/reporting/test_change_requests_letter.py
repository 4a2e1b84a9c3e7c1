"""The change request's decision letter read back: the new amounts (the lines that change,
the others as one row with their sum), the office's reason, the applicant's reason and who
decided; a refusal says the grant stands as before."""

import pytest

from reporting.changes import services
from reporting.changes.models import ChangeLetter
from tests.pdf import pdf_text

from .change_helpers import REASON, accept, ask, recommended

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant(application, caseworker, signatory, django_capture_on_commit_callbacks):
    return accept(application, caseworker, signatory, django_capture_on_commit_callbacks)


def _letter_text(change) -> str:
    letter = ChangeLetter.objects.get(change_request=change)
    with letter.file.open("rb") as fh:
        return pdf_text(fh.read())


def test_the_approval_letter_shows_the_new_amounts_and_the_reasons(
    grant, signatory, caseworker, approver, django_capture_on_commit_callbacks
):
    change = recommended(ask(grant, signatory), caseworker,
                         note="Endringen styrker BPA-opplæringen i tråd med formålet.")
    with django_capture_on_commit_callbacks(execute=True):
        services.change_request_decide(change_request=change, user=approver)

    text = _letter_text(change)

    scheme = grant.round.scheme.name
    assert f"Svar på endringssøknad – {scheme} {grant.round.year}" in text
    assert "innvilger endringssøknaden fra" in text
    assert "Tilskuddet er fortsatt kr 260 000 i alt." in text
    assert "Innvilget før Innvilget nå" in text
    assert "kr 140 000 kr 100 000" in text  # the competence line that gives 40 000
    assert "kr 60 000 kr 100 000" in text  # BPA, which gets it
    # the line that keeps its 60 000 is one row with the others' sum, not a row of its own
    assert "1 tiltak uendret kr 60 000 kr 60 000" in text
    assert text.count("kr 60 000 kr 60 000") == 1
    assert "Sum kr 260 000 kr 260 000" in text
    assert "Endringen styrker BPA-opplæringen i tråd med formålet." in text
    assert REASON in text
    assert "Sara Saksbehandler (saksbehandler), Gunnar Godkjenner (godkjenner)" in text
    assert change.reference in text


def test_the_refusal_letter_says_the_grant_stands(
    grant, signatory, caseworker, approver, django_capture_on_commit_callbacks
):
    change = recommended(ask(grant, signatory), caseworker, "refuse",
                         "BPA-opplæringen er allerede dekket av tilskuddet.")
    with django_capture_on_commit_callbacks(execute=True):
        services.change_request_decide(change_request=change, user=approver)

    text = _letter_text(change)

    assert "avslår endringssøknaden fra" in text
    assert "Tilskuddet på kr 260 000 gjelder som før" in text
    assert "Innvilget før Søkt om" in text
    assert "BPA-opplæringen er allerede dekket av tilskuddet." in text
    assert "Innvilget nå" not in text
