"""The checks an uploaded .xlsx passes before openpyxl parses any of it.

openpyxl builds every shared string at load, parses each worksheet at load (to find its
size) and again when it is read, and builds a whole row before cutting it to max_col; the
cost of each is its number of XML elements. So the zip's declared sizes are checked
first (cheap, from the central directory), then every XML part is streamed through expat
once, counting elements, and the file is refused before openpyxl sees it when there is
more than a filled-in template can hold."""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import IO, Any
from xml.parsers import expat

from django.utils.translation import gettext as _

from .common import (
    MAX_SHARED_STRINGS_BYTES,
    MAX_UNCOMPRESSED_BYTES,
    MAX_XML_ELEMENTS,
    MAX_XML_PART_BYTES,
    MAX_ZIP_MEMBERS,
    OLE_MAGIC,
    ZIP_MAGIC,
    ExcelFileError,
)

_CHUNK = 64 * 1024
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


# --- messages -----------------------------------------------------------------------


def _too_big(max_bytes: int) -> str:
    return _("Filen er for stor (høyst %(mb)d MB).") % {"mb": max_bytes // (1024 * 1024)}


def _not_xlsx() -> str:
    return _("Filen er ikke en Excel-arbeidsbok (.xlsx). Last opp filen du lastet ned fra "
             "portalen, lagret som Excel-arbeidsbok.")


def damaged_message() -> str:
    return _("Filen kunne ikke leses som en Excel-arbeidsbok (.xlsx). Den kan være skadet; "
             "åpne den i Excel og lagre den på nytt som Excel-arbeidsbok.")


def _unpacks_too_big(max_bytes: int) -> str:
    return _("Filen blir for stor når den pakkes ut (høyst %(mb)d MB). Last opp filen du "
             "lastet ned fra portalen.") % {"mb": max_bytes // (1024 * 1024)}


def _too_much_text(max_bytes: int) -> str:
    return _("Filen har for mye tekst (høyst %(mb)d MB når den pakkes ut). Last opp filen "
             "du lastet ned fra portalen, med bare skjemaets egne felt fylt ut."
             ) % {"mb": max_bytes // (1024 * 1024)}


def _part_too_big(max_bytes: int) -> str:
    return _("Et ark eller en annen del av filen blir for stort når det pakkes ut (høyst "
             "%(mb)d MB). Last opp filen du lastet ned fra portalen, med bare skjemaets egne "
             "felt fylt ut.") % {"mb": max_bytes // (1024 * 1024)}


def _too_many_elements(maximum: int) -> str:
    return _("Filen har mer innhold enn et utfylt skjema fra portalen kan ha (over "
             "%(max)s celler og andre deler). Last opp filen du lastet ned fra portalen, med "
             "bare skjemaets egne felt fylt ut.") % {"max": f"{maximum:,}".replace(",", " ")}


# --- the bytes ----------------------------------------------------------------------


def read_limited(upload: Any, max_bytes: int) -> bytes:
    """The upload's bytes (an UploadedFile, a file object or bytes), refused over max_bytes
    without reading more than max_bytes + 1."""
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > max_bytes:
            raise ExcelFileError(_too_big(max_bytes))
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ExcelFileError(_too_big(max_bytes))
    if not data:
        raise ExcelFileError(_("Filen er tom."))
    return data


# --- the zip ------------------------------------------------------------------------


def check_xlsx_container(
    data: bytes,
    *,
    max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES,
    max_members: int = MAX_ZIP_MEMBERS,
    max_part_bytes: int = MAX_XML_PART_BYTES,
    max_shared_strings_bytes: int = MAX_SHARED_STRINGS_BYTES,
    max_elements: int = MAX_XML_ELEMENTS,
) -> None:
    """Refuse what is not a zip, a zip that unpacks to too much (a zip bomb), and a
    workbook whose XML is more than openpyxl can parse quickly and in little memory.
    Python's zipfile stops at each member's declared size (and fails the CRC if there is
    more), so the declared sizes are a real bound on what is unpacked."""
    if data.startswith(OLE_MAGIC):
        raise ExcelFileError(_(
            "Filen er en eldre Excel-fil (.xls) eller er beskyttet med passord. Lagre den "
            "som Excel-arbeidsbok (.xlsx) uten passord og last den opp igjen."))
    if not data.startswith(ZIP_MAGIC):
        raise ExcelFileError(_not_xlsx())
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) > max_members:
                raise ExcelFileError(damaged_message())
            if sum(m.file_size for m in members) > max_uncompressed_bytes:
                raise ExcelFileError(_unpacks_too_big(max_uncompressed_bytes))
            if "[Content_Types].xml" not in {m.filename for m in members}:
                raise ExcelFileError(_not_xlsx())
            for member in members:  # by name first: refused without unpacking anything
                if _is_shared_strings(member.filename):
                    if member.file_size > max_shared_strings_bytes:
                        raise ExcelFileError(_too_much_text(max_shared_strings_bytes))
                elif _is_xml_name(member.filename) and member.file_size > max_part_bytes:
                    raise ExcelFileError(_part_too_big(max_part_bytes))
            scan = _Scan(max_elements=max_elements)
            for member in members:
                with archive.open(member) as stream:
                    scan.part(member, stream, max_part_bytes=max_part_bytes)
            scan.check_sheets()
    # Damaged, encrypted (RuntimeError) or compressed in a way zipfile does not know.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            NotImplementedError, RuntimeError, zlib.error) as exc:
        raise ExcelFileError(_not_xlsx()) from exc


def _is_shared_strings(name: str) -> bool:
    return posixpath.basename(name).casefold() == "sharedstrings.xml"


def _is_xml_name(name: str) -> bool:
    return name.casefold().endswith((".xml", ".rels", ".vml"))


def _looks_like_xml(head: bytes) -> bool:
    for bom in _BOMS:
        if head.startswith(bom):
            return True
    return head.lstrip(b" \t\r\n")[:1] == b"<"


class _Refused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class _Scan:
    """Counts the elements of every XML part (whatever it is called: the workbook's
    relationships may give a sheet any name) and notes which part each sheet is."""

    max_elements: int
    elements: int = 0
    #: rels part -> {relationship id: the part it points to, resolved as openpyxl does}
    targets: dict[str, dict[str, str]] = field(default_factory=dict)
    #: workbook part -> the relationship ids of its <sheet> elements
    sheets: dict[str, list[str]] = field(default_factory=dict)

    def part(self, member: zipfile.ZipInfo, stream: IO[bytes], *, max_part_bytes: int) -> None:
        head = stream.read(_CHUNK)
        if not _looks_like_xml(head):
            return  # images, printer settings: openpyxl does not parse them
        if member.file_size > max_part_bytes and not _is_shared_strings(member.filename):
            raise ExcelFileError(_part_too_big(max_part_bytes))
        name = member.filename
        parser = expat.ParserCreate(namespace_separator="}")
        parser.StartElementHandler = lambda tag, attrs: self._start(name, tag, attrs)
        parser.StartDoctypeDeclHandler = self._doctype
        chunk = head
        try:
            while chunk:
                parser.Parse(chunk, False)
                chunk = stream.read(_CHUNK)
            parser.Parse(b"", True)
        except _Refused as refused:
            raise ExcelFileError(refused.message) from None
        except expat.ExpatError:
            # Not well-formed: openpyxl stops at the same place if it parses this part
            # (and the file is refused as damaged), and the elements so far are counted.
            return

    def _start(self, part: str, tag: str, attrs: dict[str, str]) -> None:
        self.elements += 1
        if self.elements > self.max_elements:
            raise _Refused(_too_many_elements(self.max_elements))
        local = tag.rpartition("}")[2]
        if local == "sheet":
            rel_id = next((v for k, v in attrs.items() if k.rpartition("}")[2] == "id"), None)
            if rel_id is not None:
                self.sheets.setdefault(part, []).append(rel_id)
        elif local == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            self.targets.setdefault(part, {})[attrs.get("Id", "")] = _resolve(part, target)

    def _doctype(self, *args: Any) -> None:
        # OOXML has no DTD; one here could only declare entities to expand.
        raise _Refused(damaged_message())

    def check_sheets(self) -> None:
        """Two sheets that are one part would have openpyxl parse that part once for
        each (a file could name one large sheet a thousand times)."""
        for workbook, rel_ids in self.sheets.items():
            rels = self.targets.get(_rels_path(workbook), {})
            parts = [rels.get(rel_id) for rel_id in rel_ids]
            known = [p for p in parts if p is not None]
            if len(set(rel_ids)) < len(rel_ids) or len(set(known)) < len(known):
                raise ExcelFileError(damaged_message())


def _rels_path(part: str) -> str:
    # As openpyxl.packaging.relationship.get_rels_path.
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _resolve(rels_part: str, target: str) -> str:
    # As openpyxl.packaging.relationship.get_dependents.
    if target.startswith("/"):
        return target[1:]
    parent = posixpath.split(posixpath.dirname(rels_part))[0]
    return posixpath.normpath(posixpath.join(parent, target))
