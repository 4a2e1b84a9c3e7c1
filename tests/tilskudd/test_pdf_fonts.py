"""A thread keeps one WeasyPrint FontConfiguration for all the PDFs it makes (fontconfig is
loaded once, not once a document), and a PDF made with it is the PDF a fresh one makes."""

import threading

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from tests.pdf import pdf_structure, pdf_text
from tilskudd.documents.pdf import PDF_VARIANT, font_config, html_to_pdf

HTML_PAGE = (
    "<!doctype html><html lang='nb'><head><meta charset='utf-8'><title>Kvittering</title>"
    "</head><body><h1>Kvittering</h1><p>Søknaden er <strong>mottatt</strong>.</p></body></html>"
)


def test_a_thread_keeps_its_font_configuration_and_another_thread_gets_its_own():
    first = font_config()
    other = []
    thread = threading.Thread(target=lambda: other.append(font_config()))
    thread.start()
    thread.join()

    assert font_config() is first
    assert isinstance(first, FontConfiguration)
    assert other[0] is not first


def test_the_kept_configuration_makes_the_same_tagged_pdf_as_a_fresh_one():
    html_to_pdf(HTML_PAGE)  # the kept configuration has now served a document before

    kept = html_to_pdf(HTML_PAGE)
    fresh = HTML(string=HTML_PAGE).write_pdf(
        pdf_variant=PDF_VARIANT, pdf_tags=True, font_config=FontConfiguration()
    )

    assert kept == fresh
    assert pdf_text(kept) == "Kvittering Søknaden er mottatt."
    assert pdf_structure(kept) == (True, {"Document", "H1", "P", "Span", "NonStruct"}, "nb")
