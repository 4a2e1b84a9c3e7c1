"""The admin's navigation sidebar (templates/admin/nav_sidebar.html): its list of apps is
Django's admin/app_list.html rendered once per list and kept
(tilskudd/templatetags/admin_sidebar.py, issue 15). It must be the markup Django's include
renders, for each user and page, and follow a change of what the user may see at once."""

import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from tests.tilskudd.factories import OfficeFactory, UserFactory, office_staff

pytestmark = pytest.mark.django_db

SIDEBAR = re.compile(r'<nav class="sticky" id="nav-sidebar".*?</nav>', re.S)
DJANGOS = Template("{% include 'admin/app_list.html' with app_list=available_apps "
                   "show_changelinks=False %}")
OURS = Template("{% load admin_sidebar %}{% sidebar_app_list %}")


def _sidebar(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return SIDEBAR.search(response.content.decode()).group(0)


def _both(user, path):
    from django.contrib import admin

    request = RequestFactory().get(path)
    request.user = user
    context = Context({"available_apps": admin.site.get_app_list(request), "request": request})
    return DJANGOS.render(context), OURS.render(context)


@pytest.mark.parametrize("kind", ["caseworker", "superuser", "directorate"])
@pytest.mark.parametrize("page", [
    "admin:index", "admin:assessment_submittedapplication_changelist",
    "admin:tilskudd_organisation_changelist", "admin:app_list"])
@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_kept_list_is_the_markup_djangos_include_renders(kind, page, language):
    user = {"caseworker": lambda: office_staff(OfficeFactory()),
            "superuser": lambda: UserFactory(is_staff=True, is_superuser=True),
            "directorate": lambda: UserFactory(is_staff=True, is_directorate=True)}[kind]()
    path = reverse(page, kwargs={"app_label": "assessment"} if page == "admin:app_list" else {})
    with translation.override(language):
        djangos, ours = _both(user, path)
        again = _both(user, path)[1]  # from what was kept

    assert ours == djangos == again
    assert 'aria-current="page"' in ours or page in ("admin:index", "admin:app_list")


def test_a_user_who_may_see_more_gets_the_longer_list_at_once(client):
    user = office_staff(OfficeFactory())
    client.force_login(user)
    changelist = reverse("admin:assessment_submittedapplication_changelist")
    before = _sidebar(client, changelist)
    user.is_superuser = True
    user.save()
    after = _sidebar(client, changelist)

    users = reverse("admin:tilskudd_user_changelist")
    assert users not in before
    assert users in after
    assert after.count('aria-current="page"') == before.count('aria-current="page"') == 1


def test_the_current_page_is_marked_on_each_page(client):
    client.force_login(office_staff(OfficeFactory()))
    lists = reverse("admin:assessment_submittedapplication_changelist")
    organisations = reverse("admin:tilskudd_organisation_changelist")

    on_lists = _sidebar(client, lists)
    on_organisations = _sidebar(client, organisations)

    assert f'<a href="{lists}" aria-current="page">' in on_lists
    assert f'<a href="{organisations}" aria-current="page">' in on_organisations
    assert f'<a href="{lists}" aria-current="page">' not in on_organisations
