"""After an approved change request the overviews show what is granted now, as the report
and the letters do: the national view (per part, per earmark), its workbook, the office's
workbook (its lines and its summary) and the pot page's summary. A change still waiting
for its decision moves nothing.

Trondheim's grant is competence 60 000 + 140 000 and BPA 60 000; the change moves 40 000
from the second competence line to BPA (change_helpers.MOVE_40K)."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from assessment.excel import round_workbook
from assessment.models import Part
from assessment.national.excel import GRANTED, national_workbook, sheet_title
from assessment.national.selectors import Filters, national_view
from assessment.pot import pot_summary
from reporting.changes import services
from tests.tilskudd.factories import OrganisationFactory, member
from tilskudd.models import Earmark, MembershipRole

from .change_helpers import accept, ask, recommended
from .helpers import competence_line, granted, project

pytestmark = pytest.mark.django_db

DECISION = {Part.COMPETENCE: Decimal(200000), Part.BPA: Decimal(60000), Part.PROJECTS: 0}
AFTER_CHANGE = {Part.COMPETENCE: Decimal(160000), Part.BPA: Decimal(100000),
                Part.PROJECTS: 0}


@pytest.fixture
def grant(application, caseworker, signatory, django_capture_on_commit_callbacks):
    return accept(application, caseworker, signatory, django_capture_on_commit_callbacks)


def approve(change, caseworker, approver, capture):
    change = recommended(change, caseworker)
    with capture(execute=True):
        services.change_request_decide(change_request=change, user=approver)


@pytest.fixture
def changed(grant, signatory, caseworker, approver, django_capture_on_commit_callbacks):
    approve(ask(grant, signatory), caseworker, approver, django_capture_on_commit_callbacks)
    return grant


def granted_per_part(figures) -> dict[str, Decimal]:
    return {part: figures.granted[part] for part in Part.values}


def test_the_national_view_shows_what_an_approved_change_moved(
    grant, signatory, caseworker, approver, grant_round, django_capture_on_commit_callbacks
):
    # Given a change recommended, not yet decided
    change = recommended(ask(grant, signatory), caseworker)
    assert granted_per_part(national_view(Filters(round=grant_round)).total) == DECISION

    # When it is approved
    with django_capture_on_commit_callbacks(execute=True):
        services.change_request_decide(change_request=change, user=approver)

    # Then
    view = national_view(Filters(round=grant_round))
    office = next(o for o in view.offices if o.office == grant.organisation.county.office)
    assert granted_per_part(office) == AFTER_CHANGE
    assert granted_per_part(view.total) == AFTER_CHANGE
    assert (view.total.granted_total, view.total.remaining) == (
        Decimal(260000), Decimal(30667000 - 260000))


def test_an_earmark_granted_follows_money_moved_to_its_project(
    trondheim, grant_round, budget, caseworker, approver, django_capture_on_commit_callbacks
):
    # Given Malvik granted competence 60 000 and 150 000 of a respite project, earmarked
    Earmark.objects.create(budget=budget, key="respite", name="Fleksible avlastningsmodeller",
                           amount=Decimal(400000))
    malvik = OrganisationFactory(name="Malvik kommune", municipality_number="5031",
                                 org_number="", county=trondheim.county)
    signatory = member(malvik, MembershipRole.SIGNATORY, email="signatur@malvik.example.no")
    application = granted(
        malvik, grant_round, signatory, caseworker, approver,
        amount=lambda line: Decimal(150000) if line.part == Part.PROJECTS else line.applied,
        competence=[competence_line()], projects=[project(topic="respite")],
    )
    accept(application, caseworker, signatory, django_capture_on_commit_callbacks)

    # When 40 000 moves from the competence line to the project
    change = ask(application, signatory, {(Part.COMPETENCE, 0): "20000",
                                          (Part.PROJECTS, 0): "190000"})
    approve(change, caseworker, approver, django_capture_on_commit_callbacks)

    # Then
    total = national_view(Filters(round=grant_round)).total
    assert granted_per_part(total) == {Part.COMPETENCE: Decimal(20000), Part.BPA: 0,
                                       Part.PROJECTS: Decimal(190000)}
    assert dict(total.earmark_granted) == {"respite": Decimal(190000)}
    summary = pot_summary(budget)
    assert [(row.key, row.approved) for row in summary.earmarks] == [
        ("respite", Decimal(190000))]
    assert summary.general_approved == Decimal(20000)


def test_the_national_workbook_shows_each_line_as_granted_now(changed, grant_round):
    # When
    wb = load_workbook(io.BytesIO(national_workbook(national_view(Filters(round=grant_round)))),
                       read_only=True)

    # Then
    competence = list(wb[sheet_title(Part.COMPETENCE)].iter_rows(min_row=2, values_only=True))
    bpa = list(wb[sheet_title(Part.BPA)].iter_rows(min_row=2, values_only=True))
    assert [row[GRANTED] for row in competence] == [60000, 100000, 160000]  # the last is «Sum»
    assert [row[GRANTED] for row in bpa] == [100000, 100000]


def test_the_office_workbook_shows_each_line_and_part_as_granted_now(changed, budget):
    # When
    wb = load_workbook(io.BytesIO(round_workbook(budget)))

    # Then «Innvilget (kr)» of each line, and the summary's per part, are the amounts now
    lines = list(wb["Linjer"].iter_rows(min_row=2, values_only=True))
    assert [(row[5], row[9]) for row in lines] == [
        ("Kompetansetiltak", 60000), ("Kompetansetiltak", 100000), ("BPA-opplæring", 100000)]
    summary = {row[0]: row[4] for row in wb["Sammendrag"].iter_rows(min_row=4, values_only=True)
               if row and row[0] in ("Kompetansetiltak", "BPA-opplæring", "Sum")}
    assert summary == {"Kompetansetiltak": 160000, "BPA-opplæring": 100000, "Sum": 260000}
    assert [(p.part, p.granted) for p in pot_summary(budget).parts] == list(
        AFTER_CHANGE.items())


def test_the_view_reads_as_many_queries_for_two_changed_grants_as_for_one(
    changed, trondheim, grant_round, caseworker, approver, django_capture_on_commit_callbacks
):
    # Given one changed grant
    with CaptureQueriesContext(connection) as one:
        national_view(Filters(round=grant_round))

    # When a second grant of the office is changed too
    malvik = OrganisationFactory(name="Malvik kommune", municipality_number="5031",
                                 org_number="", county=trondheim.county)
    signatory = member(malvik, MembershipRole.SIGNATORY, email="signatur@malvik.example.no")
    second = granted(malvik, grant_round, signatory, caseworker, approver,
                     competence=[competence_line(), competence_line(description="Fagbrev")])
    accept(second, caseworker, signatory, django_capture_on_commit_callbacks)
    approve(ask(second, signatory, {(Part.COMPETENCE, 0): "10000",
                                    (Part.COMPETENCE, 1): "110000"}),
            caseworker, approver, django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as two:
        view = national_view(Filters(round=grant_round))

    # Then
    assert len(two) == len(one)
    assert granted_per_part(view.total) == {Part.COMPETENCE: Decimal(280000),
                                            Part.BPA: Decimal(100000), Part.PROJECTS: 0}
