"""«Mine søknader» shows an organisation's applications 25 a page, newest first, with a
pagination nav a screen reader can use; every application stays reachable (issue 15)."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from applications.archive_views import ARCHIVE_PAGE_SIZE
from applications.models import Application
from tests.applications.factories import complete_application
from tests.applications.test_queries import (
    ARCHIVE_PAGE_QUERIES,
    archive_providers,
    earlier_applications,
)
from tests.tilskudd.factories import OrganisationFactory
from tilskudd.models import Membership, MembershipRole, Round

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
    organisation costs two queries (how many, and its page), whatever it has sent."""
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

    with django_assert_num_queries(ARCHIVE_PAGE_QUERIES + archive_providers() + 2):
        html = client.get(
            reverse("applications:archive"), {"org": trondheim.pk, "side": 3}
        ).content.decode()

    oslo_part, trondheim_part = html.split(f'id="org-{trondheim.pk}-heading"')
    assert len(ROW.findall(trondheim_part)) == 10
    assert len(ROW.findall(oslo_part)) == ARCHIVE_PAGE_SIZE
    assert f"?org={oslo.pk}&amp;side=2#org-{oslo.pk}-applications" in oslo_part
