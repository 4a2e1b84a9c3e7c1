"""The pot's «recommended, waiting» counts a change request recommended for approval, per
part and per earmark or rest: its increase adds to the part it grows, its decrease is taken
off the part it shrinks (the whole pot's recommended does not move: the change's lines add
up to the grant). «Approved» stays as decided until the change is approved; a change
recommended for refusal, or not yet recommended, moves nothing.

Malvik is granted competence 60 000 and a respite project 150 000 (kr 210 000); the
earmark for respite projects is kr 300 000 of a pot of kr 1 000 000; the change moves
40 000 from the competence line into the project."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from assessment.excel import round_workbook
from assessment.pot import pot_summary
from reporting.changes import services
from reporting.changes.models import ChangeLetter

from .change_helpers import ask, recommended
from .test_change_earmarks import INTO_PROJECT, _earmark, _malvik

pytestmark = pytest.mark.django_db


@pytest.fixture
def malvik(trondheim, grant_round, budget, caseworker, approver, monkeypatch,
           django_capture_on_commit_callbacks):
    budget.pot = Decimal(1000000)
    budget.save(update_fields=["pot"])
    _earmark(budget, 300000)
    monkeypatch.setattr(ChangeLetter, "enqueue_on_commit", lambda job: None)
    return _malvik(trondheim, grant_round, caseworker, approver,
                   django_capture_on_commit_callbacks)


def figures(budget) -> dict:
    summary = pot_summary(budget)
    return {
        "recommended": summary.recommended,
        "general": summary.general_recommended,
        "earmarks": [(e.key, e.recommended, e.approved) for e in summary.earmarks],
        "parts": {p.part: (p.recommended, p.granted) for p in summary.parts},
        "approved": summary.approved,
        "after recommended": summary.remaining_after_recommended,
    }


#: As decided, with nothing waiting.
DECIDED = {
    "recommended": Decimal(0), "general": Decimal(0),
    "earmarks": [("respite", Decimal(0), Decimal(150000))],
    "parts": {"competence": (Decimal(0), Decimal(60000)), "bpa": (Decimal(0), Decimal(0)),
              "projects": (Decimal(0), Decimal(150000))},
    "approved": Decimal(210000), "after recommended": Decimal(790000),
}


#: While the change (INTO_PROJECT) is recommended for approval.
RECOMMENDED = {
    **DECIDED,
    "general": Decimal(-40000),
    "earmarks": [("respite", Decimal(40000), Decimal(150000))],
    "parts": {"competence": (Decimal(-40000), Decimal(60000)), "bpa": (Decimal(0), Decimal(0)),
              "projects": (Decimal(40000), Decimal(150000))},
}


def test_a_change_counts_as_recommended_once_recommended_and_as_approved_once_decided(
    malvik, budget, caseworker, approver
):
    # Given a change asked for: nothing is recommended yet
    application, signatory = malvik
    change = ask(application, signatory, INTO_PROJECT)
    assert figures(budget) == DECIDED

    # When it is recommended for approval, then approved
    recommended(change, caseworker)
    waiting = figures(budget)
    services.change_request_decide(change_request=change, user=approver)

    # Then the earmark (and the project) were promised 40 000 more, the rest (and the
    # competence line) 40 000 less, the whole pot nothing; approved, it is granted
    assert waiting == RECOMMENDED
    assert figures(budget) == {
        **DECIDED,
        "earmarks": [("respite", Decimal(0), Decimal(190000))],
        "parts": {"competence": (Decimal(0), Decimal(20000)), "bpa": (Decimal(0), Decimal(0)),
                  "projects": (Decimal(0), Decimal(190000))},
    }


def test_a_change_recommended_for_refusal_moves_nothing_until_recommended_for_approval(
    malvik, budget, caseworker, approver
):
    # Given a change recommended for refusal: it moves nothing
    application, signatory = malvik
    change = recommended(ask(application, signatory, INTO_PROJECT), caseworker, "refuse")
    assert figures(budget) == DECIDED

    # When the approver sends it back and it is recommended for approval
    services.change_request_return(change_request=change, user=approver, note="Se igjen.")
    recommended(change, caseworker)

    # Then
    assert figures(budget) == RECOMMENDED


def test_the_pot_page_shows_the_recommended_change_in_a_fixed_number_of_queries(
    client, malvik, budget, caseworker
):
    application, signatory = malvik
    recommended(ask(application, signatory, INTO_PROJECT), caseworker)
    url = reverse("admin:assessment_pot_change", args=[budget.pk])
    client.force_login(caseworker)
    client.get(url)

    with CaptureQueriesContext(connection) as captured:
        html = client.get(url).content.decode()

    assert "kr\u00a040\u00a0000" in html and "kr\u00a0\u221240\u00a0000" in html
    # the approved changes' and the recommended one's, then the lines it moves (one query
    # however many wait), of the page's 15: 14 with nothing waiting, 13 before it was asked
    assert len([q for q in captured if "reporting_changerequest" in q["sql"]]) == 2
    assert len(captured) == 15


def test_the_pot_page_says_why_a_part_is_recommended_less_while_a_change_waits(
    client, malvik, budget, caseworker
):
    # Given a change asked for and not yet recommended: the page has nothing to explain
    application, signatory = malvik
    change = ask(application, signatory, INTO_PROJECT)
    url = reverse("admin:assessment_pot_change", args=[budget.pk])
    client.force_login(caseworker)
    assert 'id="changes-waiting"' not in client.get(url).content.decode()

    # When it is recommended for approval (the rest's recommended is now −40 000)
    recommended(change, caseworker)
    html = client.get(url).content.decode()

    # Then the page says a change's decrease is counted as a deduction, in the reader's
    # language too
    assert "som et fradrag (minus)" in html
    client.cookies["django_language"] = "nn"
    assert "som eit fråtrekk (minus)" in client.get(url).content.decode()


def _summary_sheet(budget, language="nb"):
    """The office workbook's summary sheet, in `language`, as rows of values."""
    with translation.override(language):
        wb = load_workbook(io.BytesIO(round_workbook(budget)))
    return [row for row in wb.worksheets[1].iter_rows(values_only=True) if any(row)]


def test_the_office_workbook_says_why_a_part_is_recommended_less_while_a_change_waits(
    malvik, budget, caseworker
):
    # Given a change asked for and not yet recommended: nothing is negative, nothing noted
    application, signatory = malvik
    change = ask(application, signatory, INTO_PROJECT)
    before = _summary_sheet(budget)
    assert [row[3] for row in before if row[0] == "Kompetansetiltak"] == [0]
    assert not [row for row in before if "fradrag" in str(row[0])]

    # When it is recommended for approval
    recommended(change, caseworker)
    rows = _summary_sheet(budget)

    # Then the competence part's «Innstilt, venter (kr)» is −40 000 and the row under the
    # parts' sum says why, in the page's words, and in the caseworker's language too
    labels = [row[0] for row in rows]
    assert rows[labels.index("Kompetansetiltak")][3] == -40000
    note = rows[labels.index("Sum") + 1]
    assert note[0] == (
        "«Innstilt, venter» regner med endringssøknader som er innstilt til innvilgelse: det "
        "de flytter til en del, står der som et tillegg, og det de flytter fra en del, som et "
        "fradrag (minus). «Vedtatt» og «Igjen» står som vedtatt til endringen er avgjort.")
    assert note[1:] == (None,) * (len(note) - 1)
    nynorsk = _summary_sheet(budget, "nn")
    assert "som eit fråtrekk (minus)" in nynorsk[[r[0] for r in nynorsk].index("Sum") + 1][0]
    english = _summary_sheet(budget, "en")
    assert "as a deduction (minus)" in english[[r[0] for r in english].index("Total") + 1][0]
