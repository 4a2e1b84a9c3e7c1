"""The URL patterns every owner of documents (an application, a report) has the same way:
its PDF attachments (add, download, remove), its Excel file (download, upload) and its
receipt (page, PDF state, PDF). One app's `urlpatterns` adds them with
`*document_urls(attachments=..., excel=..., receipts=...)`; the names are the same in
every app, under the app's namespace (`applications:receipt_pdf`, `reporting:receipt_pdf`)."""

from __future__ import annotations

from types import ModuleType

from django.urls import URLPattern, path

from .attachments import AttachmentViews
from .excel_pages import ExcelPages


def document_urls(*, attachments: AttachmentViews, excel: ExcelPages,
                  receipts: ModuleType) -> list[URLPattern]:
    """`receipts` is the app's receipt_views module (receipt, receipt_status, receipt_pdf)."""
    return [
        path("<int:pk>/vedlegg/", attachments.add_view, name="attachment_add"),
        path("<int:pk>/vedlegg/<int:attachment_id>/", attachments.download_view,
             name="attachment_download"),
        path("<int:pk>/vedlegg/<int:attachment_id>/fjern/", attachments.remove_view,
             name="attachment_remove"),
        path("<int:pk>/excel/", excel.download_view, name="excel_download"),
        path("<int:pk>/excel/last-opp/", excel.upload_view, name="excel_upload"),
        path("kvittering/<str:reference>/", receipts.receipt, name="receipt"),
        path("kvittering/<str:reference>/status/", receipts.receipt_status,
             name="receipt_status"),
        path("kvittering/<str:reference>/pdf/", receipts.receipt_pdf, name="receipt_pdf"),
    ]
