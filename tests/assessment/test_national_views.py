"""The national view at /nasjonalt/: the directorate reads every office, office staff
only their own, everyone else is refused; the national export is the directorate's and
its sheets add up to what the view shows."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessment.models import Part
from assessment.national.excel import APPLIED, GRANTED, RECOMMENDED, SUMMARY_SHEET, sheet_title
from assessment.national.selectors import Filters, national_view
from tests.tilskudd.factories import UserFactory

from .test_national import two_offices_fixture  # noqa: F401 (the fixture two_offices)

URL = reverse("national:view")
EXPORT = reverse("national:export")


@pytest.fixture
def directorate(db):
    return UserFactory(email="les@helsedir.example.no", is_staff=True, is_directorate=True)


def test_the_directorate_sees_every_office_and_the_nation(client, directorate, two_offices):
    # Given
    client.force_login(directorate)

    # When
    response = client.get(URL)

    # Then
    assert response.status_code == 200
    view = response.context["view"]
    assert [o.office.code for o in view.offices] == ["rogaland", "trondelag"]
    assert view.total.granted_total == Decimal(280000)
    content = response.content.decode()
    assert "Nasjonal oversikt" in content
    assert 'role="img"' in content and "<figcaption" in content
    assert ' style="' not in content
    assert response.context["export_url"].startswith(EXPORT)


def test_the_directorate_may_choose_one_office(client, directorate, two_offices, rogaland_org):
    client.force_login(directorate)

    response = client.get(URL, {"round": two_offices.pk, "office": rogaland_org.office.pk})

    assert [o.office.code for o in response.context["view"].offices] == ["rogaland"]


def test_a_caseworker_sees_only_their_own_office_whatever_is_asked(
    client, caseworker, two_offices, rogaland_org
):
    # Given
    client.force_login(caseworker)

    # When
    response = client.get(URL, {"round": two_offices.pk, "office": rogaland_org.office.pk})

    # Then
    assert response.status_code == 200
    assert [o.office.code for o in response.context["view"].offices] == ["trondelag"]
    assert "office" not in response.context["form"].fields
    assert response.context["export_url"] == ""
    assert "Rogaland" not in response.content.decode()


def test_an_applicant_is_refused_and_an_anonymous_visitor_is_sent_to_sign_in(
    client, signatory, two_offices
):
    assert client.get(URL).status_code == 302
    client.force_login(signatory)
    assert client.get(URL).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_office_staff_may_not_take_the_national_export(client, caseworker, two_offices):
    client.force_login(caseworker)

    assert client.get(EXPORT).status_code == 403


def test_the_national_workbook_adds_up_to_the_view(client, directorate, two_offices):
    # Given
    client.force_login(directorate)
    view = national_view(Filters(round=two_offices))

    # When
    response = client.get(EXPORT, {"round": two_offices.pk})

    # Then
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="tildeling-nasjonalt-')
    wb = load_workbook(io.BytesIO(response.content), read_only=True)
    assert wb.sheetnames == [SUMMARY_SHEET, *(sheet_title(p) for p in Part.values)]
    for part in Part.values:
        rows = list(wb[sheet_title(part)].iter_rows(min_row=2, values_only=True))
        lines, total = rows[:-1], rows[-1]
        sums = [sum(row[column] or 0 for row in lines)
                for column in (APPLIED, RECOMMENDED, GRANTED)]
        expected = [view.total.applied[part], view.total.recommended[part],
                    view.total.granted[part]]
        assert sums == expected, part
        assert [total[0], total[APPLIED], total[RECOMMENDED], total[GRANTED]] == ["Sum", *expected]
    summary = list(wb[SUMMARY_SHEET].iter_rows(min_row=4, values_only=True))
    assert [row[0] for row in summary] == ["Rogaland", "Trøndelag", "Sum"]
    national = summary[-1]
    assert national[1:3] == (view.total.pot, view.total.earmarked)
    assert national[3:12] == tuple(
        amount for part in Part.values
        for amount in (view.total.applied[part], view.total.recommended[part],
                       view.total.granted[part]))
    assert national[12:16] == (500000, 280000, view.total.remaining, 2)


def test_the_admin_links_to_the_view_for_the_directorate_and_office_staff(
    client, directorate, caseworker
):
    client.force_login(directorate)
    assert f'<a href="{URL}">Nasjonal oversikt</a>' in client.get("/admin/").content.decode()

    client.force_login(caseworker)
    assert f'<a href="{URL}">Oversikt for embetet</a>' in client.get("/admin/").content.decode()
