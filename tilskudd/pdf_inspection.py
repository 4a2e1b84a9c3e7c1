"""What makes an uploaded PDF unfit to keep, found by parsing it with pypdf and walking its
objects (a bounded walk: at most MAX_PDF_OBJECTS dictionaries and arrays, so a crafted
file cannot keep a request busy). The rules live here, in one place:

- it must parse, have a catalogue, and not be encrypted;
- no JavaScript (/JS, /JavaScript, a /JavaScript or /Rendition action, /XFA forms, /RichMedia);
- no automatic actions: /AA (additional actions) anywhere, /OpenAction unless it only says
  which page to open at (a destination, or a /GoTo action);
- no embedded files or programs: /EmbeddedFiles, /EF, /EmbeddedFile, file attachment
  annotations, /Launch and /ImportData actions.
Links (/URI actions) and ordinary forms are allowed."""

from __future__ import annotations

import enum
import logging
from typing import IO

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

logger = logging.getLogger(__name__)

#: Dictionaries and arrays looked at before the file is called too complex to check.
MAX_PDF_OBJECTS = 100_000


class PdfRefusal(enum.Enum):
    UNREADABLE = "unreadable"
    ENCRYPTED = "encrypted"
    SCRIPT = "script"
    EMBEDDED = "embedded"
    TOO_COMPLEX = "too_complex"


_SCRIPT_KEYS = frozenset({"/JS", "/JavaScript", "/AA", "/XFA", "/RichMediaContent"})
_EMBEDDED_KEYS = frozenset({"/EmbeddedFiles", "/EF"})
_SCRIPT_ACTIONS = frozenset({"/JavaScript", "/Rendition", "/RichMediaExecute"})
_EMBEDDED_ACTIONS = frozenset({"/Launch", "/ImportData"})
_SCRIPT_SUBTYPES = frozenset({"/RichMedia"})
_EMBEDDED_SUBTYPES = frozenset({"/FileAttachment"})
_EMBEDDED_TYPES = frozenset({"/EmbeddedFile"})
#: An open action that only says where to open.
_HARMLESS_OPEN_ACTIONS = frozenset({"/GoTo"})


def inspect_pdf(stream: IO[bytes]) -> PdfRefusal | None:
    """None for a PDF fit to keep, otherwise why not. Never raises for bad input."""
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted:
            return PdfRefusal.ENCRYPTED
        trailer = reader.trailer
        root = trailer.get("/Root")
        root = root.get_object() if root is not None else None
        if not isinstance(root, DictionaryObject):
            return PdfRefusal.UNREADABLE
        return _open_action_refusal(root) or _walk(trailer)
    except RecursionError:
        return PdfRefusal.TOO_COMPLEX
    except Exception as error:  # pypdf raises many kinds for broken input: all "not a PDF"
        logger.info("Uploaded PDF did not parse: %s: %s", type(error).__name__, error)
        return PdfRefusal.UNREADABLE


def _open_action_refusal(root: DictionaryObject) -> PdfRefusal | None:
    action = root.get("/OpenAction")
    if action is None:
        return None
    action = action.get_object()
    if isinstance(action, ArrayObject):  # a destination: the page to open at
        return None
    if isinstance(action, DictionaryObject) and (
        _resolved(action.get("/S")) in _HARMLESS_OPEN_ACTIONS
    ):
        return None  # its /Next, if any, is looked at by the walk
    return PdfRefusal.SCRIPT


def _resolved(value: object) -> object:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _dictionary_refusal(node: DictionaryObject) -> PdfRefusal | None:
    keys = set(node.keys())
    if keys & _SCRIPT_KEYS:
        return PdfRefusal.SCRIPT
    if keys & _EMBEDDED_KEYS:
        return PdfRefusal.EMBEDDED
    action, subtype, kind = (_resolved(node.get(name)) for name in ("/S", "/Subtype", "/Type"))
    if action in _SCRIPT_ACTIONS or subtype in _SCRIPT_SUBTYPES:
        return PdfRefusal.SCRIPT
    if action in _EMBEDDED_ACTIONS or subtype in _EMBEDDED_SUBTYPES or kind in _EMBEDDED_TYPES:
        return PdfRefusal.EMBEDDED
    return None


def _walk(start: DictionaryObject) -> PdfRefusal | None:
    """Every dictionary and array reachable from the trailer, each indirect object once;
    stream data is not decoded (only the stream's dictionary is looked at)."""
    stack: list[object] = [start]
    seen: set[tuple[int, int]] = set()
    looked_at = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            refusal = _dictionary_refusal(node)
            if refusal is not None:
                return refusal
            children = list(node.values())
        elif isinstance(node, ArrayObject):
            children = list(node)
        else:
            continue
        looked_at += 1
        if looked_at > MAX_PDF_OBJECTS:
            return PdfRefusal.TOO_COMPLEX
        stack.extend(children)
    return None
