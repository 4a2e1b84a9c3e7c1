"""The allocation letter and its e-mail name the scheme in the organisation's language form
(the letter's language, active while it renders), the PDF read back with pypdf."""

import pytest
from django.core import mail

from assessment.models import LetterKind
from tilskudd.models import Scheme
from tilskudd.seeding import KKT_NAMES

from .helpers import decide
from .test_letter_languages import letter_as, written_in
from .test_letters import pdf_text

pytestmark = pytest.mark.django_db


def translate_the_scheme(application) -> None:
    Scheme.objects.filter(pk=application.round.scheme_id).update(
        name_nb=KKT_NAMES["nb"], name_nn=KKT_NAMES["nn"], name_en=KKT_NAMES["en"])


@pytest.mark.parametrize("caseworker_language", ["nb", "en"])
def test_a_letter_to_a_nynorsk_municipality_names_the_scheme_in_nynorsk(
    application, caseworker, approver, caseworker_language,
    django_capture_on_commit_callbacks,
):
    translate_the_scheme(application)
    written_in(application.organisation, "nn")
    assessment = decide(application, caseworker, approver)

    letter = letter_as(caseworker_language, assessment, caseworker,
                       django_capture_on_commit_callbacks)

    text = pdf_text(letter)
    assert letter.kind == LetterKind.GRANT
    assert KKT_NAMES["nn"] in text
    assert KKT_NAMES["nb"] not in text
    assert KKT_NAMES["en"] not in text
    # and the e-mail that brings it
    subject = mail.outbox[0].subject
    assert f"{KKT_NAMES['nn']} {application.round.year}" in subject
    assert KKT_NAMES["nb"] not in subject


def test_a_letter_to_a_bokmal_municipality_names_it_in_bokmal_from_a_nynorsk_caseworker(
    application, caseworker, approver, django_capture_on_commit_callbacks,
):
    translate_the_scheme(application)
    written_in(application.organisation, "nb")
    assessment = decide(application, caseworker, approver)

    text = pdf_text(letter_as("nn", assessment, caseworker, django_capture_on_commit_callbacks))

    assert KKT_NAMES["nb"] in text
    assert KKT_NAMES["nn"] not in text
