"""The documents are made with WeasyPrint's user-agent stylesheet less the rules none of them
uses (the footnotes' and notes' pseudo-elements, ::marker on anything but a list item), since
WeasyPrint makes a computed style for each of those on every element; a PDF made so is byte
for byte the PDF the stock sheet makes."""

import threading

from django.template import Context, Template
from weasyprint import HTML
from weasyprint.html import UA, UA_STYLESHEET

from tests.pdf import pdf_structure, pdf_text
from tilskudd.documents.pdf import (
    PDF_VARIANT,
    STATIC_BASE_URL,
    document_css,
    font_config,
    html_to_pdf,
    static_only_fetcher,
    user_agent_css,
)


def _document_html() -> str:
    return Template(
        '{% extends "documents/base_pdf.html" %}{% block title %}Brev{% endblock %}'
        "{% block running_right %}Ref. TBK-2027-0301-AB12{% endblock %}"
        '{% block content %}<div class="letterhead"><strong>Statsforvalteren</strong><br>'
        '<span class="small">Tilskudd</span></div><h1>Krav</h1><dl class="meta">'
        "<dt>Til</dt><dd>Oslo kommune</dd></dl><h2>Beløp</h2><table><thead><tr>"
        '<th scope="col">Tiltak</th><th scope="col" class="amount">Beløp</th></tr></thead>'
        '<tbody><tr><td>Kurs<br><span class="small">Ansatte: 3</span></td>'
        '<td class="amount">kr 20 000</td></tr></tbody></table><ul><li>Vedlegg 1</li>'
        "<li>Vedlegg 2</li></ul><p>Med hilsen</p>{% endblock %}"
    ).render(Context())


def test_the_sheet_is_weasyprints_less_the_unused_rules_parsed_once():
    sheet = user_agent_css()
    other = []
    thread = threading.Thread(target=lambda: other.append(user_agent_css()))
    thread.start()
    thread.join()

    assert sheet is not UA_STYLESHEET  # WeasyPrint's sheet is still the one this was made for
    assert user_agent_css() is sheet
    assert other[0] is sheet
    for rule in ["::footnote-call {", "::footnote-marker {", "::note-call {", "\n::marker {"]:
        assert rule in UA


def test_a_document_is_the_pdf_weasyprints_own_sheet_makes():
    html = _document_html()

    ours = html_to_pdf(html)
    stock = HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=static_only_fetcher())
    stock = stock.write_pdf(stylesheets=[document_css()], pdf_variant=PDF_VARIANT,
                            pdf_tags=True, font_config=font_config())

    assert ours == stock
    assert "Vedlegg 1" in pdf_text(ours)
    marked, roles, lang = pdf_structure(ours)
    assert marked and lang == "nb"
    assert {"H1", "H2", "Table", "TH", "TD", "L", "LI", "Lbl", "P"} <= roles
