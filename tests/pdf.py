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


def structure_nodes(root):
    """Every node of the tagged PDF's structure tree under `root` (the document catalogue),
    depth first in the tree's order; none for an untagged PDF."""
    def walk(node, depth=0):
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                yield from walk(child, depth)
            return
        if not hasattr(node, "get") or depth > 60:
            return
        yield node
        if "/K" in node:
            yield from walk(node["/K"], depth + 1)

    if "/StructTreeRoot" in root:
        yield from walk(root["/StructTreeRoot"])


def role(node) -> str:
    """A structure node's role (H1, Table, TR, TH …), "" for one without."""
    return str(node.get("/S", "")).lstrip("/")


def pdf_structure(data: bytes) -> tuple[bool, set[str], str | None]:
    """Whether the PDF is tagged, the structure roles its tree uses (H1, Table, TH, P …), and
    the document's language: what a screen reader needs to read it."""
    root = PdfReader(io.BytesIO(data)).trailer["/Root"]
    marked = bool(root.get("/MarkInfo", {}).get("/Marked"))
    roles = {role(node) for node in structure_nodes(root)} - {""}
    lang = root.get("/Lang")
    return marked, roles, str(lang) if lang is not None else None


def pdf_table_rows(data: bytes) -> list[list[str]]:
    """The structure roles of each table row's cells (TH or TD), row by row in the order of
    the tagged PDF's tree: which cells a screen reader announces as a row's or a column's
    heading."""
    root = PdfReader(io.BytesIO(data)).trailer["/Root"]
    rows = []
    for node in structure_nodes(root):
        if role(node) == "TR":
            cells = node["/K"] if isinstance(node["/K"], list) else [node["/K"]]
            rows.append([role(cell) for cell in (c.get_object() for c in cells)
                         if hasattr(cell, "get")])
    return rows
