"""The root catalogues (locale/nn, locale/en: tilskudd/, templates/): the portal's own pages,
messages, plural forms, Excel's yes/no and the admin's texts Django's nynorsk lacks are said
in nynorsk and English when that is the language chosen, and stay bokmål otherwise."""

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from openpyxl import Workbook

from tilskudd.documents.excel.reading import RawCell, parse_yes_no
from tilskudd.documents.excel.writing import write_yes_no

COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.mark.parametrize(("language", "locked", "page"), [
    ("nb", "Innloggingen er stengt", "Side"),
    ("nn", "Innlogginga er stengd", "Side"),
    ("en", "Sign-in is locked", "Page"),
])
def test_the_cores_texts_follow_the_language(language, locked, page):
    with translation.override(language):
        assert _("Innloggingen er stengt") == locked
        assert pgettext("page number", "Side") == page


def test_nynorsk_is_nynorsk_and_english_is_english():
    with translation.override("nn"):
        assert _("Brukeren din er ikke knyttet til noen organisasjon eller noe embete ennå. "
                 "Kontakt Statsforvalteren.") == (
            "Brukaren din er ikkje knytt til nokon organisasjon eller noko embete enno. "
            "Kontakt Statsforvaltaren.")
    with translation.override("en"):
        assert _("Vedtak og tilskuddsbrev") == "Decisions and allocation letters"


@pytest.mark.parametrize(("language", "one", "two"), [
    ("nb", "Frist 1. mars – 1 dag igjen.", "Frist 1. mars – 2 dager igjen."),
    ("nn", "Frist 1. mars – 1 dag igjen.", "Frist 1. mars – 2 dagar igjen."),
    ("en", "Deadline 1. mars – 1 day left.", "Deadline 1. mars – 2 days left."),
])
def test_plural_forms_follow_the_language(language, one, two):
    def left(n):
        return ngettext("Frist %(due)s – %(n)d dag igjen.", "Frist %(due)s – %(n)d dager igjen.",
                        n) % {"due": "1. mars", "n": n}

    with translation.override(language):
        assert (left(1), left(2)) == (one, two)


@pytest.mark.parametrize(("language", "yes", "no"), [
    ("nb", "Ja", "Nei"), ("nn", "Ja", "Nei"), ("en", "Yes", "No")])
def test_excel_writes_and_reads_yes_and_no_in_the_language(language, yes, no):
    ws = Workbook().active
    with translation.override(language):
        write_yes_no(ws["A1"], True)
        write_yes_no(ws["A2"], False)

        assert (ws["A1"].value, ws["A2"].value) == (yes, no)
        assert parse_yes_no(RawCell("Ark", 1, 1, yes.upper(), "s")) is True
        assert parse_yes_no(RawCell("Ark", 2, 1, no, "s")) is False


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "lead"), [
    ("nb", "Her søker kommuner om tilskudd, og rapporterer på tilskudd de har fått."),
    ("nn", "Her søkjer kommunar om tilskot og rapporterer på tilskot dei har fått."),
    ("en", "Here municipalities apply for grants and report on the grants they have received."),
])
def test_the_start_page_is_in_the_chosen_language(client, language, lead):
    client.cookies[COOKIE] = language

    page = client.get("/").content.decode()

    assert f'<html lang="{language}"' in page
    assert lead in page


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "skip"), [
    ("nb", "Hopp til hovedinnhold"), ("nn", "Hopp til hovudinnhaldet"),
    ("en", "Skip to main content")])
def test_the_admins_texts_djangos_nynorsk_lacks_are_in_ours(client, language, skip):
    client.cookies[COOKIE] = language

    page = client.get("/admin/login/").content.decode()

    assert skip in page
