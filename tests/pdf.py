"""Reading PDFs back in tests: the text of every page, with pypdf, with white space
(line breaks from table cells, non-breaking spaces in amounts) folded to single spaces."""

import io

from pypdf import PdfReader


def _fold(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def pdf_pages(data: bytes) -> list[str]:
    return [_fold(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


def pdf_text(data: bytes) -> str:
    return " ".join(pdf_pages(data))


def blank_pdf(title: str = "Vedlegg") -> bytes:
    """A small, valid one-page PDF that the upload checks accept."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
