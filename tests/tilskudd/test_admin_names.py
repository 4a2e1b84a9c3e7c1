"""Every input of the admin's forms has a name (axe's rules "label" and "select-name"):
each half of a split date and time is named by its field (tilskudd/form_rendering.py),
each field of a tabular inline by its column (tilskudd/admin_inlines.py); and django-axes'
pages, which axes has no Norwegian catalogue for, are Norwegian in bokmål and nynorsk
(tilskudd/admin_texts.py's AXES_TEXTS)."""

import re

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from tests.tilskudd.factories import member, stavanger

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def _input(page: str, name: str) -> str:
    match = re.search(rf'<(?:input|select)[^>]* name="{name}"[^>]*>', page)
    assert match, name
    return match.group(0)


@pytest.mark.parametrize(("language", "date", "time"), [
    ("nb", "Åpner, dato", "Åpner, tid"),
    ("nn", "Opnar, dato", "Opnar, tid"),
    ("en", "Opens, date", "Opens, time"),
])
def test_each_half_of_a_split_date_and_time_is_named_by_its_field(
    admin_client, language, date, time,
):
    admin_client.cookies[COOKIE] = language

    page = admin_client.get(reverse("admin:tilskudd_round_add")).content.decode()

    assert f'aria-label="{date}"' in _input(page, "opens_at_0")
    assert f'aria-label="{time}"' in _input(page, "opens_at_1")


def test_a_tabular_inlines_fields_are_named_by_their_columns(admin_client):
    user = member(stavanger())

    page = admin_client.get(reverse("admin:tilskudd_user_change", args=[user.pk])).content.decode()

    assert 'aria-label="Rolle"' in _input(page, "memberships-0-role")
    assert 'aria-label="Slett"' in _input(page, "memberships-0-DELETE")
    assert "aria-label" not in _input(page, "memberships-0-id")  # hidden: no name needed


@pytest.mark.parametrize(("language", "heading"), [
    ("nb", "Organisasjon"), ("nn", "Organisasjon"), ("en", "Organisation"),
])
def test_a_wrapped_select_is_named_in_the_first_row_and_the_form_class_is_untouched(
    admin_client, admin_user, language, heading,
):
    # A RelatedFieldWidgetWrapper (the organisation's autocomplete) shares its attrs with
    # the form class's widget: the name goes on the row's own copy, from row 0 on.
    from django.contrib import admin

    from tilskudd.admin import MembershipInline
    from tilskudd.models import User

    user = member(stavanger())
    admin_client.cookies[COOKIE] = language

    page = admin_client.get(reverse("admin:tilskudd_user_change", args=[user.pk])).content.decode()

    assert f'aria-label="{heading}"' in _input(page, "memberships-0-organisation")
    assert re.search(rf'<th class="column-organisation[^"]*">\s*{heading}', page)

    request = RequestFactory().get("/")
    request.user = admin_user
    formset = MembershipInline(User, admin.site).get_formset(request, user)
    with translation.override(language):  # the form rendered here, as the page was
        first = formset(instance=user).forms[0]
        assert f'aria-label="{heading}"' in str(first["organisation"])
    wrapper = formset.form.base_fields["organisation"].widget
    assert "aria-label" not in wrapper.widget.attrs


@pytest.mark.parametrize(("language", "attempts", "failures"), [
    ("nb", "Velg innloggingsforsøk du ønsker å endre",
     "Velg mislykket innlogging du ønsker å endre"),
    ("nn", "Velg innloggingsforsøk du ønskar å redigere",
     "Velg mislukka innlogging du ønskar å redigere"),
])
def test_the_axes_pages_are_norwegian(admin_client, language, attempts, failures):
    admin_client.cookies[COOKIE] = language

    def title(url_name):
        page = admin_client.get(reverse(url_name)).content.decode()
        return re.search(r"<title>(.*?) \|", page).group(1)

    assert title("admin:axes_accessattempt_changelist") == attempts
    assert title("admin:axes_accessfailurelog_changelist") == failures
