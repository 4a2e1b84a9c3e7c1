"""Report attachments: a hostile or oversized PDF is refused next to the file field, and a
kept one is stored under a generated name and downloaded under its harmless own name."""

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from reporting import services
from reporting.models import ReportAttachment

from .helpers import pdf_bytes

MB = 1024 * 1024


def field_errors(html: str, field_id: str) -> list[str]:
    match = re.search(rf'<div id="{field_id}_error" class="invalid-feedback">(.*?)</div>',
                      html, re.S)
    return re.findall(r"<strong>(.*?)</strong>", match.group(1)) if match else []


def _javascript_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_open_action(JavaScript("app.launchURL('https://example.org/')"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_with_javascript_is_refused_next_to_the_file_field(client, report, signatory):
    client.force_login(signatory)

    response = client.post(reverse("reporting:attachment_add", args=[report.pk]), {
        "kind": "auditor_statement", "title": "Revisor",
        "file": SimpleUploadedFile("revisor.pdf", _javascript_pdf(),
                                   content_type="application/pdf"),
    })

    assert response.status_code == 422
    assert field_errors(response.content.decode(), "id_file") == [
        "PDF-filen inneholder JavaScript eller handlinger som kjøres automatisk, og kan ikke "
        "lastes opp. Lagre den som en vanlig PDF (for eksempel med «Skriv ut til PDF») og "
        "prøv igjen."]
    assert report.attachments.count() == 0


def test_an_11_mb_attachment_is_refused_next_to_the_file_field(
    client, report, signatory, settings
):
    client.force_login(signatory)

    response = client.post(reverse("reporting:attachment_add", args=[report.pk]), {
        "kind": "auditor_statement", "title": "Revisor",
        "file": SimpleUploadedFile("revisor.pdf", b"%PDF-1.4\n" + b"0" * (11 * MB)),
    })

    html = response.content.decode()
    assert response.status_code == 422
    assert field_errors(html, "id_file") == ["Filen er for stor (høyst 10 MB)."]
    assert 'value="Revisor"' in html
    assert report.attachments.count() == 0
    assert not (settings.MEDIA_ROOT / "reports").exists()


def test_an_oversized_excel_upload_is_refused_with_the_excel_limit(client, report, signatory):
    client.force_login(signatory)

    response = client.post(reverse("reporting:excel_upload", args=[report.pk]), {
        "file": SimpleUploadedFile("rapport.xlsx", b"PK\x03\x04" + b"0" * (11 * MB)),
    })

    assert response.status_code == 200
    assert field_errors(response.content.decode(), "id_file") == [
        "Filen er for stor (høyst 5 MB)."]


def test_a_kept_attachment_has_a_generated_name_and_downloads_under_its_own(
    client, report, signatory
):
    attachment = services.report_attachment_add(
        report=report, user=signatory, kind="auditor_statement",
        uploaded=SimpleUploadedFile("..\\revisor\u202efdp.exe", pdf_bytes()),
    )
    client.force_login(signatory)

    download = client.get(
        reverse("reporting:attachment_download", args=[report.pk, attachment.pk]))
    page = client.get(reverse("reporting:step", args=[report.pk, "vedlegg"])).content.decode()

    assert re.fullmatch(rf"reports/{report.pk}/[0-9a-f]{{32}}\.pdf", attachment.file.name)
    assert ReportAttachment.objects.get().original_name == "revisorfdp.exe.pdf"
    assert attachment.title == "revisorfdp.exe.pdf"
    assert download["Content-Disposition"] == 'attachment; filename="revisorfdp.exe.pdf"'
    assert "revisorfdp.exe.pdf" in page
