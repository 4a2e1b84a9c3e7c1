"""assessment/locale: the letter's words, a plural and a lazy sheet name in nynorsk and English,
and the applicant's decision page in the signatory's language (the letters themselves are
read in test_letter_languages.py)."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from assessment import services
from assessment.documents import competence_label
from assessment.models import Acceptance
from assessment.national.excel import SUMMARY_SHEET
from assessment.rules import NO_APPEAL_TEXT

from .helpers import decide


@pytest.mark.parametrize(("language", "letter", "appeal"), [
    ("nb", "Tilskuddsbrev", "Det kan ikke klages"),
    ("nn", "Tilskotsbrev", "Det kan ikkje klagast"),
    ("en", "Allocation letter", "cannot be appealed"),
])
def test_the_letter_words_follow_the_active_language(language, letter, appeal):
    with translation.override(language):
        assert _("Tilskuddsbrev") == letter
        assert appeal in str(NO_APPEAL_TEXT)


@pytest.mark.parametrize(("language", "one", "three"), [
    ("nb", "Fagbrev (1 ansatt)", "Fagbrev – Helse (3 ansatte)"),
    ("nn", "Fagbrev (1 tilsett)", "Fagbrev – Helse (3 tilsette)"),
    ("en", "Fagbrev (1 employee)", "Fagbrev – Helse (3 employees)"),
])
def test_a_competence_line_counts_its_staff_in_the_active_language(language, one, three):
    with translation.override(language):
        assert competence_label("Fagbrev", "", 1) == one
        assert competence_label("Fagbrev", "Helse", 3) == three


def test_the_national_summary_sheet_is_named_when_the_workbook_is_made():
    with translation.override("nn"):
        assert str(SUMMARY_SHEET) == "Samandrag"
    with translation.override("en"):
        assert str(SUMMARY_SHEET) == "Summary"


@pytest.fixture
def decided(application, caseworker, approver, django_capture_on_commit_callbacks):
    """Trondheim's application granted in full, with its letter made."""
    assessment = decide(application, caseworker, approver)
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_generate(assessment=assessment, user=caseworker)
    return assessment


def in_language(user, language: str) -> None:
    type(user).objects.filter(pk=user.pk).update(language=language)


@pytest.mark.django_db
def test_the_decision_page_is_in_the_signatorys_language(client, decided, signatory):
    in_language(signatory, "nn")
    client.force_login(signatory)

    page = client.get(reverse("assessment:decision", args=[decided.application_id]))

    html = page.content.decode()
    assert page.status_code == 200
    assert 'lang="nn"' in html
    assert "Aksepter tilskotet" in html
    assert "Aksepter tilskuddet" not in html


@pytest.mark.django_db
def test_an_unconfirmed_acceptance_is_refused_in_english_and_nothing_is_saved(
    client, decided, signatory,
):
    in_language(signatory, "en")
    client.force_login(signatory)

    posted = client.post(reverse("assessment:accept", args=[decided.application_id]),
                         {"letter": decided.letters.get().pk})

    assert posted.status_code == 400
    assert "Tick the box to accept the grant." in posted.content.decode()
    assert Acceptance.objects.count() == 0
