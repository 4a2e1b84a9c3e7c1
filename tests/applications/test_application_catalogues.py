"""applications/locale: the form's words, the status choices, a plural, the carry-over, the
«Leve hele livet» rule and the reminder in nynorsk and English, and a page of the
application in each (the receipt's words are read in test_receipt_language.py)."""

from datetime import timedelta

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from applications.models import ApplicationStatus, BpaRole, bpa_persons
from applications.rules import LEVE_HELE_LIVET_MISSING


@pytest.mark.parametrize(("language", "status", "withdrawn", "assistants"), [
    ("nb", "Til signering", "Trukket", "3 assistenter"),
    ("nn", "Til signering", "Trekt", "3 assistentar"),
    ("en", "Awaiting signature", "Withdrawn", "3 assistants"),
])
def test_status_choices_and_plurals_follow_the_active_language(
    language, status, withdrawn, assistants,
):
    with translation.override(language):
        assert str(ApplicationStatus.TO_SIGN.label) == status
        assert str(ApplicationStatus.WITHDRAWN.label) == withdrawn
        assert bpa_persons(BpaRole.ASSISTANT, 3) == assistants


@pytest.mark.parametrize(("language", "carried_over", "plan", "reminder"), [
    ("nb", "overførte midler fra i fjor (kr)", "«Leve hele livet»", "Fristen er i morgen."),
    ("nn", "overførte midlar frå i fjor (kr)", "«Leve heile livet»", "Fristen er i morgon."),
    ("en", "funds carried over from last year (NOK)", "«Leve hele livet»",
     "The deadline is tomorrow."),
])
def test_the_new_parts_of_the_form_are_translated(language, carried_over, plan, reminder):
    with translation.override(language):
        assert _("overførte midler fra i fjor (kr)") == carried_over
        assert plan in str(LEVE_HELE_LIVET_MISSING)
        assert _("Fristen er i morgen.") == reminder
    with translation.override("nn"):
        assert "ikkje" in _("Søknadsrunden er ikke åpen.")


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "heading", "bokmal"), [
    ("nn", "Førehandsvising: søknad om", "Forhåndsvisning"),
    ("en", "Preview: application for", "Forhåndsvisning"),
])
def test_the_preview_is_in_the_signed_in_users_language(
    client, draft, editor, language, heading, bokmal,
):
    editor.language = language
    editor.save(update_fields=["language"])
    client.force_login(editor)

    page = client.get(f"/soknader/{draft.pk}/forhandsvis/").content.decode()

    assert f'lang="{language}"' in page
    assert heading in page
    assert bokmal not in page


@pytest.mark.django_db
@pytest.mark.parametrize(("written", "words", "not_words"), [
    ("nn", ["Påminning:", "Fristen er i morgon.", "er ikkje sendt inn"], ["Påminnelse"]),
    ("nb", ["Påminnelse:", "Fristen er i morgen.", "er ikke sendt inn"], ["Påminning"]),
])
def test_a_deadline_reminder_is_in_the_municipalitys_language_form(
    draft, trondheim, mailoutbox, django_capture_on_commit_callbacks, written, words, not_words,
):
    from applications.reminders import send_deadline_reminders

    trondheim.written_language = written
    trondheim.save(update_fields=["written_language"])
    the_day_before = draft.round.application_deadline - timedelta(days=1)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders(now=the_day_before) == 1

    text = mailoutbox[0].subject + mailoutbox[0].body
    assert all(word in text for word in words), text
    assert not any(word in text for word in not_words)


@pytest.mark.parametrize(("language", "one", "three"), [
    ("nb", "ABC-opplæring: 1 ansatt", "ABC-opplæring: 3 ansatte"),
    ("nn", "ABC-opplæring: 1 tilsett", "ABC-opplæring: 3 tilsette"),
    ("en", "ABC training: 1 employee", "ABC training: 3 employees"),
])
def test_a_competence_line_names_its_staff_in_the_active_language(language, one, three):
    from applications.models import CompetenceLine, EducationType

    with translation.override(language):
        assert str(CompetenceLine(education_type=EducationType.ABC, employees=1)) == one
        assert str(CompetenceLine(education_type=EducationType.ABC, employees=3)) == three
