"""A document's PDF objects are serialised once (tilskudd.documents.pdf.serialise_once): PDF/A's
file identifier is the MD5 of every object's bytes, which pydyf made a second time after
writing them, every stream compressed again, the object stream pydyf makes while writing
among them. The file is byte for byte the one WeasyPrint makes without it
(tests/tilskudd/test_pdf_user_agent.py compares the two)."""

import pydyf
from django.template import Context, Template

from tilskudd.documents import pdf


def _html() -> str:
    return Template(
        '{% extends "documents/base_pdf.html" %}{% block title %}Brev{% endblock %}'
        "{% block running_right %}Ref. TBK-2027-0301-AB12{% endblock %}"
        "{% block content %}<h1>Tilskuddsbrev</h1><table><thead><tr>"
        '<th scope="col">Tiltak</th><th scope="col" class="amount">Beløp</th></tr></thead>'
        '<tbody><tr><td>Kurs</td><td class="amount">kr 20 000</td></tr></tbody></table>'
        "<p><strong>Med hilsen</strong></p>{% endblock %}"
    ).render(Context())


def test_each_stream_is_compressed_once_though_pdf_a_hashes_every_object(monkeypatch):
    compressions = []
    real_compressobj = pydyf.zlib.compressobj

    def counting_compressobj(*args, **kwargs):
        compressions.append(1)
        return real_compressobj(*args, **kwargs)

    streams = []
    real_finisher = pdf.serialise_once

    def counting_finisher(document, made):
        streams.extend(obj for obj in made.objects if isinstance(obj, pydyf.Stream))
        real_finisher(document, made)

    monkeypatch.setattr(pdf, "serialise_once", counting_finisher)
    html = _html()
    pdf.html_to_pdf(html)  # fonts and sheets loaded
    compressions.clear()
    streams.clear()
    monkeypatch.setattr(pydyf.zlib, "compressobj", counting_compressobj)

    data = pdf.html_to_pdf(html)

    assert pdf.PDF_VARIANT == "pdf/a-2a" and b"/ID [" in data  # the identifier is there
    assert len(streams) >= 4  # the page's content, two fonts' subsets, the colour profile...
    # each of them once, and so pydyf's own object stream and cross-reference stream, made
    # while writing, after the finisher: without serialise_once, 2 × streams + 3 (the object
    # stream twice); with it before the objects pydyf adds kept theirs, streams + 3
    assert len(compressions) == len(streams) + 2


def test_under_another_pydyf_no_object_keeps_its_bytes_and_the_file_is_the_same(
    monkeypatch, caplog
):
    # The finisher relies on pydyf.PDF.write changing no object once it made its bytes, read
    # in the pydyf it names; pyproject pins WeasyPrint only, so a new pydyf may come with it.
    html = _html()
    ours = pdf.html_to_pdf(html)
    kept = []
    real_finisher = pdf.serialise_once

    def keeping_finisher(document, made):
        real_finisher(document, made)
        kept.extend(type(obj) for obj in made.objects)

    monkeypatch.setattr(pdf, "serialise_once", keeping_finisher)
    monkeypatch.setattr(pydyf, "__version__", "0.14.0")
    monkeypatch.setattr(pdf, "_once_checked", {})

    with caplog.at_level("WARNING", logger="tilskudd.documents.pdf"):
        other = pdf.html_to_pdf(html)
        pdf.html_to_pdf(html)

    assert kept and not any(cls.__name__.startswith("Once") for cls in kept)
    assert other == ours
    assert [r.getMessage() for r in caplog.records if "serialise_once" in r.getMessage()] == [
        "pydyf 0.14.0 is not the one serialise_once was read for: left out"
    ]
