"""Språklova §15 (2): the allocation and rejection letters and their e-mail are in the
organisation's chosen language form (tilskudd.languages), whatever the caseworker's own.
The nynorsk words come from assessment/locale/nn; these tests fail until it has them."""

from decimal import Decimal

import pytest
from django.core import mail
from django.test.utils import isolate_apps
from django.utils import translation
from django.utils.translation import gettext as _

from assessment import services
from assessment.models import AllocationLetter, LetterKind
from tilskudd.documents.jobs import LetterJob
from tilskudd.models import Organisation

from .helpers import decide, recommend
from .test_letters import make_letter, pdf_text

pytestmark = pytest.mark.django_db


def written_in(organisation: Organisation, language: str) -> None:
    Organisation.objects.filter(pk=organisation.pk).update(written_language=language)


def letter_as(caseworker_language, assessment, caseworker, capture):
    """The letter made from a request in the caseworker's language."""
    mail.outbox.clear()
    with translation.override(caseworker_language):
        return make_letter(assessment, caseworker, capture)


@pytest.mark.parametrize("caseworker_language", ["nb", "en"])
def test_a_grant_letter_to_a_nynorsk_municipality_is_in_nynorsk(
    application, caseworker, approver, caseworker_language,
    django_capture_on_commit_callbacks,
):
    written_in(application.organisation, "nn")
    assessment = decide(application, caseworker, approver)

    letter = letter_as(caseworker_language, assessment, caseworker,
                       django_capture_on_commit_callbacks)

    text = pdf_text(letter)
    assert letter.kind == LetterKind.GRANT
    assert "tilskot" in text.lower()
    assert "ikkje" in text
    assert "Tilskuddsbrev" not in text
    assert "ikke" not in text.split()
    assert "mars" in text  # the deadline's month in nynorsk (as in bokmål)


def test_a_rejection_letter_to_a_nynorsk_municipality_is_in_nynorsk(
    application, caseworker, approver, django_capture_on_commit_callbacks,
):
    written_in(application.organisation, "nn")
    assessment = recommend(application, caseworker, amount=lambda la: Decimal(0))
    services.assessment_approve(assessment=assessment, user=approver)

    letter = letter_as("nb", assessment, caseworker, django_capture_on_commit_callbacks)

    text = pdf_text(letter)
    assert letter.kind == LetterKind.REJECTION
    assert "Søknaden er avslått." not in text
    assert "tilskot" in text.lower()


@pytest.mark.parametrize("caseworker_language", ["nn", "en"])
def test_a_letter_to_a_bokmal_municipality_is_in_bokmal(
    application, caseworker, approver, caseworker_language,
    django_capture_on_commit_callbacks,
):
    written_in(application.organisation, "nb")
    assessment = decide(application, caseworker, approver)

    letter = letter_as(caseworker_language, assessment, caseworker,
                       django_capture_on_commit_callbacks)

    text = pdf_text(letter)
    assert "Tilskuddsbrev – Kompetanse- og tjenesteutviklingstilskudd" in text
    assert "tilskot" not in text.lower()
    assert "ikkje" not in text


def test_a_neutral_municipality_gets_its_offices_default(
    application, caseworker, approver, django_capture_on_commit_callbacks,
):
    written_in(application.organisation, "neutral")
    office = application.organisation.county.office
    office.default_written_language = "nn"
    office.save()
    assessment = decide(application, caseworker, approver)

    letter = letter_as("nb", assessment, caseworker, django_capture_on_commit_callbacks)

    assert "ikkje" in pdf_text(letter)


def _letter_subject(language: str, rnd) -> str:
    with translation.override(language):
        return _("Tilskuddsbrev: %(scheme)s %(year)s") % {"scheme": rnd.scheme.name,
                                                          "year": rnd.year}


def test_the_letter_e_mail_to_a_nynorsk_municipality_is_in_nynorsk(
    application, caseworker, approver, django_capture_on_commit_callbacks,
):
    written_in(application.organisation, "nn")
    assessment = decide(application, caseworker, approver)

    letter_as("en", assessment, caseworker, django_capture_on_commit_callbacks)

    message = mail.outbox[0]
    nynorsk = _letter_subject("nn", application.round)
    assert nynorsk != _letter_subject("nb", application.round)  # assessment/locale/nn has it
    assert message.subject.startswith(nynorsk)
    assert "ikkje" in message.body or "tilskot" in message.body.lower()


def test_the_letter_e_mail_to_a_bokmal_municipality_is_in_bokmal(
    application, caseworker, approver, django_capture_on_commit_callbacks,
):
    written_in(application.organisation, "nb")
    assessment = decide(application, caseworker, approver)

    letter_as("nn", assessment, caseworker, django_capture_on_commit_callbacks)

    message = mail.outbox[0]
    assert message.subject.startswith(_letter_subject("nb", application.round))
    assert "har fattet vedtak om søknaden fra" in message.body


def _pdf_language(letter) -> str:
    import io

    from pypdf import PdfReader

    letter.refresh_from_db()
    with letter.file.open("rb") as fh:
        return str(PdfReader(io.BytesIO(fh.read())).trailer["/Root"].get("/Lang", ""))


@pytest.mark.parametrize(("written", "expected"), [("nn", "nn"), ("nb", "nb"), ("", "nb")])
def test_the_letter_is_made_in_the_organisations_language_whoever_makes_it(
    application, caseworker, approver, written, expected, django_capture_on_commit_callbacks,
):
    written_in(application.organisation, written)
    assessment = decide(application, caseworker, approver)

    letter = letter_as("en", assessment, caseworker, django_capture_on_commit_callbacks)

    assert AllocationLetter.objects.get(pk=letter.pk).document_language() == expected
    assert _pdf_language(letter) == expected  # <html lang> of the letter, in the PDF


@isolate_apps("assessment")
def test_a_letter_that_does_not_name_its_recipient_is_refused_by_the_checks():
    class NamelessLetter(LetterJob):
        class Meta:
            app_label = "assessment"

    class NamedLetter(LetterJob):
        recipient = "assessment.application.organisation"

        class Meta:
            app_label = "assessment"

    assert [error.id for error in NamelessLetter.check()] == ["tilskudd.E101"]
    assert "tilskudd.E101" not in [error.id for error in NamedLetter.check()]
