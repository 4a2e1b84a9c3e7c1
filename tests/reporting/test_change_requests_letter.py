"""The change request's decision letter read back: the new amounts (the lines that change,
the others as one row with their sum), the office's reason, the applicant's reason and who
decided; a refusal says the grant stands as before; the rows' labels are tagged as row
headings."""

from decimal import Decimal

import pytest
from django.utils import translation

from reporting.changes import services
from reporting.changes.letters import render_change_letter
from reporting.changes.models import ChangeLetter
from tests.applications.conftest import bpa_line, competence_line, project
from tests.pdf import pdf_table_rows, pdf_text

from .change_helpers import REASON, accept, ask, lines_of, recommended
from .helpers import granted

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant(application, caseworker, signatory, django_capture_on_commit_callbacks):
    return accept(application, caseworker, signatory, django_capture_on_commit_callbacks)


@pytest.fixture
def wide_grant(trondheim, grant_round, budget, signatory, caseworker, approver,
               django_capture_on_commit_callbacks):
    """Trondheim's grant of kr 390 000 on five lines: competence 60 000, 140 000 and 30 000,
    BPA 60 000 and a project of 100 000, accepted."""
    application = granted(
        trondheim, grant_round, signatory, caseworker, approver,
        competence=[competence_line(),
                    competence_line(education_type="upper_secondary", description="Fagbrev",
                                    employees=4, amount=Decimal("140000"),
                                    is_mental_health=False),
                    competence_line(education_type="upper_secondary",
                                    description="Helsefagarbeider", employees=1,
                                    amount=Decimal("30000"), is_mental_health=False)],
        bpa=[bpa_line()], projects=[project(amount=Decimal("100000"))])
    return accept(application, caseworker, signatory, django_capture_on_commit_callbacks)


def _letter_pdf(change) -> bytes:
    letter = ChangeLetter.objects.get(change_request=change)
    with letter.file.open("rb") as fh:
        return fh.read()


def _letter_text(change) -> str:
    return pdf_text(_letter_pdf(change))


def _decided(change, caseworker, approver, capture):
    change = recommended(change, caseworker)
    with capture(execute=True):
        services.change_request_decide(change_request=change, user=approver)
    return change


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


def test_several_unchanged_lines_are_one_row_in_the_plural_in_english(
    wide_grant, signatory, caseworker, approver, django_capture_on_commit_callbacks
):
    # given: 40 000 moved from the second competence line to BPA; three lines keep theirs
    change = _decided(ask(wide_grant, signatory), caseworker, approver,
                      django_capture_on_commit_callbacks)
    # when: the letter is made in English (a letter is written in nb or nn, its
    # organisation's; the en catalogue has it for the portal's English readers)
    with translation.override("en"):
        data, _name = render_change_letter(ChangeLetter.objects.get(change_request=change))
    text = pdf_text(data)
    # then
    assert "(Fagbrev) NOK 140 000 NOK 100 000" in text
    assert "Arbeidsledere (brukere) NOK 60 000 NOK 100 000" in text
    assert ("NOK 100 000 3 measures unchanged NOK 190 000 NOK 190 000 "
            "Total NOK 390 000 NOK 390 000") in text
    assert text.count("unchanged") == 1


def test_a_letter_with_every_line_unchanged_has_that_row_and_the_sum(
    wide_grant, signatory, caseworker, approver, django_capture_on_commit_callbacks
):
    # given: only the project's content changes, so no amount moves
    [line] = lines_of(wide_grant)["projects"]
    change = services.change_request_submit(
        application=wide_grant, user=signatory, reason=REASON,
        lines=[services.LineChange(part="projects", line_id=line.line_id,
                                   requested=Decimal("100000"),
                                   new_content="Avlastning også på hverdager.")])
    # when
    change = _decided(change, caseworker, approver, django_capture_on_commit_callbacks)
    data = _letter_pdf(change)
    text = pdf_text(data)
    # then: the table is its heading, the one row of the five lines and the sum
    assert ("Innvilget før Innvilget nå 5 tiltak uendret kr 390 000 kr 390 000 "
            "Sum kr 390 000 kr 390 000") in text
    assert "Avlastning også på hverdager." in text
    assert pdf_table_rows(data) == [["TH", "TH", "TH"], ["TH", "TD", "TD"], ["TH", "TD", "TD"]]


def test_the_unchanged_row_and_the_sum_are_labelled_by_row_headings(
    grant, signatory, caseworker, approver, django_capture_on_commit_callbacks
):
    change = _decided(ask(grant, signatory), caseworker, approver,
                      django_capture_on_commit_callbacks)

    rows = pdf_table_rows(_letter_pdf(change))

    # the column headings, the two moved lines, the unchanged row and the sum
    assert rows == [["TH", "TH", "TH"], ["TD", "TD", "TD"], ["TD", "TD", "TD"],
                    ["TH", "TD", "TD"], ["TH", "TD", "TD"]]
