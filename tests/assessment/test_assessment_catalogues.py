"""assessment/locale: the letter's words, a plural and a lazy sheet name in nynorsk and English
(no database; the letters themselves are read in test_letter_languages.py)."""

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from assessment.documents import competence_label
from assessment.national.excel import SUMMARY_SHEET
from assessment.rules import NO_APPEAL_TEXT


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
