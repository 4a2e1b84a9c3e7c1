"""The project's admin site (tilskudd/admin_site.py): its list of apps is built from each
model's names and links read once, with the user's permissions asked on every request.
It must be the list Django's AdminSite makes, for every user, language and app, and
follow a change of role or permission on the next request."""

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from tests.tilskudd.factories import OfficeFactory, UserFactory, office_staff
from tilskudd import services
from tilskudd.admin_site import TilskuddAdminSite
from tilskudd.models import OfficeMembership, User

pytestmark = pytest.mark.django_db


def _djangos(request, app_label=None):
    """The app list Django's own AdminSite makes of the same registry."""
    site = AdminSite(name=admin.site.name)
    site._registry = admin.site._registry
    return site.get_app_list(request, app_label)


def _request(user, path="/admin/"):
    request = RequestFactory().get(path)
    request.user = user
    return request


def _shown(app_list):
    """What a page shows of the list: names (translated), links and permissions."""
    return [(app["app_label"], str(app["name"]), app["app_url"], app["has_module_perms"],
             [(model["model"], str(model["name"]), model["object_name"], model["perms"],
               model["admin_url"], model["add_url"], model.get("view_only"))
              for model in app["models"]])
            for app in app_list]


USERS = {
    "caseworker": lambda: office_staff(OfficeFactory()),
    "superuser": lambda: UserFactory(is_staff=True, is_superuser=True),
    "directorate": lambda: UserFactory(is_staff=True, is_directorate=True),
    "staff without an office": lambda: UserFactory(is_staff=True),
}


def test_the_admin_site_is_the_projects():
    assert isinstance(admin.site._wrapped, TilskuddAdminSite)


@pytest.mark.parametrize("kind", list(USERS))
@pytest.mark.parametrize("language", ["nb", "nn", "en"])
@pytest.mark.parametrize("app_label", [None, "tilskudd", "assessment", "auth"])
def test_the_app_list_is_djangos(kind, language, app_label):
    request = _request(USERS[kind]())
    with translation.override(language):
        ours = admin.site.get_app_list(request, app_label)
        again = admin.site.get_app_list(request, app_label)  # from what was kept
        djangos = _djangos(request, app_label)

        assert _shown(ours) == _shown(again) == _shown(djangos)
    assert ours == djangos  # the same dictionaries, the same lazy names


def test_one_users_links_are_not_anothers():
    # given a superuser's list made first (the add links, the users' list)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    office_a, office_b = OfficeFactory(), OfficeFactory()
    first = admin.site.get_app_list(_request(superuser))
    caseworker_a = office_staff(office_a)
    caseworker_b = office_staff(office_b)

    # when the caseworkers' lists are made after it
    lists_a = admin.site.get_app_list(_request(caseworker_a))
    lists_b = admin.site.get_app_list(_request(caseworker_b))

    # then each is what Django makes for them: no add link, no users' list
    assert _shown(lists_a) == _shown(_djangos(_request(caseworker_a)))
    assert _shown(lists_b) == _shown(_djangos(_request(caseworker_b)))
    def adds(app_list):
        return {model["add_url"] for app in app_list for model in app["models"]} - {None}

    assert adds(lists_a) < adds(first)
    users = reverse("admin:tilskudd_user_changelist")
    assert users in str(_shown(first))
    assert users not in str(_shown(lists_a))
    assert _shown(first) != _shown(lists_a)


def test_a_user_who_loses_a_permission_no_longer_sees_the_model(client):
    # given staff without an office who may see the groups (Django's permission)
    user = UserFactory(is_staff=True)
    view_group = Permission.objects.get(codename="view_group")
    user.user_permissions.add(view_group)
    client.force_login(user)
    groups = reverse("admin:auth_group_changelist")
    assert groups in client.get(reverse("admin:index")).content.decode()

    # when the permission is taken away
    user.user_permissions.remove(view_group)

    # then the next page's sidebar and index no longer have the groups
    assert groups not in client.get(reverse("admin:index")).content.decode()
    assert Group._meta.app_label not in [
        app["app_label"] for app in admin.site.get_app_list(_request(user))]


def test_a_caseworker_removed_from_the_office_loses_the_lists_at_once(client):
    office = OfficeFactory()
    user = office_staff(office)
    client.force_login(user)
    lists = reverse("admin:assessment_submittedapplication_changelist")
    assert lists in client.get(reverse("admin:index")).content.decode()

    services.office_membership_revoke(
        membership=OfficeMembership.objects.get(user=user), revoked_by=None)

    assert admin.site.get_app_list(_request(User.objects.get(pk=user.pk))) == []
    assert lists not in client.get(reverse("admin:index")).content.decode()


def test_the_links_are_made_again_for_another_script_prefix():
    from django.urls import get_script_prefix, set_script_prefix

    request = _request(UserFactory(is_staff=True, is_superuser=True))
    here = admin.site.get_app_list(request)
    before = get_script_prefix()
    set_script_prefix("/under/")
    try:
        there = admin.site.get_app_list(request)
        djangos = _djangos(request)
    finally:
        set_script_prefix(before)

    assert _shown(there) == _shown(djangos)
    assert there[0]["app_url"].startswith("/under/admin/")
    assert not here[0]["app_url"].startswith("/under/")


def test_a_model_registered_later_is_in_the_list():
    class LaterGroup(Group):
        class Meta:
            proxy = True
            app_label = "auth"
            verbose_name = "aaa later group"

    request = _request(UserFactory(is_staff=True, is_superuser=True))
    admin.site.get_app_list(request)  # the entries made and kept
    admin.site.register(LaterGroup)
    try:
        shown = admin.site.get_app_list(request, "auth")
        djangos = _djangos(request, "auth")
    finally:
        admin.site.unregister(LaterGroup)

    assert _shown(shown) == _shown(djangos)
    assert "Aaa later groups" in [str(model["name"]) for model in shown[0]["models"]]
    assert "Aaa later groups" not in [
        str(model["name"]) for app in admin.site.get_app_list(request) for model in app["models"]]


def test_a_model_unregistered_while_the_list_is_made_is_sorted_with_the_rest():
    """The list is made and sorted from the same entries: an admin unregistered in between
    (another thread's, here its own) leaves no model without its place in the order."""
    class GoneGroup(Group):
        class Meta:
            proxy = True
            app_label = "auth"
            verbose_name = "gone group"

    class GoesAway(admin.ModelAdmin):
        def has_module_permission(self, request):
            if admin.site.is_registered(GoneGroup):
                admin.site.unregister(GoneGroup)
            return super().has_module_permission(request)

    request = _request(UserFactory(is_staff=True, is_superuser=True))
    admin.site.register(GoneGroup, GoesAway)
    try:
        shown = admin.site.get_app_list(request, "auth")
    finally:
        if admin.site.is_registered(GoneGroup):
            admin.site.unregister(GoneGroup)

    assert "Gone groups" in [str(model["name"]) for model in shown[0]["models"]]
    assert "Gone groups" not in [
        str(model["name"]) for app in admin.site.get_app_list(request) for model in app["models"]]
