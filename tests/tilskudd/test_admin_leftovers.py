"""The admin's last English words: select2's texts in nynorsk (select2 ships no nynorsk:
tilskudd/admin_select2.py and static/admin/js/vendor/select2/i18n/nn.js), and
django-axes' pages' names of an attempt and its action's message (tilskudd/axes_admin.py)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME
I18N = "admin/js/vendor/select2/i18n/"


def _select(page: str, name: str) -> str:
    match = re.search(rf'<select[^>]* name="{name}"[^>]*>', page)
    assert match, name
    return match.group(0)


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_autocomplete_select_has_its_language_and_select2s_texts_in_it(
    admin_client, language,
):
    admin_client.cookies[COOKIE] = language

    page = admin_client.get(reverse("admin:tilskudd_invitation_add")).content.decode()

    assert f'lang="{language}"' in _select(page, "organisation")
    assert f'src="/static/{I18N}{language}.js"' in page
    assert 'lang="None"' not in page


def test_a_membership_rows_autocomplete_is_nynorsk_too(admin_client, admin_user):
    admin_client.cookies[COOKIE] = "nn"

    page = admin_client.get(
        reverse("admin:tilskudd_user_change", args=[admin_user.pk])).content.decode()

    assert 'lang="nn"' in _select(page, "memberships-__prefix__-organisation")
    assert f'src="/static/{I18N}nn.js"' in page


def test_the_nynorsk_file_is_select2s_module_in_nynorsk():
    path = finders.find(f"{I18N}nn.js")

    source = Path(path).read_text(encoding="utf-8")
    assert 'define("select2/i18n/nn"' in source
    for text in ('"Ingen treff"', '"Søkjer…"', '"Skriv inn "+(e.minimum-e.input.length)'
                 '+" teikn til"', '"Lastar fleire resultat…"'):
        assert text in source


def test_every_admin_with_autocomplete_fields_names_the_select2_language():
    from tilskudd.admin_select2 import Select2Languages

    admins = [
        (model, owner) for model, model_admin in admin.site._registry.items()
        for owner in [model_admin, *[i(model, admin.site) for i in model_admin.inlines]]
    ]
    lacking = [type(owner).__name__ for model, owner in admins
               if owner.autocomplete_fields and not isinstance(owner, Select2Languages)]

    assert len([o for _m, o in admins if o.autocomplete_fields]) >= 2
    assert lacking == []
