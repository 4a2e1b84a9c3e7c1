"""The letter's small words: a part's total says «BPA-opplæring i alt» (not «Sum
bpa-opplæring»), and the approver is named with the role, «(godkjenner)». A part of one line
has no total (its line's amounts are the part's), so the application has two lines. The
change requests' deadline is the one the portal enforces (tilskudd.deadlines)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

import tests.pdf
from assessment.documents import render_letter
from tests.assessment.test_letter_languages import written_in
from tests.assessment.test_letters import make_letter, pdf_text

from .helpers import competence, decide, submit

OSLO = ZoneInfo("Europe/Oslo")

pytestmark = pytest.mark.django_db


def test_the_letter_names_each_parts_total_and_the_approvers_role(
    trondheim, open_round, budget, signatory, caseworker, approver,
    django_capture_on_commit_callbacks,
):
    application = submit(trondheim, open_round, signatory,
                         competence_lines=[competence("60000"), competence("40000")])
    assessment = decide(application, caseworker, approver)

    text = pdf_text(make_letter(assessment, caseworker, django_capture_on_commit_callbacks))

    assert "Kompetansetiltak i alt kr 100 000 kr 100 000" in text
    assert "bpa-opplæring" not in text
    assert f"{approver.full_name} (godkjenner)" in text
    assert "(godkjent)" not in text


def letter_text(application, language, caseworker, approver, capture) -> str:
    """The grant letter in nb or nn as the job makes it for the organisation's language
    form; in English, which no organisation is written to, the same letter rendered in it."""
    if language != "en":
        written_in(application.organisation, language)
    letter = make_letter(decide(application, caseworker, approver), caseworker, capture)
    if language != "en":
        return pdf_text(letter)
    with translation.override("en"):
        pdf, _name = render_letter(letter)
    return tests.pdf.pdf_text(pdf)


@pytest.mark.parametrize(("language", "due"), [
    ("nb", "Endringer i bruken av midlene må søkes om i løpet av året, senest "
           "15. september {year} kl. 12:00."),
    ("nn", "Endringar i bruken av midlane må det søkjast om i løpet av året, seinast "
           "15. september {year} kl. 12:00."),
    ("en", "Changes in how the funds are used must be applied for during the year, no "
           "later than 15 September {year} at 12:00."),
], ids=["nb", "nn", "en"])
def test_the_letter_names_the_rounds_own_change_deadline(
    application, caseworker, approver, language, due, django_capture_on_commit_callbacks,
):
    rnd = application.round
    rnd.change_deadline = datetime(rnd.year, 9, 15, 12, 0, tzinfo=OSLO)
    rnd.save(update_fields=["change_deadline"])

    text = letter_text(application, language, caseworker, approver,
                       django_capture_on_commit_callbacks)

    assert due.format(year=rnd.year) in text


@pytest.mark.parametrize(("language", "due"), [
    ("nb", "senest 1. oktober {year} kl. 23:59."),
    ("nn", "seinast 1. oktober {year} kl. 23:59."),
    ("en", "no later than 1 October {year} at 23:59."),
], ids=["nb", "nn", "en"])
def test_a_round_without_a_change_deadline_names_1_october_of_its_year(
    application, caseworker, approver, language, due, django_capture_on_commit_callbacks,
):
    assert application.round.change_deadline is None

    text = letter_text(application, language, caseworker, approver,
                       django_capture_on_commit_callbacks)

    assert due.format(year=application.round.year) in text
