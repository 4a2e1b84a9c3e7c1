"""Hostile PDF attachments: each is built here with pypdf's writer and must be refused with
its own message next to the file field; a clean PDF is kept under a generated name, with
the person's name for it made harmless and used for the download."""

import hashlib
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from applications import services
from applications.models import Attachment
from tests.tilskudd.factories import OrganisationFactory, RoundFactory, member
from tilskudd import pdf_inspection
from tilskudd.models import MembershipRole
from tilskudd.uploads import checked_pdf_sha256, safe_original_name

SCRIPT = ("PDF-filen inneholder JavaScript eller handlinger som kjøres automatisk, og kan ikke "
          "lastes opp. Lagre den som en vanlig PDF (for eksempel med «Skriv ut til PDF») og "
          "prøv igjen.")
EMBEDDED = ("PDF-filen inneholder innebygde filer eller starter andre programmer, og kan ikke "
            "lastes opp. Last opp dokumentet uten innebygde filer.")
ENCRYPTED = "PDF-filen er kryptert eller passordbeskyttet. Last opp en versjon uten passord."
POLYGLOT = ("Filen er ikke en ren PDF-fil: den inneholder også noe annet (for eksempel en "
            "nettside). Lagre dokumentet som PDF på nytt og prøv igjen.")
UNREADABLE = "Filen kan ikke leses som PDF. Lagre dokumentet som PDF på nytt og prøv igjen."
TOO_COMPLEX = ("PDF-filen er for sammensatt til å kontrolleres. Lagre den som PDF på nytt (for "
               "eksempel med «Skriv ut til PDF») og prøv igjen.")


def _name(value: str) -> NameObject:
    return NameObject(value)


def _action(kind: str, **entries) -> DictionaryObject:
    action = DictionaryObject({_name("/S"): _name(kind)})
    for key, value in entries.items():
        action[_name(f"/{key}")] = TextStringObject(value)
    return action


def build_pdf(change=None) -> bytes:
    """A one-page PDF; `change(writer)` makes it hostile."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if change is not None:
        change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _javascript_open_action(writer):
    writer.root_object[_name("/OpenAction")] = _action("/JavaScript", JS="app.alert('hei')")


def _javascript_name_tree(writer):
    writer.add_open_action(JavaScript("app.alert('hei')"))


def _page_additional_action(writer):  # a harmless link action, but run on opening the page
    writer.pages[0][_name("/AA")] = DictionaryObject(
        {_name("/O"): _action("/URI", URI="https://example.org/")})


def _document_additional_action(writer):
    writer.root_object[_name("/AA")] = DictionaryObject(
        {_name("/WC"): _action("/URI", URI="https://example.org/")})


def _embedded_file(writer):
    writer.add_attachment("faktura.exe", b"MZ\x90\x00 not really a program")


def _launch_link(writer):
    writer.add_annotation(page_number=0, annotation=DictionaryObject({
        _name("/Type"): _name("/Annot"), _name("/Subtype"): _name("/Link"),
        _name("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(100),
                                     NumberObject(100)]),
        _name("/A"): _action("/Launch", F="cmd.exe"),
    }))


def _uri_open_action(writer):
    writer.root_object[_name("/OpenAction")] = _action("/URI", URI="https://example.org/")


def _encrypted_with_password(writer):
    writer.encrypt(user_password="hemmelig", owner_password="eier")


def _encrypted_owner_only(writer):
    writer.encrypt(user_password="", owner_password="eier")


def _link_to_a_web_page(writer):
    writer.add_annotation(page_number=0, annotation=DictionaryObject({
        _name("/Type"): _name("/Annot"), _name("/Subtype"): _name("/Link"),
        _name("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(100),
                                     NumberObject(100)]),
        _name("/A"): _action("/URI", URI="https://www.helsedirektoratet.no/"),
    }))


def _open_at_first_page(writer):
    writer.open_destination = writer.pages[0]


def _html_in_a_comment(pdf: bytes) -> bytes:
    return pdf.replace(b"\n", b"\n%<html><script>alert(1)</script></html>\n", 1)


def _upload(data: bytes, name: str = "plan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def _refusal(data: bytes) -> dict:
    with pytest.raises(ValidationError) as excinfo:
        checked_pdf_sha256(_upload(data))
    return excinfo.value.message_dict


@pytest.mark.parametrize(("change", "message"), [
    (_javascript_open_action, SCRIPT),
    (_javascript_name_tree, SCRIPT),
    (_page_additional_action, SCRIPT),
    (_document_additional_action, SCRIPT),
    (_uri_open_action, SCRIPT),
    (_embedded_file, EMBEDDED),
    (_launch_link, EMBEDDED),
    (_encrypted_with_password, ENCRYPTED),
    (_encrypted_owner_only, ENCRYPTED),
])
def test_a_hostile_pdf_is_refused_with_its_reason(change, message):
    # given a PDF with scripts, actions, files or encryption / when checked / then refused
    assert _refusal(build_pdf(change)) == {"file": [message]}


def test_html_before_the_pdf_header_is_refused_as_a_polyglot():
    polyglot = b"<html><body><script>alert(1)</script></body></html>\n" + build_pdf()

    assert _refusal(polyglot) == {"file": [POLYGLOT]}


def test_html_inside_a_pdf_that_parses_is_refused_as_a_polyglot():
    polyglot = _html_in_a_comment(build_pdf())
    assert pdf_inspection.inspect_pdf(io.BytesIO(polyglot)) is None  # pypdf reads it fine

    assert _refusal(polyglot) == {"file": [POLYGLOT]}


@pytest.mark.parametrize("data", [
    b"%PDF-1.4 plan",
    b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
    build_pdf()[:400],
])
def test_a_file_that_only_starts_like_a_pdf_is_refused(data):
    assert _refusal(data) == {"file": [UNREADABLE]}


def test_a_file_without_the_pdf_header_is_refused_as_before():
    assert _refusal(b"GIF89a not a pdf") == {"file": ["Vedlegg må være PDF-filer."]}


def test_the_object_walk_is_bounded(monkeypatch):
    monkeypatch.setattr(pdf_inspection, "MAX_PDF_OBJECTS", 3)

    assert _refusal(build_pdf()) == {"file": [TOO_COMPLEX]}


@pytest.mark.parametrize("change", [None, _link_to_a_web_page, _open_at_first_page])
def test_a_clean_pdf_is_accepted_with_its_checksum(change):
    data = build_pdf(change)
    upload = _upload(data)

    digest = checked_pdf_sha256(upload)

    assert digest == hashlib.sha256(data).hexdigest()
    assert upload.tell() == 0


@pytest.mark.parametrize(("given", "kept"), [
    ("\u202efdp.exe", "fdp.exe.pdf"),
    ("rapport\u202egnp.pdf", "rapportgnp.pdf"),
    ("x\u200b\u2066y.pdf", "xy.pdf"),
    ("navn\n\r\t.pdf", "navn.pdf"),
    ("..\\..\\windows\\system32\\plan.pdf", "plan.pdf"),
    ("/etc/passwd", "passwd.pdf"),
    ("rapport<script>.pdf", "rapport_script_.pdf"),
    ("Plan – Trondheim.PDF", "Plan - Trondheim.pdf"),
    ("Årsrapport 2024.pdf", "Årsrapport 2024.pdf"),
    ("  .skjult.pdf", "skjult.pdf"),
    ("....", "vedlegg.pdf"),
    ("", "vedlegg.pdf"),
])
def test_an_original_name_is_made_harmless(given, kept):
    assert safe_original_name(given) == kept


def test_a_long_original_name_is_cut_and_keeps_its_extension():
    kept = safe_original_name("a" * 300 + ".pdf")

    assert kept == "a" * 116 + ".pdf"


# --- through the service and the pages --------------------------------------------------


@pytest.fixture
def trondheim(db):
    return OrganisationFactory()


@pytest.fixture
def editor(trondheim):
    return member(trondheim, MembershipRole.EDITOR, email="utfyller@example.no",
                  full_name="Ulrikke Utfyller")


@pytest.fixture
def draft(trondheim, editor):
    return services.application_start(organisation=trondheim, round=RoundFactory(), user=editor)


def field_errors(html: str, field_id: str) -> list[str]:
    match = re.search(rf'<div id="{field_id}_error" class="invalid-feedback">(.*?)</div>',
                      html, re.S)
    return re.findall(r"<strong>(.*?)</strong>", match.group(1)) if match else []


def test_a_hostile_pdf_is_refused_next_to_the_file_field_and_nothing_is_stored(
    client, editor, draft, settings
):
    client.force_login(editor)

    response = client.post(reverse("applications:attachment_add", args=[draft.pk]), {
        "attachment-kind": "other", "attachment-title": "Plan",
        "attachment-file": _upload(build_pdf(_javascript_open_action)),
    })

    assert response.status_code == 200
    assert field_errors(response.content.decode(), "id_attachment-file") == [
        SCRIPT.replace("'", "&#x27;")]
    assert Attachment.objects.count() == 0
    assert not (settings.MEDIA_ROOT / "attachments").exists()


def test_a_pdf_is_stored_under_a_generated_name_and_keeps_its_harmless_name(draft, editor):
    attachment = services.attachment_add(
        application=draft, user=editor, uploaded=_upload(build_pdf(), "\u202efdp.exe"),
        kind="other", title="",
    )

    assert re.fullmatch(rf"attachments/{draft.pk}/[0-9a-f]{{32}}\.pdf", attachment.file.name)
    assert attachment.original_name == "fdp.exe.pdf"
    assert attachment.title == "fdp.exe.pdf"
    assert attachment.download_name == "fdp.exe.pdf"


def test_the_download_and_the_page_use_the_harmless_name(client, draft, editor):
    services.attachment_add(application=draft, user=editor,
                            uploaded=_upload(build_pdf(), "\u202efdp.exe"), kind="other",
                            title="Plan")
    attachment = Attachment.objects.get()
    client.force_login(editor)

    download = client.get(
        reverse("applications:attachment_download", args=[draft.pk, attachment.pk]))
    page = client.get(reverse("applications:step", args=[draft.pk, "vedlegg"])).content.decode()

    assert download["Content-Disposition"] == 'attachment; filename="fdp.exe.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "fdp.exe.pdf" in page
    assert "\u202e" not in page


def test_a_name_outside_ascii_is_offered_encoded(client, draft, editor):
    services.attachment_add(application=draft, user=editor,
                            uploaded=_upload(build_pdf(), "Årsplan.pdf"), kind="other",
                            title="Plan")
    attachment = Attachment.objects.get()
    client.force_login(editor)

    download = client.get(
        reverse("applications:attachment_download", args=[draft.pk, attachment.pk]))

    assert download["Content-Disposition"] == "attachment; filename*=utf-8''%C3%85rsplan.pdf"


def test_an_attachment_from_before_original_names_downloads_under_its_stored_name(
    client, draft, editor
):
    services.attachment_add(application=draft, user=editor, uploaded=_upload(build_pdf()),
                            kind="other", title="Plan")
    Attachment.objects.update(original_name="")  # as rows made before the field existed
    attachment = Attachment.objects.get()
    client.force_login(editor)

    download = client.get(
        reverse("applications:attachment_download", args=[draft.pk, attachment.pk]))

    stored = attachment.file.name.rsplit("/", 1)[1]
    assert download["Content-Disposition"] == f'attachment; filename="{stored}"'
