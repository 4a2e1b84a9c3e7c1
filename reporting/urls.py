from django.urls import path

from tilskudd.document_urls import document_urls
from tilskudd.steps import step_form_urls

from . import (
    attachment_views,
    excel_views,
    receipt_views,
    repayment_views,
    transfer_views,
    views,
)
from .changes.urls import urlpatterns as change_urls

app_name = "reporting"

urlpatterns = [
    path("", views.report_list, name="list"),
    *change_urls,
    path("ny/<int:application_id>/", views.open_report, name="open"),
    *step_form_urls(edit=views.edit, step=views.step, preview=views.preview,
                    submit=views.submit),
    path("tilbakebetaling/<int:pk>/", repayment_views.repayment_claim, name="repayment_claim"),
    path("tilbakebetaling/<int:pk>/brev/", repayment_views.repayment_letter,
         name="repayment_letter"),
    path("overforing/<int:pk>/brev/", transfer_views.transfer_letter, name="transfer_letter"),
    *document_urls(attachments=attachment_views.ATTACHMENTS, excel=excel_views.REPORT_EXCEL,
                   receipts=receipt_views),
]
