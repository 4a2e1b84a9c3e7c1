"""The admin's last English words: select2's texts in nynorsk (select2 ships no nynorsk:
tilskudd/admin_select2.py and static/admin/js/vendor/select2/i18n/nn.js), and
django-axes' pages' names of an attempt and its action's message (tilskudd/axes_admin.py)."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

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


# --- django-axes' pages (tilskudd/axes_admin.py) ------------------------------------------

AT = datetime(2026, 1, 15, 10, 3, tzinfo=UTC)  # 11:03 in Oslo
ATTEMPT = {
    "nb": "Innloggingsforsøk for kari@example.no, 15. januar 2026 kl. 11:03",
    "nn": "Innloggingsforsøk for kari@example.no, 15. januar 2026 kl. 11:03",
    "en": "Sign-in attempt for kari@example.no, 15 January 2026 at 11:03",
}


def _attempt() -> AccessAttempt:
    attempt = AccessAttempt.objects.create(
        username="kari@example.no", ip_address="192.0.2.7", user_agent="Firefox",
        http_accept="text/html", path_info="/logg-inn/", get_data="", post_data="",
        failures_since_start=3)
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=AT)
    return attempt


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_an_attempts_change_page_names_it_in_the_language(admin_client, language):
    attempt = _attempt()
    admin_client.cookies[COOKIE] = language

    page = admin_client.get(
        reverse("admin:axes_accessattempt_change", args=[attempt.pk])).content.decode()

    assert "Attempted Access" not in page
    assert re.search(r"<title>[^<]*" + re.escape(ATTEMPT[language]), page)  # title
    assert f"<h2>{ATTEMPT[language]}</h2>" in page  # heading
    assert f"{ATTEMPT[language]}\n</div>" in page  # the breadcrumbs' last


def test_an_attempts_delete_page_names_it_in_the_language(admin_client):
    attempt = _attempt()
    admin_client.cookies[COOKIE] = "nn"

    page = admin_client.get(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk])).content.decode()

    assert "Attempted Access" not in page
    assert f'vil slette innloggingsforsøk "{ATTEMPT["nn"]}"?' in page
    assert page.count(f'/change/">{ATTEMPT["nn"]}</a>') == 2  # breadcrumbs, what is deleted


@pytest.mark.parametrize(("language", "expected"), [
    ("nb", "Mislykket innlogging for kari@example.no fra 192.0.2.7, "
           "15. januar 2026 kl. 11:03 (sperret)"),
    ("en", "Failed sign-in for kari@example.no from 192.0.2.7, 15 January 2026 at 11:03 "
           "(locked out)"),
])
def test_a_failures_change_page_names_it_in_the_language(admin_client, language, expected):
    failure = AccessFailureLog.objects.create(
        username="kari@example.no", ip_address="192.0.2.7", user_agent="Firefox",
        http_accept="text/html", path_info="/logg-inn/", locked_out=True)
    AccessFailureLog.objects.filter(pk=failure.pk).update(attempt_time=AT)
    admin_client.cookies[COOKIE] = language

    page = admin_client.get(
        reverse("admin:axes_accessfailurelog_change", args=[failure.pk])).content.decode()

    assert "Failed access" not in page
    assert f"<h2>{expected}</h2>" in page


def test_a_sign_in_log_is_named_in_the_language():
    log = AccessLog(username="kari@example.no", attempt_time=AT)

    with translation.override("en"):
        assert str(log) == "Sign-in for kari@example.no, 15 January 2026 at 11:03"
    with translation.override("nb"):
        assert str(log) == "Innlogging for kari@example.no, 15. januar 2026 kl. 11:03"


@pytest.mark.parametrize(("language", "expected"), [
    ("nb", "Ryddet bort 1 utløpt innloggingsforsøk."),
    ("nn", "Rydda bort 1 utgått innloggingsforsøk."),
    ("en", "Cleaned up 1 expired access attempt."),
])
def test_the_clean_up_action_works_and_says_so_in_the_language(admin_client, language,
                                                               expected):
    # given: an attempt from long before the cool-off, and one just now
    old = _attempt()
    AccessAttempt.objects.create(username="ola@example.no", ip_address="192.0.2.8",
                                 user_agent="Firefox", http_accept="text/html",
                                 path_info="/logg-inn/", get_data="", post_data="",
                                 failures_since_start=1)
    admin_client.cookies[COOKIE] = language
    # when
    response = admin_client.post(reverse("admin:axes_accessattempt_changelist"), {
        "action": "cleanup_expired_attempts", "_selected_action": [old.pk]}, follow=True)
    # then: axes' sweep ran (its own action failed: the request lacked its attempt time)
    assert [str(m) for m in response.context["messages"]] == [expected]
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [
        "ola@example.no"]
