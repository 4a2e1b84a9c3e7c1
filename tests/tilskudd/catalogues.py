"""What tests/tilskudd/test_translations.py needs: the commands that make the catalogues
(README «Translations»; the same folders and ignores the translators use), a reader of
.po files, and the checks for user text outside gettext in templates and Python."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("nn", "en")
#: Each domain app keeps its own catalogue, made from inside its folder.
APPS = ("applications", "assessment", "reporting")
#: The root catalogue (tilskudd/, templates/, static/js) leaves these out.
ROOT_IGNORES = ("applications", "reporting", "assessment", "tests", ".venv", "bench",
                "static/vendor", "staticfiles", "media", "node_modules")
#: (folder, domain): every catalogue the project keeps for nn and en.
CATALOGUES = [(".", "django"), (".", "djangojs"), *((app, "django") for app in APPS)]


def makemessages_commands(domain: str = "django") -> list[tuple[str, list[str]]]:
    """(folder, argv) for making the catalogues of `domain` (run from the project root)."""
    languages = [arg for code in LANGUAGES for arg in ("-l", code)]
    ignores = [arg for path in ROOT_IGNORES for arg in ("-i", path)]
    root = [sys.executable, "manage.py", "makemessages", "-d", domain, *languages,
            "--no-obsolete", *ignores]
    if domain != "django":
        return [(".", root)]
    admin = str(Path(sys.executable).with_name("django-admin"))
    return [(".", root), *((app, [admin, "makemessages", *languages, "--no-obsolete"])
                           for app in APPS)]


def copy_tree(target: Path) -> Path:
    """The project's source (no .venv, tests, git, media) copied to `target`."""
    skip = {".venv", "tests", ".git", "media", "node_modules", "staticfiles", "bench",
            "__pycache__", ".pytest_cache", ".ruff_cache", "tilskudd.egg-info"}
    shutil.copytree(ROOT, target, ignore=lambda _dir, names: [
        n for n in names if n in skip or n.endswith((".sqlite3", ".pyc"))])
    return target


def make_catalogues(tree: Path) -> None:
    """Run every makemessages command in the copied `tree`, as a translator would."""
    for domain in ("django", "djangojs"):
        for folder, argv in makemessages_commands(domain):
            (tree / folder / "locale").mkdir(exist_ok=True)
            subprocess.run(argv, cwd=tree / folder, check=True, capture_output=True,
                           text=True, env={"PATH": "/usr/bin:/bin", "HOME": str(tree)})


# --- reading .po files --------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)

    @property
    def untranslated(self) -> bool:
        return not self.msgstr or any(not text for text in self.msgstr)

    def where(self) -> str:
        return self.references[0] if self.references else "?"


_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(line: str) -> str:
    text = "".join(_STRING.findall(line))
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (not the header, not obsolete #~ ones)."""
    entries: list[Entry] = []
    entry, key = Entry(), None
    started = False

    def close() -> None:
        nonlocal entry, started
        if started and entry.msgid:
            entries.append(entry)
        entry, started = Entry(), False

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            close()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if started:
                close()
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#:"):
            if started:
                close()
            entry.references += line[2:].split()
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt"):
            if started:
                close()
            key, entry.msgctxt = "msgctxt", _unquote(line[7:])
        elif line.startswith("msgid_plural"):
            key, entry.plural = "plural", _unquote(line[12:])
        elif line.startswith("msgid"):
            if started and key != "msgctxt":
                close()
            started, key, entry.msgid = True, "msgid", _unquote(line[5:])
        elif line.startswith("msgstr"):
            key = "msgstr"
            entry.msgstr.append(_unquote(line.split(" ", 1)[1]))
        elif line.startswith('"'):
            text = _unquote(line)
            if key == "msgid":
                entry.msgid += text
            elif key == "plural":
                entry.plural = (entry.plural or "") + text
            elif key == "msgctxt":
                entry.msgctxt = (entry.msgctxt or "") + text
            elif key == "msgstr":
                entry.msgstr[-1] += text
    close()
    return entries


def incomplete(path: Path) -> list[Entry]:
    """The entries that are not translated, or only fuzzily."""
    return [e for e in read_po(path) if e.untranslated or "fuzzy" in e.flags]


# --- user text outside gettext: templates -------------------------------------------

#: Text a template may show as it is: the portal's and the services' names, units, symbols.
ALLOWED_TEXT = {
    "Tilskudd", "ID-porten", "Altinn", "Helsedirektoratet", "BPA", "PDF", "PDF/A", "Excel",
    "SHA-256", "kr", "NOK", "org.nr.", "e-post", "Bokmål", "Nynorsk", "English", "CSV",
    "JSON", "360Giving", "CC BY 4.0", "Statsforvalteren",
}
_LETTER = re.compile(r"[^\W\d_]")
_ALLOWED = re.compile("|".join(
    rf"(?<!\w){re.escape(text)}(?!\w)" for text in sorted(ALLOWED_TEXT, key=len, reverse=True)))
_COMMENT = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.S)
_BLOCKTRANS = re.compile(
    r"{%\s*blocktrans(?:late)?\b.*?%}.*?{%\s*endblocktrans(?:late)?\s*%}", re.S)
_TAG = re.compile(r"{%.*?%}|{{.*?}}", re.S)
#: Blocks that fill an attribute (the admin's body class), not a text node.
_ATTRIBUTE_BLOCKS = re.compile(r"{%\s*block\s+bodyclass\s*%}.*?{%\s*endblock\b.*?%}", re.S)
_CSS_CONTENT = re.compile(r"content:([^;}]*)")
_CSS_STRING = re.compile(r"[\"']([^\"']*)[\"']")
#: Attributes whose value a person reads or hears.
_READ_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "aria-description"}


class _TextFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in _READ_ATTRIBUTES and value:
                self._note(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if self.lasttag == "style":  # the text CSS puts on the page (a PDF's page numbers)
            for match in _CSS_CONTENT.finditer(data):
                line = self.getpos()[0] + data.count("\n", 0, match.start())
                for text in _CSS_STRING.findall(match.group(1)):
                    self._note(text, line)
        if not self._skip:
            self._note(data, self.getpos()[0] + data[:len(data) - len(data.lstrip())].count("\n"))

    def _note(self, text: str, line: int | None = None) -> None:
        text = " ".join(text.split())
        if _LETTER.search(_ALLOWED.sub(" ", text)):
            self.found.append((line or self.getpos()[0], text))


def bare_template_text(source: str) -> list[tuple[int, str]]:
    """(line, text) of the text nodes and read attributes outside translate tags."""
    def blank(match: re.Match) -> str:  # keep the line numbers
        return "\n" * match.group(0).count("\n") + " "

    for pattern in (_COMMENT, _ATTRIBUTE_BLOCKS, _BLOCKTRANS, _TAG):
        source = pattern.sub(blank, source)
    finder = _TextFinder()
    finder.feed(source)
    finder.close()
    return finder.found


def template_files() -> list[Path]:
    folders = [ROOT / "templates", *(ROOT / app / "templates" for app in APPS)]
    return sorted(p for folder in folders for p in folder.rglob("*.html"))


# --- user text outside gettext: Python ----------------------------------------------

#: Calls whose message a person reads: (name, index of the message argument).
_MESSAGE_CALLS = {
    "ValidationError": 0, "ServiceError": 0, "message_user": 1, "success": 1, "error": 1,
    "warning": 1, "info": 1, "add_message": 2, "add_error": 1,
}
_MESSAGE_RECEIVERS = {"messages", "self", "form", "admin"}


def _literal_text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values
                       if isinstance(v, ast.Constant) and isinstance(v.value, str))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return _literal_text(node.left)
    return None


def bare_python_messages(source: str) -> list[tuple[int, str]]:
    """(line, text) of str literals passed as the message of ValidationError, ServiceError,
    messages.* and the admin's message_user (instead of a gettext call)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name not in _MESSAGE_CALLS:
            continue
        if name in ("success", "error", "warning", "info", "add_message") and not (
            isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
            and func.value.id in _MESSAGE_RECEIVERS
        ):
            continue
        index = _MESSAGE_CALLS[name]
        if len(node.args) <= index:
            continue
        text = _literal_text(node.args[index])
        if text and _LETTER.search(text):
            found.append((node.lineno, text))
    return found


def python_files() -> list[Path]:
    folders = [ROOT / "tilskudd", *(ROOT / app for app in APPS)]
    return sorted(p for folder in folders for p in folder.rglob("*.py")
                  if "migrations" not in p.parts)


# --- user text outside gettext: static/js -------------------------------------------

_JS_COMMENT = re.compile(r"/\*.*?\*/|(?<![:\"'\\])//[^\n]*", re.S)
_JS_STRING = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`")
#: Words that give a Norwegian sentence away (a CSS class or a selector has none).
_NORWEGIAN_WORDS = re.compile(
    r"[æøåÆØÅ]|\b(?:ikke|ikkje|og|er|på|til|med|som|du|kan|lagret|lagra|lagre|feil|"
    r"fyll|sist|last|fjern|legg|sekunder|minutter)\b", re.I)


def bare_js_text(source: str) -> list[tuple[int, str]]:
    """(line, text) of string literals in a script that read as Norwegian: a script's
    words come from the page (js_texts|json_script) or Django's JavaScriptCatalog."""
    found = []
    code = _JS_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), source)
    for match in _JS_STRING.finditer(code):
        text = match.group(0)[1:-1]
        if _NORWEGIAN_WORDS.search(text):
            found.append((code.count("\n", 0, match.start()) + 1, text))
    return found


def script_files() -> list[Path]:
    return sorted((ROOT / "static" / "js").glob("*.js"))
