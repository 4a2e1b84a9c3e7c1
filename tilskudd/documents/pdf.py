"""PDF rendering with WeasyPrint, once for every app: templates extend
templates/documents/base_pdf.html (A4, running header with the reference, page numbers),
styled by templates/documents/pdf.css, which is parsed once a process (`document_css`).

WeasyPrint would fetch whatever a document names (file:///etc/..., http://...), so it is
given `StaticOnlyFetcher`: the project's own static files (``{% static %}`` paths or paths
relative to the static folder) and self-contained data: URLs load; everything else is
refused and logged, and the PDF is made without it."""

from __future__ import annotations

import contextlib
import gc
import logging
import mimetypes
import os
import posixpath
import re
import threading
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils._os import safe_join

logger = logging.getLogger(__name__)

#: What relative URLs in a document are resolved against. The .invalid host never
#: resolves (RFC 2606), and StaticOnlyFetcher never goes on the network anyway.
STATIC_BASE_URL = "https://static.tilskudd.invalid/static/"
_STATIC_ORIGIN = "https://static.tilskudd.invalid"


class RefusedFetch(ValueError):
    """A document named something other than the project's static files."""


def static_file_path(url: str) -> str | None:
    """The file on disk that a URL under STATIC_BASE_URL names, if it is one of the
    project's static files: found by the static finders (development, tests) or in
    STATIC_ROOT (collected, with hashed names). None for anything else."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != _STATIC_ORIGIN:
        return None
    path = unquote(parts.path)
    prefix = "/" + urlsplit(settings.STATIC_URL).path.strip("/") + "/"
    if not path.startswith(prefix):
        return None
    relative = path[len(prefix) :]
    if not relative or "\\" in relative or "\0" in relative:
        return None
    if posixpath.normpath(relative) != relative or relative.startswith(("/", "../")):
        return None  # no way out of the static folders
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        return None
    if found:
        return found if isinstance(found, str) else found[0]
    if settings.STATIC_ROOT:
        try:
            candidate = safe_join(str(settings.STATIC_ROOT), relative)
        except SuspiciousFileOperation:
            return None
        if os.path.isfile(candidate):
            return candidate
    return None


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves the project's static files and data: URLs; refuses and logs the rest."""

        def __init__(self) -> None:
            super().__init__(
                allowed_protocols={"data", "https"}, allow_redirects=False, fail_on_errors=False
            )

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)  # inline, nothing is fetched
            path = static_file_path(url)
            if path is None:
                logger.warning(
                    "PDF rendering refused to fetch %s (only the project's "
                    "static files are served)",
                    url[:200],
                )
                raise RefusedFetch(f"not a static file of this project: {url[:200]}")
            with open(path, "rb") as handle:
                body = handle.read()
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return StaticOnlyFetcher


def static_only_fetcher():
    """A WeasyPrint url_fetcher serving only the project's static files (and data: URLs)."""
    return _fetcher_class()()


_fonts = threading.local()


def font_config():
    """This thread's WeasyPrint FontConfiguration, made once and kept. Left to itself,
    WeasyPrint makes one for every document: fontconfig's configuration loaded again and
    Pango's font caches cold, a few milliseconds a document and most of a bare page's time
    (bench/pdf.py). The documents have no @font-face, so nothing from one reaches the next;
    one a thread, so that no two renders share one at once (the web renders a PDF clicked
    before the worker made it, in its own threads)."""
    config = getattr(_fonts, "config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _fonts.config = FontConfiguration()
    return config


#: base_pdf.html's mark: a document that carries it is styled by this template (as a
#: WeasyPrint user stylesheet, under the document's own few rules), parsed once.
DOCUMENT_CSS_MARK = '<meta name="tilskudd-document" content="documents/pdf.css">'
DOCUMENT_CSS_TEMPLATE = "documents/pdf.css"

_css_lock = threading.Lock()
_css: list = []


def document_css():
    """documents/pdf.css as a WeasyPrint stylesheet, parsed once a process: parsing it for
    every document cost about 2 ms, most of a bare page (bench/pdf.py). WeasyPrint only
    reads a parsed stylesheet while it renders, so threads may share it; the sheet has no
    @font-face and no words, so neither the font configuration nor the language is in it."""
    if not _css:
        with _css_lock:
            if not _css:
                from django.template.loader import get_template
                from weasyprint import CSS

                source = get_template(DOCUMENT_CSS_TEMPLATE).template.source
                _css.append(CSS(string=source, url_fetcher=static_only_fetcher()))
    return _css[0]


#: WeasyPrint's user-agent sheet (weasyprint/css/html5_ua.css) gives every element six
#: pseudo-elements: ::marker and the footnotes' and notes' calls and markers. Each is a
#: computed style WeasyPrint makes for every element of every document, about a tenth of a
#: letter's time (bench/pdf.py), and none of them is drawn unless the document floats
#: something into a footnote or a note, or is a list item. The documents do neither but
#: lists, so they are made with the sheet without the five note rules and with ::marker
#: for li only; the PDFs are byte for byte the ones the stock sheet makes
#: (tests/tilskudd/test_pdf_user_agent.py).
_NOTE_RULES = re.compile(r"(?m)^::(?:footnote|note)-[a-z]+ \{[^}\n]*\}\n")
_MARKER_RULE = re.compile(r"(?m)^::marker \{")

_ua_lock = threading.Lock()
_ua: list = []
_document_classes: list = []


def user_agent_css():
    """WeasyPrint's user-agent stylesheet without the rules no document uses, parsed once a
    process; WeasyPrint's own if its sheet is not the one this was written for."""
    if not _ua:
        with _ua_lock:
            if not _ua:
                from weasyprint import CSS
                from weasyprint.html import UA, UA_STYLESHEET

                source, notes = _NOTE_RULES.subn("", UA)
                source, markers = _MARKER_RULE.subn("li::marker {", source)
                if (notes, markers) == (5, 1):
                    # The @counter-style rules are WeasyPrint's (HTML._ua_counter_style):
                    # what parsing them again would fill is thrown away.
                    _ua.append(CSS(string=source, counter_style={}))
                else:
                    logger.warning("WeasyPrint's user-agent stylesheet has changed: kept whole")
                    _ua.append(UA_STYLESHEET)
    return _ua[0]


def _document_class():
    from weasyprint import HTML

    class DocumentHTML(HTML):
        """An HTML document styled by user_agent_css() instead of WeasyPrint's own sheet."""

        def _ua_stylesheets(self, forms=False):
            return [user_agent_css(), *super()._ua_stylesheets(forms)[1:]]

    return DocumentHTML


_collector = {"paused": False}


def pause_collector_while_rendering() -> None:
    """From now on this process's garbage collector waits while a document is made and
    collects the young generations after it. For a Celery worker's pool process only, of
    the prefork or the solo pool (tilskudd.celery; tests/conftest.py's worker is solo), which
    makes one document at a time in its one thread. A document's boxes, alive through the
    render, were promoted to the old generation and set off full collections over
    everything Django and WeasyPrint have loaded: about 9 % of a receipt's
    or a letter's CPU, 1 % after (README, PDF benchmark). The web's threads, which make a
    PDF clicked before the worker made it, keep the collector as it is: pausing it would
    pause it for their other requests too."""
    _collector["paused"] = True


@contextlib.contextmanager
def _collection_after():
    if not _collector["paused"] or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(1)  # what the document left in cycles: not the old generation


#: The documents go to the body's archive, which takes PDF/A-2 (Noark 5, Arkivverket's
#: list of formats): conformance A, which is B (fonts embedded, an sRGB output intent, the
#: PDF/A identification in the XMP metadata) and tagged, the structure tree a screen reader
#: reads (WCAG covers the documents the portal makes too).
PDF_VARIANT = "pdf/a-2a"


def _serialised_once(cls: type) -> type:
    """cls (a pydyf dictionary or stream, WeasyPrint's page stream among them) whose bytes are
    made once and kept."""

    def data(self):
        if "_data" not in self.__dict__:
            self.__dict__["_data"] = super(once, self).data
        return self.__dict__["_data"]

    once = type(f"Once{cls.__name__}", (cls,), {"data": property(data), "__slots__": ()})
    return once


_once_classes: dict = {}

#: The pydyf whose PDF.write was read for serialise_once: it changes no object once it has
#: made its bytes (it only numbers the info dictionary and adds the object and
#: cross-reference streams, which it makes itself and then only writes). pyproject pins it.
SERIALISE_ONCE_PYDYF = "0.13.0"
_once_checked: dict = {}


def _keep_bytes(obj, pydyf) -> None:
    cls = type(obj)
    if cls not in _once_classes:
        serialisable = issubclass(cls, (pydyf.Dictionary, pydyf.Stream))
        _once_classes[cls] = _serialised_once(cls) if serialisable else None
    if _once_classes[cls] is not None:
        obj.__class__ = _once_classes[cls]


def serialise_once(document, pdf) -> None:
    """WeasyPrint's finisher, run when the PDF is complete and before pydyf writes it: each
    dictionary and stream keeps its bytes once made, and so does each that pydyf adds while
    writing (the info dictionary, the object stream that holds every tag's dictionary, the
    cross-reference stream). PDF/A's file identifier is the MD5 of every object's bytes,
    which pydyf makes again after writing them (every stream compressed at level 9 a second
    time, the object stream among them, every tag's dictionary serialised again): 6 % of the
    allocation letter's instructions (README, PDF benchmark). Nothing changes an object
    once it has its bytes, so the file is byte for byte the same
    (tests/tilskudd/test_pdf_user_agent.py compares it with WeasyPrint's own;
    test_pdf_serialise_once.py counts the compressions). Only the instances of this
    document change class; under another pydyf nothing does."""
    import pydyf

    if pydyf.__version__ != SERIALISE_ONCE_PYDYF:
        if not _once_checked.get(pydyf.__version__):
            _once_checked[pydyf.__version__] = True
            logger.warning(
                "pydyf %s is not the one serialise_once was read for: left out", pydyf.__version__
            )
        return
    for obj in pdf.objects:
        _keep_bytes(obj, pydyf)
    add_object = pdf.add_object

    def add_keeping_bytes(obj):
        _keep_bytes(obj, pydyf)
        add_object(obj)

    pdf.add_object = add_keeping_bytes  # this document's only


def html_to_pdf(html: str) -> bytes:
    # WeasyPrint is imported when the first document is made: loading Pango is slow, and
    # only workers need it.
    if not _document_classes:
        _document_classes.append(_document_class())
    stylesheets = [document_css()] if DOCUMENT_CSS_MARK in html else None
    with _collection_after():
        document = _document_classes[0](
            string=html, base_url=STATIC_BASE_URL, url_fetcher=static_only_fetcher()
        )
        return document.write_pdf(
            stylesheets=stylesheets,
            pdf_variant=PDF_VARIANT,
            pdf_tags=True,  # pdf/a-2a sets it too; said here for a reader of this call
            font_config=font_config(),
            finisher=serialise_once,
        )


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """In the active language: a document job's own (DocumentJob.document_language)."""
    return html_to_pdf(render_to_string(template_name, context))
