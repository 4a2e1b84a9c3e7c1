"""The caseworkers' list's table (issue 15): its headings and rows written by
assessment.templatetags.admin_rows.written_results and its cells by assessment/admin_cells.py
are Django's admin/change_list_results.html as Django renders it from the page's model
instances (items_for_result per cell), for lists sorted by one and by two columns,
filtered, searched, on page 3, withdrawn and empty, in nb, nn and en; the cells' words are
kept for each language; and the list takes the queries it took before."""

import pytest
from django.contrib.admin.templatetags.admin_list import result_list
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from assessment.admin_list import ListTexts
from assessment.templatetags.admin_rows import written_results
from tests.tilskudd.factories import UserFactory

from .test_admin import _bulk_applications
from .test_admin_rows import cases  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:assessment_submittedapplication_changelist"


def _both(client, params, language):
    with translation.override(language):
        response = client.get(reverse(CHANGELIST), params, headers={"accept-language": language})
        assert response.status_code == 200
        cl = response.context["cl"]
        djangos = render_to_string("admin/change_list_results.html", result_list(cl))
        ours = written_results(cl)
    return response, ours, djangos


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
@pytest.mark.parametrize("params", [
    {},
    {"o": "-1"},
    {"o": "5.-2"},  # two columns: the headings' sorting priorities
    {"o": "-1", "case": "not_started", "q": "Trondheim"},  # the links keep the filters
    {"outcome": "granted", "o": "6"},  # accepted on a date
    {"trukket": "ja"},
    {"q": "ingen slik søker"},  # no rows
])
def test_the_table_is_the_one_django_renders(client, cases, caseworker, params, language):  # noqa: F811
    client.force_login(caseworker)

    response, ours, djangos = _both(client, params, language)

    assert ours == djangos
    assert ours in response.content.decode()


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("params", [
    {"p": "3"}, {"p": "3", "o": "5.-1", "organisation__is_rural_district__exact": "1"}])
def test_page_3_of_the_directorates_list_is_the_table_django_renders(
    client, trondheim, open_round, budget, caseworker, approver, params, language
):
    _bulk_applications(260, county=trondheim.county, rnd=open_round, caseworker=caseworker,
                       approver=approver)
    client.force_login(UserFactory(is_staff=True, is_directorate=True))

    response, ours, djangos = _both(client, params, language)

    assert ours == djangos
    rows = len(response.context["cl"].result_list)
    assert ours.count("<tr>") == rows + 1 and rows >= 30  # the headings' and the page's
    assert ours in response.content.decode()


@pytest.mark.parametrize(("who", "params", "queries"), [
    ("caseworker", {}, 9), ("caseworker", {"o": "5"}, 9), ("caseworker", {"trukket": "ja"}, 10),
    ("superuser", {}, 7), ("superuser", {"o": "-1", "case": "decided"}, 7),
])
def test_the_list_takes_the_queries_it_took(
    client, cases, caseworker, django_assert_num_queries, who, params, queries  # noqa: F811
):
    users = {"caseworker": lambda: caseworker,
             "superuser": lambda: UserFactory(is_staff=True, is_superuser=True)}
    client.force_login(users[who]())
    client.get(reverse(CHANGELIST), params)

    with django_assert_num_queries(queries):
        response = client.get(reverse(CHANGELIST), params)

    assert response.status_code == 200


def test_the_cells_words_are_kept_for_each_language():
    with translation.override("nb"):
        nb = ListTexts.now()
        nb_again = ListTexts.now()
        nb_made = ListTexts.made()
    with translation.override("en"):
        en = ListTexts.now()
        en_made = ListTexts.made()

    assert nb is nb_again
    assert nb == nb_made and en == en_made
    assert (nb.currency, en.currency) == ("kr", "NOK")
    assert en.amounts[0] == "Applied for" and nb.amounts[0] == "Søkt"
