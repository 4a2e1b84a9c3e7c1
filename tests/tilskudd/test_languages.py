"""The portal in bokmål, nynorsk and English: the header's choice (kept on the signed-in
user, applied on every request), <html lang>, ID-porten's ui_locales, the language an
organisation is written to (tilskudd.languages) and dates and amounts per language."""

import pytest
from django.conf import settings
from django.utils import translation

from tests.tilskudd.factories import member, office_staff
from tilskudd import services
from tilskudd.audit import AuditAction
from tilskudd.idporten import provider
from tilskudd.languages import active_language, letter_language, written_for
from tilskudd.models import AuditEvent, Organisation

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def html_lang(response) -> str:
    return response.content.decode().split("<html lang=\"", 1)[1].split("\"", 1)[0]


def test_settings_offer_bokmal_nynorsk_and_english_each_in_its_own_name():
    assert settings.LANGUAGES == [("nb", "Bokmål"), ("nn", "Nynorsk"), ("en", "English")]
    assert settings.LANGUAGE_CODE == "nb"


def test_the_start_page_has_the_choice_with_each_language_in_its_own_lang(client):
    response = client.get("/")

    page = response.content.decode()
    assert html_lang(response) == "nb"
    assert 'action="/sprak/"' in page
    for code, name in settings.LANGUAGES:
        assert f'name="language" value="{code}" lang="{code}"' in page
        assert f">{name}</button>" in page
    assert 'aria-current="true">Bokmål</button>' in page


def test_choosing_nynorsk_without_signing_in_sets_the_cookie_and_goes_back(client):
    response = client.post("/sprak/", {"language": "nn", "next": "/soknader/"})

    assert response.status_code == 302
    assert response["Location"] == "/soknader/"
    assert response.cookies[COOKIE].value == "nn"
    assert html_lang(client.get("/")) == "nn"


def test_a_signed_in_user_keeps_the_choice_on_their_user(client, trondheim):
    user = member(trondheim)
    client.force_login(user)

    client.post("/sprak/", {"language": "en", "next": "/"})

    user.refresh_from_db()
    assert user.language == "en"
    client.cookies.clear()  # another browser: the user's choice still holds
    client.force_login(user)
    response = client.get("/")
    assert html_lang(response) == "en"
    assert response.cookies[COOKIE].value == "en"


def test_the_users_choice_wins_over_an_older_cookie_from_sign_in_on(client, trondheim):
    user = member(trondheim, language="nn")
    client.cookies[COOKIE] = "en"
    client.force_login(user)

    assert html_lang(client.get("/")) == "nn"


def test_a_language_chosen_before_signing_in_is_kept_for_the_user(client, trondheim):
    user = member(trondheim)
    client.post("/sprak/", {"language": "nn", "next": "/"})

    client.force_login(user)
    response = client.get("/")

    assert html_lang(response) == "nn"
    user.refresh_from_db()
    assert user.language == "nn"


def test_a_language_the_portal_does_not_have_is_refused_and_nothing_is_kept(client, trondheim):
    user = member(trondheim)
    client.force_login(user)

    response = client.post("/sprak/", {"language": "se", "next": "/"})

    assert response.status_code == 302
    assert COOKIE not in response.cookies
    user.refresh_from_db()
    assert user.language == ""
    assert html_lang(client.get("/")) == "nb"


def test_the_choice_is_a_post_only_form(client):
    assert client.get("/sprak/?language=nn").status_code == 405


def test_the_admin_has_the_same_choice_and_follows_the_language(client, trondheim):
    client.force_login(office_staff(trondheim.office, language="nn"))

    response = client.get("/admin/")

    page = response.content.decode()
    assert html_lang(response) == "nn"
    assert 'id="language-choice"' in page
    assert 'name="language" value="en" lang="en"' in page


@pytest.mark.parametrize(("language", "expected"), [("nb", "nb"), ("nn", "nn"), ("en", "en")])
def test_id_porten_gets_the_active_language_as_ui_locales(language, expected):
    with translation.override(language):
        assert provider.ui_locale() == expected


def test_id_porten_sign_in_is_asked_in_the_chosen_language(client, idporten):
    client.post("/sprak/", {"language": "nn", "next": "/"})

    response = client.get("/idporten/logg-inn/")

    assert response.status_code == 302
    assert "ui_locales=nn" in response["Location"]


@pytest.mark.parametrize(("written", "office_default", "expected"), [
    ("nn", "nb", "nn"),
    ("nb", "nn", "nb"),
    ("neutral", "nn", "nn"),
    ("neutral", "nb", "nb"),
    ("", "nn", "nn"),
    ("", "nb", "nb"),
])
def test_an_organisation_is_written_to_in_its_own_form_else_its_offices(
    trondheim, written, office_default, expected,
):
    office = trondheim.office
    office.default_written_language = office_default
    office.save()
    trondheim.written_language = written
    trondheim.save()

    organisation = Organisation.objects.get(pk=trondheim.pk)
    assert letter_language(organisation) == expected
    with translation.override("en"), written_for(organisation) as language:
        assert language == expected
        assert translation.get_language() == expected


def test_an_office_writes_bokmal_to_the_neutral_unless_it_says_otherwise(trondheim):
    assert trondheim.office.default_written_language == "nb"
    assert trondheim.written_language == ""


def test_the_office_sets_an_organisations_language_form_audited(trondheim):
    caseworker = office_staff(trondheim.office)

    services.organisation_update(organisation=trondheim, user=caseworker, written_language="nn")

    trondheim.refresh_from_db()
    assert trondheim.written_language == "nn"
    event = AuditEvent.objects.get(action=AuditAction.ORGANISATION_CHANGE)
    assert event.before == {"written_language": ""}
    assert event.after == {"written_language": "nn"}


def test_an_unknown_language_form_is_refused_and_nothing_changes(trondheim):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.organisation_update(organisation=trondheim, user=None, written_language="se")

    assert "written_language" in refused.value.message_dict
    assert Organisation.objects.get(pk=trondheim.pk).written_language == ""
    assert not AuditEvent.objects.exists()


def test_the_active_language_is_one_of_the_portals():
    with translation.override("nn"):
        assert active_language() == "nn"
    with translation.override("en-gb"):
        assert active_language() == "en"
    with translation.override("de"):
        assert active_language() == "nb"


def _workbook(labels: list[str]) -> bytes:
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "Ark"
    for row, label in enumerate(labels, start=3):
        sheet.cell(row, 1, label)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_an_upload_is_read_in_the_first_language_whose_labels_it_has():
    from tilskudd.documents import excel as xl

    labels = {"nb": ["Navn", "E-post"], "nn": ["Namn", "E-post"], "en": ["Name", "E-mail"]}

    def recognises(wb) -> bool:
        return xl.has_labels(wb, "Ark", labels[translation.get_language()], first_row=3)

    with translation.override("nb"):
        assert xl.upload_language(_workbook(labels["nn"]), recognises) == "nn"
        assert xl.upload_language(_workbook(labels["en"]), recognises) == "en"
        assert xl.upload_language(_workbook(labels["nb"]), recognises) == "nb"
        assert xl.upload_language(_workbook(["Noe annet"]), recognises) == "nb"
        assert xl.upload_language(b"not a workbook", recognises) == "nb"
    with translation.override("en"):
        assert xl.upload_language(_workbook(labels["nb"]), recognises) == "nb"


def test_a_function_to_an_organisation_runs_in_its_language_and_puts_the_readers_back(
    trondheim,
):
    from tilskudd.languages import in_language_of, in_submitted_language

    trondheim.written_language = "nn"

    @in_language_of(lambda organisation: organisation)
    def write(organisation):
        return translation.get_language()

    @in_submitted_language
    def receipt(submission):
        return translation.get_language()

    class Sent:
        language = "en"

    with translation.override("nb"):
        assert write(trondheim) == "nn"
        assert receipt(Sent()) == "en"
        assert translation.get_language() == "nb"


def test_a_superuser_sets_an_offices_language_for_the_neutral_audited(admin_client, trondheim):
    office = trondheim.office

    response = admin_client.post(
        f"/admin/tilskudd/office/{office.pk}/change/",
        {"code": office.code, "name": office.name, "short_name": office.short_name,
         "email": office.email, "default_written_language": "nn"})

    assert response.status_code == 302
    office.refresh_from_db()
    assert office.default_written_language == "nn"
    event = AuditEvent.objects.get(action=AuditAction.REFERENCE_CHANGE)
    assert (event.before, event.after) == ({"default_written_language": "nb"},
                                           {"default_written_language": "nn"})


def test_office_staff_cannot_change_their_offices_language_and_nothing_changes(
    client, trondheim,
):
    office = trondheim.office
    client.force_login(office_staff(office))

    response = client.post(
        f"/admin/tilskudd/office/{office.pk}/change/",
        {"code": office.code, "name": office.name, "short_name": office.short_name,
         "email": office.email, "default_written_language": "nn"})

    assert response.status_code == 403
    office.refresh_from_db()
    assert office.default_written_language == "nb"
    assert not AuditEvent.objects.filter(action=AuditAction.REFERENCE_CHANGE).exists()


def test_scripts_get_their_catalogue_in_the_page_language(client):
    client.post("/sprak/", {"language": "nn", "next": "/"})

    response = client.get("/jsi18n/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b"django.gettext" in response.content
