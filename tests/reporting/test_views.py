"""The recipient's pages: who may see them, saving with and without JavaScript, submit,
the receipt and its PDF, attachments, the Excel upload, and the queries a page makes."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting.models import Report, ReportStatus, UnusedChoice
from tests.pdf import pdf_text

from .helpers import fill, pdf_upload, ready_report

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def _form_data(report, **overrides) -> dict:
    """What the report form posts with every line filled in."""
    data = {
        "header-text_report": "Tilskuddet er brukt til utdanning som planlagt.",
        "header-unused_choice": "",
        "header-transfer_reason": "",
    }
    for line in report.competence_lines.select_related("source"):
        # completed + still studying + stopped = the line's persons (reporting.rules)
        data.update({f"competence-{line.pk}-completed": str(line.source.employees - 1),
                     f"competence-{line.pk}-still_studying": "1",
                     f"competence-{line.pk}-stopped": "0",
                     f"competence-{line.pk}-amount_used": f"{int(line.granted):,}".replace(
                         ",", " ")})
    for line in report.bpa_lines.all():
        data.update({f"bpa-{line.pk}-trained": "2", f"bpa-{line.pk}-amount_used": "kr 60 000"})
    data.update(overrides)
    return data


def test_only_members_see_a_report(client, report, rogaland_signatory, caseworker):
    url = reverse("reporting:edit", args=[report.pk])
    for user in (rogaland_signatory, caseworker):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"header-text_report": "x"}).status_code == 404
    report.refresh_from_db()
    assert report.text_report == ""


def test_mine_rapporter_lists_the_report_and_the_grants_waiting(client, report, signatory):
    client.force_login(signatory)

    response = client.get(reverse("reporting:list"))

    assert response.status_code == 200
    assert response.context["rows"][0]["report"].pk == report.pk
    assert response.context["waiting"] == []
    assert "Mine rapporter" in response.content.decode()


def test_a_member_opens_the_report_from_the_list(client, application, signatory):
    client.force_login(signatory)
    page = client.get(reverse("reporting:list")).content.decode()
    assert "Start rapporten" in page

    response = client.post(reverse("reporting:open", args=[application.pk]))

    report = application.report
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:edit", args=[report.pk])


def test_saving_without_javascript(client, report, editor):
    client.force_login(editor)

    response = client.post(reverse("reporting:edit", args=[report.pk]),
                           {**_form_data(report), "action": "save"})

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.used_total == 260000
    assert [line.completed for line in report.competence_lines.all()] == [2, 3]
    page = client.get(response["Location"], follow=True).content.decode()  # to its step
    assert re.search(r"Rapporten er lagret kl\. \d\d:\d\d\.", page)


def test_an_invalid_field_is_shown_and_the_rest_is_saved(client, report, editor):
    client.force_login(editor)
    first = report.competence_lines.first()

    response = client.post(reverse("reporting:edit", args=[report.pk]), _form_data(
        report, **{f"competence-{first.pk}-completed": "to"}))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Skriv et helt tall, for eksempel 3." in page
    assert f'href="#id_competence-{first.pk}-completed"' in page
    report.refresh_from_db()
    first.refresh_from_db()
    assert first.completed is None
    assert report.text_report == "Tilskuddet er brukt til utdanning som planlagt."


def test_autosave_answers_with_the_time_and_the_account(client, report, editor):
    client.force_login(editor)
    line = report.bpa_lines.first()

    response = client.post(reverse("reporting:edit", args=[report.pk]), {
        f"bpa-{line.pk}-trained": "2", f"bpa-{line.pk}-amount_used": "50 000",
        f"bpa-{line.pk}-extra": "ignored",
    }, **FETCH)

    body = response.json()
    assert response.status_code == 200
    assert re.fullmatch(r"\d\d:\d\d", body["saved_at"])
    assert body["errors"] == {}
    assert body["account"] == {"granted": "kr\xa0260\xa0000", "transferred_in": "kr\xa00",
                               "available": "kr\xa0260\xa0000", "used": "kr\xa050\xa0000",
                               "unused": "kr\xa0210\xa0000"}
    assert any("ubrukte midler" in item["text"] for item in body["missing"])


def test_autosave_reports_field_errors_by_name(client, report, editor):
    client.force_login(editor)
    line = report.bpa_lines.first()

    body = client.post(reverse("reporting:edit", args=[report.pk]),
                       {f"bpa-{line.pk}-amount_used": "-5"}, **FETCH).json()

    assert body["errors"] == {f"bpa-{line.pk}-amount_used": ["Beløpet kan ikke være negativt."]}


def test_the_report_page_makes_a_fixed_number_of_queries(
    client, report, signatory, django_assert_num_queries
):
    client.force_login(signatory)
    url = reverse("reporting:step", args=[report.pk, "kompetansetiltak"])
    client.get(url)

    # session, the user with the header's memberships and office (one query,
    # tilskudd.auth_backends; the page's own membership check reads the same), the report
    # with its three parts and attachments, and the step list and rules.check_report
    # reading nothing more
    with django_assert_num_queries(7):
        response = client.get(url)

    assert response.status_code == 200


def test_the_edit_page_is_labelled_and_says_when_it_was_saved(client, report, signatory):
    client.force_login(signatory)

    page = client.get(reverse("reporting:step", args=[report.pk, "kompetansetiltak"])
                      ).content.decode()
    attachments = client.get(reverse("reporting:step", args=[report.pk, "vedlegg"]))

    assert 'id="save-status" class="mb-0 ms-sm-2" role="status" aria-live="polite"' in page
    assert re.search(r"Sist lagret kl\. \d\d:\d\d", page)
    first = report.competence_lines.first()
    assert re.search(rf'<label\s+for="id_competence-{first.pk}-completed"', page)
    assert "revisorattestasjon" in attachments.content.decode()


def test_preview_submit_receipt_and_pdf(
    client, report, signatory, django_capture_on_commit_callbacks
):
    # given: a complete report with unused funds to be repaid
    ready_report(report, signatory, used=lambda line: line.granted - 5000,
                 unused_choice=UnusedChoice.REPAY)
    client.force_login(signatory)
    preview = client.get(reverse("reporting:preview", args=[report.pk])).content.decode()
    assert "Send inn rapporten" in preview

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:submit", args=[report.pk]))

    # then: the receipt, with the reference and the choice
    submission = report.submissions.get()
    assert response["Location"] == reverse("reporting:receipt", args=[submission.reference])
    page = client.get(response["Location"]).content.decode()
    assert submission.reference in page
    assert "Betale tilbake ubrukte midler" in page
    assert client.get(reverse("reporting:receipt_status", args=[submission.reference])).json()[
        "status"] == "ready"
    pdf = client.get(reverse("reporting:receipt_pdf", args=[submission.reference]))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(pdf.streaming_content))
    assert submission.reference in text
    assert "Betale tilbake ubrukte midler" in text


def test_an_editor_is_told_who_may_submit(client, report, signatory, editor):
    ready_report(report, signatory)
    client.force_login(editor)

    preview = client.get(reverse("reporting:preview", args=[report.pk])).content.decode()
    response = client.post(reverse("reporting:submit", args=[report.pk]))

    assert "Bare den som har signaturrett" in preview
    assert "Send inn rapporten</button>" not in preview
    assert response.status_code == 422
    assert "Bare den som har signaturrett for Trondheim" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_a_sent_report_is_shown_as_sent(client, report, signatory):
    ready_report(report, signatory)
    from reporting import services

    submission = services.report_submit(report=report, user=signatory)
    client.force_login(signatory)

    page = client.get(reverse("reporting:edit", args=[report.pk])).content.decode()

    assert f"med referansenummer {submission.reference}" in page
    assert 'id="report-form"' not in page


def test_attachments_are_served_only_to_members(client, report, signatory, rogaland_signatory):
    client.force_login(signatory)
    response = client.post(reverse("reporting:attachment_add", args=[report.pk]), {
        "kind": "auditor_statement", "title": "Revisor", "file": pdf_upload(),
    })
    assert response.status_code == 302
    attachment = report.attachments.get()
    url = reverse("reporting:attachment_download", args=[report.pk, attachment.pk])

    assert client.get(url)["Content-Type"] == "application/pdf"
    client.force_login(rogaland_signatory)
    assert client.get(url).status_code == 404


def test_a_file_that_is_not_a_pdf_is_refused_on_the_page(client, report, signatory):
    client.force_login(signatory)

    response = client.post(reverse("reporting:attachment_add", args=[report.pk]), {
        "kind": "auditor_statement",
        "file": SimpleUploadedFile("revisor.pdf", b"\x89PNG....", content_type="application/pdf"),
    })

    assert response.status_code == 422
    assert "Vedlegg må være PDF-filer." in response.content.decode()
    assert report.attachments.count() == 0


def test_the_excel_upload_page_lists_every_error(client, report, signatory):
    from openpyxl import load_workbook

    client.force_login(signatory)
    data = client.get(reverse("reporting:excel_download", args=[report.pk])).content
    wb = load_workbook(io.BytesIO(data))
    wb["Kompetanse"]["D4"] = "mange"
    out = io.BytesIO()
    wb.save(out)

    response = client.post(reverse("reporting:excel_upload", args=[report.pk]), {
        "file": SimpleUploadedFile("rapport.xlsx", out.getvalue())})

    assert response.status_code == 422
    page = response.content.decode()
    assert "Filen har 1 feil. Ingenting er lagret." in page
    assert "Kompetanse!D4: må være et helt tall" in page


@pytest.mark.parametrize("name", ["excel_download", "excel_upload", "preview"])
def test_other_pages_are_404_for_strangers(client, report, rogaland_signatory, name):
    client.force_login(rogaland_signatory)

    assert client.get(reverse(f"reporting:{name}", args=[report.pk])).status_code == 404


def test_the_correction_message_is_shown_to_the_recipient(client, report, signatory, caseworker):
    from reporting import services

    fill(report, signatory)
    ready_report(report, signatory)
    services.report_submit(report=report, user=signatory)
    services.report_return(report=report, user=caseworker, message="Mangler signatur.")
    client.force_login(signatory)

    page = client.get(reverse("reporting:edit", args=[report.pk]), follow=True).content.decode()

    assert "Statsforvalteren har sendt rapporten tilbake for retting" in page
    assert "Mangler signatur." in page


def test_the_archive_shows_the_report_receipt(
    report, signatory, django_capture_on_commit_callbacks
):
    from reporting import services
    from tilskudd.archive import archive_documents

    ready_report(report, signatory)
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.report_submit(report=report, user=signatory)

    documents = archive_documents([report.application_id])[report.application_id]
    mine = [d for d in documents if d.title.startswith("Rapport")]
    assert [(d.title, d.url) for d in mine] == [(
        f"Rapport {submission.reference} (kvittering)",
        reverse("reporting:receipt_pdf", args=[submission.reference]),
    )]


def test_a_refused_open_says_why_on_the_page_it_came_from(client, application, signatory):
    # given: the round's reporting opens in a month
    from datetime import timedelta

    from django.utils import timezone

    rnd = application.round
    rnd.reporting_opens_at = timezone.now() + timedelta(days=30)
    rnd.save()
    client.force_login(signatory)
    listing = reverse("reporting:list")

    # when: the recipient asks to start the report from the list
    response = client.post(reverse("reporting:open", args=[application.pk]),
                           HTTP_REFERER=f"http://testserver{listing}")

    # then: back on the list with the refusal, and no report was opened
    assert response.status_code == 302
    assert response["Location"] == f"http://testserver{listing}"
    page = client.get(listing).content.decode()
    assert f"Rapporteringen for {rnd} åpner " in page
    assert not Report.objects.filter(application=application).exists()


def test_a_refusal_never_sends_the_person_to_another_site(client, application, signatory):
    from datetime import timedelta

    from django.utils import timezone

    rnd = application.round
    rnd.reporting_opens_at = timezone.now() + timedelta(days=30)
    rnd.save()
    client.force_login(signatory)
    url = reverse("reporting:open", args=[application.pk])

    response = client.post(url, HTTP_REFERER="https://evil.example/phish")

    assert response.status_code == 302
    assert response["Location"] == url
