"""The documents' shared stylesheet (templates/documents/pdf.css) is parsed once a process
and given to every document made from base_pdf.html; a PDF made with the kept sheet is the
PDF the same HTML makes with its sheet parsed afresh, and other HTML is left unstyled."""

import threading

from django.template import Context, Template
from django.template.loader import get_template
from weasyprint import CSS, HTML

from tests.pdf import pdf_pages
from tilskudd.documents.pdf import (
    DOCUMENT_CSS_MARK,
    DOCUMENT_CSS_TEMPLATE,
    PDF_VARIANT,
    STATIC_BASE_URL,
    document_css,
    font_config,
    html_to_pdf,
    static_only_fetcher,
)


def _document_html() -> str:
    return Template(
        '{% extends "documents/base_pdf.html" %}{% block title %}Brev{% endblock %}'
        "{% block running_right %}Ref. TBK-2027-0301-AB12{% endblock %}"
        '{% block content %}<h1>Krav</h1><table><thead><tr><th scope="col">Tiltak</th>'
        '<th scope="col" class="amount">Beløp</th></tr></thead><tbody><tr><td>Kurs</td>'
        '<td class="amount">kr 20 000</td></tr></tbody></table>{% endblock %}'
    ).render(Context())


def test_the_sheet_is_parsed_once_and_shared_by_threads():
    first = document_css()
    other = []
    thread = threading.Thread(target=lambda: other.append(document_css()))
    thread.start()
    thread.join()

    assert isinstance(first, CSS)
    assert document_css() is first
    assert other[0] is first


def test_a_document_is_styled_by_the_kept_sheet_as_by_a_fresh_one():
    html = _document_html()
    assert DOCUMENT_CSS_MARK in html
    source = get_template(DOCUMENT_CSS_TEMPLATE).template.source
    assert "{%" not in source  # the words and the running header stay in the document

    kept = html_to_pdf(html)
    fresh = HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=static_only_fetcher())
    fresh = fresh.write_pdf(
        stylesheets=[CSS(string=source)], pdf_variant=PDF_VARIANT, pdf_tags=True,
        font_config=font_config(),
    )
    unstyled = HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=static_only_fetcher())
    unstyled = unstyled.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True,
                                  font_config=font_config())

    assert kept == fresh
    assert kept != unstyled
    pages = pdf_pages(kept)
    assert "Ref. TBK-2027-0301-AB12" in pages[0]
    assert len(pages) == 1
    assert "Krav Tiltak Beløp Kurs kr 20 000" in pages[0]
    assert "Side 1 av 1" in pages[0]


def _embedded_fonts(data: bytes) -> set[str]:
    import io

    from pypdf import PdfReader

    fonts = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return fonts


def test_the_running_header_and_page_numbers_are_in_the_body_font():
    """The margin boxes inherit from the page, not from body: without a font of their own
    they were set in DejaVu Serif, a third font loaded, subset and embedded in every PDF
    for a line of 7.5 pt text (bench/pdf.py)."""
    data = html_to_pdf(_document_html())

    assert _embedded_fonts(data) == {"DejaVu-Sans", "DejaVu-Sans-Bold"}
    assert "Side 1 av 1" in pdf_pages(data)[0]
