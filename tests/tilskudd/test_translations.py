"""CI keeps the catalogues complete: the catalogues made afresh from the source (README
«Translations», in a copy of the tree) have no untranslated or fuzzy entry, the compiled
.mo files say what their .po files say, and no template or Python message shows user text
outside gettext."""

from __future__ import annotations

import gettext
import subprocess
from pathlib import Path

import pytest

from . import catalogues
from .catalogues import ROOT

#: How many problems a failure names.
SHOWN = 8


@pytest.fixture(scope="module")
def fresh_tree(tmp_path_factory) -> Path:
    """A copy of the tree with every catalogue made again from the source."""
    tree = catalogues.copy_tree(tmp_path_factory.mktemp("messages") / "tree")
    catalogues.make_catalogues(tree)
    return tree


def _named(problems: list[str]) -> str:
    more = f"\n… and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
    return "\n".join(problems[:SHOWN]) + more


@pytest.mark.parametrize("language", catalogues.LANGUAGES)
@pytest.mark.parametrize(("folder", "domain"), catalogues.CATALOGUES,
                         ids=[f"{f}/{d}" for f, d in catalogues.CATALOGUES])
def test_every_entry_is_translated(fresh_tree, folder, domain, language):
    path = fresh_tree / folder / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
    if not path.exists():
        if domain == "djangojs":  # no gettext in static/js: nothing to translate
            return
        pytest.fail(f"{path.relative_to(fresh_tree)}: no catalogue was made")
    missing = catalogues.incomplete(path)

    assert not missing, (
        f"{path.relative_to(fresh_tree)}: {len(missing)} entries untranslated or fuzzy:\n"
        + _named([f"{'fuzzy' if 'fuzzy' in e.flags else 'untranslated'}: {e.msgid!r} "
                  f"({folder}/{e.where()})" for e in missing]))


def _compiled_catalogue(path: Path) -> dict:
    with path.open("rb") as fh:
        return gettext.GNUTranslations(fh)._catalog


@pytest.mark.parametrize("po", sorted(ROOT.glob("*/locale/*/LC_MESSAGES/*.po"))
                         + sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po")),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_the_compiled_catalogue_says_what_its_po_says(po, tmp_path):
    """A .po changed without compilemessages would not be what the portal shows."""
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo.relative_to(ROOT)} is missing: run compilemessages"
    fresh = tmp_path / "fresh.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", fresh, po], check=True)

    assert _compiled_catalogue(mo) == _compiled_catalogue(fresh), (
        f"{mo.relative_to(ROOT)} is older than its .po: run compilemessages")


def test_templates_show_no_text_outside_translate_tags():
    problems = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in catalogues.template_files()
        for line, text in catalogues.bare_template_text(path.read_text(encoding="utf-8"))
    ]

    assert not problems, (f"{len(problems)} texts outside {{% translate %}}:\n"
                          + _named(problems))


def test_python_messages_go_through_gettext():
    problems = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in catalogues.python_files()
        for line, text in catalogues.bare_python_messages(path.read_text(encoding="utf-8"))
    ]

    assert not problems, f"{len(problems)} messages without gettext:\n" + _named(problems)


# The checks themselves (a check that cannot fail is a defect).


def test_the_template_check_finds_bare_text_and_leaves_translated_text():
    source = (
        '{% load i18n %}<h1>{% translate "Søknad" %}</h1>\n'
        "<p>{% blocktranslate with n=count %}{{ n }} søknader{% endblocktranslate %}</p>\n"
        "{% comment %}Ikke vist{% endcomment %}<p>Tilskudd</p><p>{{ value }} – 42</p>\n"
        '<p>Send inn</p><img alt="Logo" src="x.png"><script>var a = "tekst";</script>\n'
        '<style>@page { @bottom { content: "Side " counter(page) " av " counter(pages); } }\n'
        '  p { content: "{% translate \'av\' %}"; }</style>'
    )

    assert catalogues.bare_template_text(source) == [
        (4, "Send inn"), (4, "Logo"), (5, "Side"), (5, "av")]


def test_the_python_check_finds_literal_messages_and_leaves_gettext_ones():
    source = (
        "raise ValidationError('Feil i feltet')\n"
        "raise ServiceError(_('Ikke tillatt'), 'code')\n"
        "messages.success(request, f'Lagret {x}')\n"
        "self.message_user(request, _('Ferdig'))\n"
        "raise ServiceError('%(n)s feil' % {'n': 1}, 'code')\n"
        "raise ValueError('not user text')\n"
    )

    assert catalogues.bare_python_messages(source) == [
        (1, "Feil i feltet"), (3, "Lagret "), (5, "%(n)s feil")]


def test_the_po_reader_sees_untranslated_fuzzy_and_plural_entries(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: nn\\n"\n\n'
        '#: a.py:1\nmsgid "Søknad"\nmsgstr "Søknad"\n\n'
        '#: b.py:2\nmsgid "Ikke"\nmsgstr ""\n\n'
        '#: c.py:3\n#, fuzzy, python-format\nmsgid "Hva %(x)s"\nmsgstr "Kva %(x)s"\n\n'
        '#: d.py:4\nmsgid "en fil"\nmsgid_plural "%(n)s filer"\nmsgstr[0] "ei fil"\n'
        'msgstr[1] ""\n\n'
        '#: e.py:5\nmsgctxt "month"\nmsgid "mai"\nmsgstr ""\n"mai"\n\n'
        '#~ msgid "Gammel"\n#~ msgstr ""\n',
        encoding="utf-8",
    )

    assert [(e.msgid, e.where()) for e in catalogues.incomplete(po)] == [
        ("Ikke", "b.py:2"), ("Hva %(x)s", "c.py:3"), ("en fil", "d.py:4")]
    assert len(catalogues.read_po(po)) == 5


def test_scripts_have_no_norwegian_text_of_their_own():
    problems = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in catalogues.script_files()
        for line, text in catalogues.bare_js_text(path.read_text(encoding="utf-8"))
    ]

    assert catalogues.script_files()
    assert not problems, f"{len(problems)} texts in scripts:\n" + _named(problems)


def test_the_script_check_finds_norwegian_literals_outside_comments():
    source = (
        '/* "Lagre" is said by the page */\n"use strict";\n// "Fjern linje"\n'
        'node.className = "btn btn-primary";\nnode.textContent = "Sist lagret kl. " + t;\n'
        "const b = `Fjern ${name}`;\nconst url = \"https://example.no/x\";\n"
    )

    assert catalogues.bare_js_text(source) == [(5, "Sist lagret kl. "), (6, "Fjern ${name}")]
