"""«Mine søknader» shows an organisation's applications 25 a page, newest first, with a
pagination nav a screen reader can use; every application stays reachable (issue 15)."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from applications.archive_views import ARCHIVE_PAGE_SIZE
from applications.models import Application
from assessment.models import Assessment
from tests.applications.factories import CompetenceLineFactory, complete_application
from tests.applications.test_queries import (
    ARCHIVE_PAGE_QUERIES,
    earlier_applications,
)
from tests.tilskudd.factories import OrganisationFactory
from tilskudd import archive
from tilskudd.archive import ArchiveDocument
from tilskudd.models import Membership, MembershipRole, Round
from tilskudd.status import GrantStatus, Stage

ROW = re.compile(r'<th scope="row">\w+ (\d{4})</th>')


def years_on(client, organisation, side) -> list[int]:
    response = client.get(reverse("applications:archive"), {"org": organisation.pk, "side": side})
    assert response.status_code == 200
    return [int(year) for year in ROW.findall(response.content.decode())]


@pytest.fixture
def sixty(trondheim, open_round, signatory):
    application = complete_application(organisation=trondheim, round=open_round)
    earlier_applications(trondheim, open_round, 59, signatory)
    return application


def test_every_application_is_on_exactly_one_page_newest_first(client, editor, trondheim, sixty):
    client.force_login(editor)

    pages = [years_on(client, trondheim, side) for side in (1, 2, 3)]

    assert [len(page) for page in pages] == [ARCHIVE_PAGE_SIZE, ARCHIVE_PAGE_SIZE, 10]
    years = [year for page in pages for year in page]
    assert years == sorted(years, reverse=True)
    assert len(set(years)) == 60
    assert years[0] == sixty.round.year


def test_the_pagination_nav_is_labelled_and_marks_the_current_page(
    client, editor, trondheim, sixty
):
    client.force_login(editor)

    html = client.get(
        reverse("applications:archive"), {"org": trondheim.pk, "side": 2}
    ).content.decode()

    nav = re.search(r'<nav aria-label="Sider med søknader fra [^"]+">(.*?)</nav>', html, re.S)
    assert nav, "no labelled pagination nav"
    current = re.findall(r'<a class="page-link" href="([^"]+)" aria-current="page">', nav[1])
    archive = reverse("applications:archive")
    assert current == [f"{archive}?org={trondheim.pk}&amp;side=2#org-{trondheim.pk}-applications"]
    assert "Forrige side" in nav[1] and "Neste side" in nav[1]
    assert f'id="org-{trondheim.pk}-applications"' in html
    assert "Søknad 26–50 av 60, nyeste først." in html


def test_the_open_rounds_application_is_offered_from_every_page(client, editor, trondheim, sixty):
    client.force_login(editor)

    html = client.get(
        reverse("applications:archive"), {"org": trondheim.pk, "side": 3}
    ).content.decode()

    assert reverse("applications:edit", args=[sixty.pk]) in html
    assert sixty.round.year not in years_on(client, trondheim, 3)


@pytest.mark.parametrize(("side", "shown"), [("x", 25), ("0", 10), ("99", 10), ("", 25)])
def test_a_page_number_out_of_range_shows_the_first_or_the_last(
    client, editor, trondheim, sixty, side, shown
):
    client.force_login(editor)

    assert len(years_on(client, trondheim, side)) == shown


def test_one_page_of_applications_has_no_pagination(client, editor, draft):
    client.force_login(editor)
    html = client.get(reverse("applications:archive")).content.decode()

    assert '<nav aria-label="Sider med søknader' not in html
    assert len(ROW.findall(html)) == 1


def test_the_pagination_is_translated(client, editor, trondheim, sixty):
    client.force_login(editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(reverse("applications:archive")).content.decode()

    assert "Next page" in html
    assert "Applications 1–25 of 60, newest first." in html


def test_each_organisation_is_paged_on_its_own(
    client, editor, trondheim, open_round, sixty, django_assert_num_queries
):
    """A member of two organisations pages one list; the other shows its first page; each
    organisation costs a query (its page), whatever it has sent: how many applications
    each has is one query for all of them."""
    oslo = OrganisationFactory(
        name="Oslo kommune", org_number="958935420", municipality_number="0301"
    )
    Membership.objects.create(user=editor, organisation=oslo, role=MembershipRole.EDITOR)
    complete_application(organisation=oslo, round=open_round)
    Application.objects.bulk_create(
        [  # in the rounds Trondheim applied for before
            Application(organisation=oslo, round=rnd)
            for rnd in Round.objects.exclude(pk=open_round.pk)[:29]
        ]
    )
    client.force_login(editor)

    with django_assert_num_queries(ARCHIVE_PAGE_QUERIES + 1):
        html = client.get(
            reverse("applications:archive"), {"org": trondheim.pk, "side": 3}
        ).content.decode()

    oslo_part, trondheim_part = html.split(f'id="org-{trondheim.pk}-heading"')
    assert len(ROW.findall(trondheim_part)) == 10
    assert len(ROW.findall(oslo_part)) == ARCHIVE_PAGE_SIZE
    assert f"?org={oslo.pk}&amp;side=2#org-{oslo.pk}-applications" in oslo_part


def _status(application_id: int, stage: Stage) -> GrantStatus:
    return GrantStatus(application_id=application_id, stage=stage)


def test_a_provider_is_asked_only_for_the_rows_that_have_come_far_enough(monkeypatch):
    """With the rows' status lines, a provider registered with a stage is asked for the
    rows at that stage or further, and not at all when none is; one without a stage, and
    every provider when no status lines are given, is asked for every row."""
    asked: dict[str, list[list[int]]] = {"any": [], "case": [], "report": []}

    def provider(name):
        def documents(ids):
            asked[name].append(list(ids))
            return [ArchiveDocument(application_id=pk, title=name, status="",
                                    created_at=timezone.now()) for pk in ids]
        return documents

    monkeypatch.setattr(archive, "_providers", [])
    monkeypatch.setattr(archive, "_from_stage", {})
    archive.register_archive_provider(provider("any"))
    archive.register_archive_provider(provider("case"), from_stage=Stage.IN_ASSESSMENT)
    archive.register_archive_provider(provider("report"), from_stage=Stage.REPORT_DRAFT)
    statuses = {1: _status(1, Stage.DRAFT), 2: _status(2, Stage.SUBMITTED),
                3: _status(3, Stage.IN_ASSESSMENT), 4: _status(4, Stage.ACCEPTED)}

    found = archive.archive_documents([1, 2, 3, 4], statuses)

    assert asked == {"any": [[1, 2, 3, 4]], "case": [[3, 4]], "report": []}
    assert [d.title for d in found[4]] == ["any", "case"]
    assert [d.title for d in found[1]] == ["any"]

    archive.archive_documents([1, 2], None)

    assert asked["report"] == [[1, 2]]


def test_a_row_in_assessment_asks_the_letter_provider_for_that_row_only(
    client, editor, trondheim, sixty, django_assert_num_queries, monkeypatch
):
    """On a page where one row has a case at the office, the allocation letters are asked
    for (one query) for that row only; the reports' and the changes' providers not at all."""
    submitted = Application.objects.filter(organisation=trondheim).exclude(pk=sixty.pk).first()
    Assessment.objects.create(application=submitted)
    asked = []
    letters = next(p for p in archive._providers if p.__module__ == "assessment.archive")

    def counted(ids):
        asked.append(list(ids))
        return letters(ids)

    monkeypatch.setattr(archive, "_providers",
                        [counted if p is letters else p for p in archive._providers])
    monkeypatch.setattr(archive, "_from_stage",
                        {**archive._from_stage, counted: archive._from_stage[letters]})
    client.force_login(editor)

    with django_assert_num_queries(ARCHIVE_PAGE_QUERIES + 1):
        response = client.get(reverse("applications:archive"))

    assert response.status_code == 200
    assert asked == [[submitted.pk]]


def test_a_rows_words_are_escaped(client, editor, draft, monkeypatch):
    """The rows are written out in Python (archive_rows): what a provider says is escaped."""
    monkeypatch.setattr(archive, "_providers", [lambda ids: [ArchiveDocument(
        application_id=pk, title="<b>Brev</b>", status='"klar"', created_at=timezone.now(),
        url="/a?b=1&c=2", action_url="/x", action_label="Gå <videre>") for pk in ids]])
    client.force_login(editor)

    html = client.get(reverse("applications:archive")).content.decode()

    assert '<a href="/a?b=1&amp;c=2">&lt;b&gt;Brev&lt;/b&gt;</a>' in html
    assert '<span class="small">(&quot;klar&quot;)</span>' in html
    assert '<a href="/x" class="d-block">Gå &lt;videre&gt;</a>' in html
    assert "<b>Brev</b>" not in html


def test_a_stage_provider_with_a_stage_is_asked_for_the_applications_that_far(monkeypatch):
    """tilskudd.status: a provider registered with from_stage (reporting's, from a grant) is
    asked after the others, for the applications they put at that stage or later only."""
    from types import SimpleNamespace

    from tilskudd import status

    asked = []

    def reports(applications):
        asked.append([a.pk for a in applications])
        return {a.pk: status.StageFound(Stage.REPORT_DRAFT) for a in applications}

    monkeypatch.setattr(status, "_providers", [])
    monkeypatch.setattr(status, "_from_stage", {})
    status.register_stage_provider(reports, from_stage=Stage.GRANTED)
    status.register_stage_provider(lambda applications: {
        1: status.StageFound(Stage.SUBMITTED), 2: status.StageFound(Stage.REJECTED),
        3: status.StageFound(Stage.GRANTED, granted=10), 4: status.StageFound(Stage.ACCEPTED)})
    rows = [SimpleNamespace(pk=pk) for pk in (1, 2, 3, 4)]

    found = status.grant_status_for(rows)

    assert asked == [[3, 4]]
    assert {pk: s.stage for pk, s in found.items()} == {
        1: Stage.SUBMITTED, 2: Stage.REJECTED, 3: Stage.REPORT_DRAFT, 4: Stage.REPORT_DRAFT}
    assert status.grant_status_for(rows[:2]) and asked == [[3, 4]]


@pytest.mark.parametrize("moment", ["2027-03-01T08:05:00+00:00", "2026-10-25T00:30:00+00:00",
                                    "2026-10-25T01:30:00+00:00", "2026-12-31T23:59:00+00:00"])
def test_the_rows_dates_read_as_the_date_filter_writes_them(moment):
    from datetime import datetime

    from django.utils.formats import date_format

    from applications import archive_rows

    at = datetime.fromisoformat(moment)
    local = timezone.localtime(at)
    assert archive_rows._day_and_time(at) == date_format(local, "j.n.Y H:i")
    assert archive_rows._day(at) == date_format(local, "j.n.Y")


def test_a_page_compiled_once_reads_what_the_query_reads(trondheim, sixty):
    """selectors.ArchivePages runs archive_applications' SQL compiled once (not falling back
    to the ORM), and its rows are the ORM's, annotations included, on every page."""
    from django.db import DEFAULT_DB_ALIAS, connections

    from applications import selectors

    columns = ("pk", "organisation_id", "round_id", "status", "signature_requested_at",
               "lines_total", "round_year", "scheme_code")

    def rows(applications):
        return [tuple(getattr(a, c) for c in columns) for a in applications]

    for start in (0, 25, 50):
        page = slice(start, start + ARCHIVE_PAGE_SIZE)
        compiled = selectors.ArchivePages(trondheim.pk)[page]
        prepared = selectors.ArchivePages.compiled(page).prepared(connections[DEFAULT_DB_ALIAS])
        assert prepared is not None
        assert rows(compiled) == rows(selectors.archive_applications(trondheim.pk)[page])
        assert len(compiled) == [25, 25, 10][start // 25]

    # the list's "Sum søkt" for a row not sent is the sum the form and the snapshot make
    from applications.snapshot import totals

    sixty_with_lines = Application.objects.get(pk=sixty.pk)
    CompetenceLineFactory(application=sixty_with_lines, amount=12_345)
    listed = {a.pk: a.lines_total for a in selectors.ArchivePages(trondheim.pk)[slice(0, 25)]}
    assert listed[sixty.pk] == totals(sixty_with_lines)["applied"] > 12_345
