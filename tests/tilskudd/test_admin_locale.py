"""The admin is Norwegian throughout: the strings Django's own bokmål catalogue lacks are
in the project's (locale/nb), and the compiled .mo that ships says what the .po says."""

import gettext
import re
from pathlib import Path

import django
import pytest
from django.utils import translation

ADMIN_LOCALE = Path(django.__file__).parent / "contrib" / "admin" / "locale"
OURS = Path(__file__).resolve().parents[2] / "locale" / "nb" / "LC_MESSAGES"


def _entries(path: Path) -> dict[tuple[str | None, str], dict[str, str]]:
    """(msgctxt, msgid) → the entry's fields, read from a .po file."""
    entries = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields, current = {}, None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            match = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid"):
            entries[(fields.get("msgctxt"), fields["msgid"])] = fields
    return entries


def _translated(fields: dict[str, str]) -> bool:
    return bool(fields.get("msgstr") or fields.get("msgstr[0]"))


@pytest.mark.parametrize("domain", ["django.po", "djangojs.po"])
def test_every_admin_string_djangos_bokmal_catalogue_lacks_is_in_ours(domain):
    english = _entries(ADMIN_LOCALE / "en" / "LC_MESSAGES" / domain)
    bokmal = _entries(ADMIN_LOCALE / "nb" / "LC_MESSAGES" / domain)
    ours = _entries(OURS / domain)

    lacking = {key for key in english if key not in bokmal or not _translated(bokmal[key])}

    assert lacking, "Django's catalogue is complete now; this catalogue may go"
    assert sorted(k for k in lacking if k not in ours or not _translated(ours[k])) == []


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_compiled_catalogue_says_what_the_po_says(domain):
    with open(OURS / f"{domain}.mo", "rb") as fh:
        compiled = gettext.GNUTranslations(fh)

    for (context, msgid), fields in _entries(OURS / f"{domain}.po").items():
        key = msgid.replace('\\"', '"')
        if "msgid_plural" in fields:
            assert compiled.ngettext(key, fields["msgid_plural"], 1) == fields["msgstr[0]"]
        elif context:
            assert compiled.pgettext(context, key) == fields["msgstr"]
        else:
            assert compiled.gettext(key) == fields["msgstr"].replace('\\"', '"')


def test_the_admin_strings_from_the_issue_are_norwegian():
    with translation.override("nb"):
        shown = [translation.gettext(s) for s in (
            "Start typing to filter…", "Show counts", "Search",
            "Select all objects on this page for an action")]

    assert shown == ["Skriv for å filtrere …", "Vis antall", "Søk",
                     "Velg alle objektene på denne siden for en handling"]


def test_the_changelist_search_has_a_visible_norwegian_label(admin_client):
    response = admin_client.get("/admin/tilskudd/organisation/")

    html = response.content.decode()
    assert '<label for="searchbar"><img src="/static/admin/img/search.svg" alt=""> ' \
           'Søk i listen</label>' in html
    assert 'alt="Search"' not in html
    assert "Start typing to filter" not in html
    assert 'placeholder="Skriv for å filtrere …"' in html
