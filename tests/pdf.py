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
