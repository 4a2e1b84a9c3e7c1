"""The parts of the caseworkers' list around its table (assessment/templatetags/admin_page.py,
issue 15) are Django's: the actions form's fields, kept for each language and set of
actions, are what Django's admin/actions.html renders; the pagination is Django's
admin/pagination.html (many pages, page 3 sorted and filtered, the last page, one page,
the «Show all» link, a search holding the page placeholder); the scripts are Django's
`{{ media.js }}`."""

import pytest
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.templatetags.admin_list import pagination
from django.template import Context
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from assessment.templatetags.admin_page import (
    ACTION_FORM,
    PAGE_PLACEHOLDER,
    kept_action_form,
    kept_media_js,
    list_pagination,
)
from tests.tilskudd.factories import UserFactory

from .test_admin import _bulk_applications

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:assessment_submittedapplication_changelist"


def _get(client, params=None, language="nb"):
    response = client.get(reverse(CHANGELIST), params or {},
                          headers={"accept-language": language})
    assert response.status_code == 200
    return response


def _djangos_actions_form(form) -> str:
    """The form's fields as Django's block actions-form renders them."""
    return ACTION_FORM.render(Context({"action_form": form}))


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_actions_bar_is_the_one_django_renders(client, application, caseworker, language):
    client.force_login(caseworker)

    with translation.override(language):
        first = _get(client, language=language)
        response = _get(client, language=language)  # from what was kept
        context = {name: response.context[name] for name in [
            "action_form", "cl", "actions_selection_counter", "selection_note",
            "selection_note_all", "module_name"]}
        djangos = render_to_string("admin/actions.html", {**context, "action_index": 0})

    text = response.content.decode()
    assert djangos.strip() in text
    assert djangos.strip() in first.content.decode()
    assert '<option value="assign_to_me">' in djangos
    assert 'name="select_across"' in djangos


def test_a_kept_form_is_kept_for_its_language_and_actions_only():
    def form(choices):
        made = ActionForm(auto_id=None)
        made.fields["action"].choices = choices
        return made

    two = [("", "---------"), ("a", "Første"), ("b", "Andre")]
    with translation.override("nb"):
        nb = kept_action_form(form(two))
        one = kept_action_form(form(two[:2]))
        again = kept_action_form(form(two))
        djangos_nb = _djangos_actions_form(form(two))
    with translation.override("en"):
        en = kept_action_form(form(two))
        djangos_en = _djangos_actions_form(form(two))

    assert nb == again == djangos_nb
    assert en == djangos_en != nb  # «Action:» in English
    assert 'value="b"' in nb and 'value="b"' not in one


def test_a_bound_form_shows_what_was_chosen_and_is_not_kept():
    form = ActionForm({"action": "b", "select_across": "1"}, auto_id=None)
    form.fields["action"].choices = [("", "---------"), ("a", "Første"), ("b", "Andre")]

    shown = kept_action_form(form)

    assert shown == _djangos_actions_form(form)
    assert '<option value="b" selected>' in shown
    assert 'value="1"' in shown


@pytest.fixture
def directorate_list(client, trondheim, open_round, budget, caseworker, approver):
    _bulk_applications(260, county=trondheim.county, rnd=open_round, caseworker=caseworker,
                       approver=approver)
    client.force_login(UserFactory(is_staff=True, is_directorate=True))
    return client


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("params", [
    {},
    {"p": "3", "o": "-1", "organisation__is_rural_district__exact": "1"},
    {"p": "6"},  # the last page
    {"case": "decided"},  # 65: two pages, and «Show all»
    {"q": "Selskap 00"},  # one page
    {"q": f"Selskap {PAGE_PLACEHOLDER}"},  # no rows; the placeholder in the query
])
def test_the_pagination_is_the_one_django_renders(directorate_list, params, language):
    with translation.override(language):
        response = _get(directorate_list, params, language)
        cl = response.context["cl"]
        djangos = render_to_string("admin/pagination.html", pagination(cl))
        ours = list_pagination(cl)

    assert ours == djangos
    assert ours in response.content.decode()


def test_the_pagination_links_each_page_keeping_the_sorting_and_filters(directorate_list):
    params = {"p": "2", "o": "-1", "organisation__is_rural_district__exact": "1"}  # 130 rows

    ours = list_pagination(_get(directorate_list, params, "en").context["cl"])

    kept = "?o=-1&amp;organisation__is_rural_district__exact=1"
    assert f'<a href="{kept}&amp;p=1">1</a> ' in ours
    assert '<span class="this-page">2</span> ' in ours
    assert f'<a href="{kept}&amp;p=3" class="end">3</a> ' in ours
    assert ('<a href="?all=&amp;o=-1&amp;organisation__is_rural_district__exact=1" '
            'class="showall">Show all</a>') in ours


def test_the_scripts_are_djangos(client, application, caseworker):
    client.force_login(caseworker)

    response = _get(client)
    again = _get(client)

    media = response.context["media"]
    assert kept_media_js(media) == media["js"].render()
    assert media["js"].render() in response.content.decode()
    assert media["js"].render() in again.content.decode()
    assert "admin/js/actions" in media["js"].render()
