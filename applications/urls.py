from django.urls import path

from tilskudd.document_urls import document_urls
from tilskudd.steps import step_form_urls

from . import archive_views, attachment_views, excel_views, receipt_views, send_views, views

app_name = "applications"

urlpatterns = [
    path("", archive_views.archive, name="archive"),
    path("ny/<int:round_id>/<int:organisation_id>/", views.start, name="start"),
    *step_form_urls(edit=views.edit, step=views.step, preview=send_views.preview,
                    submit=send_views.submit),
    path("<int:pk>/send-til-signering/", send_views.request_signature, name="request_signature"),
    path("<int:pk>/ta-tilbake/", send_views.take_back, name="take_back"),
    path("<int:pk>/send-tilbake/", send_views.send_back, name="send_back"),
    path("<int:pk>/trekk/", send_views.withdraw, name="withdraw"),
    *document_urls(attachments=attachment_views.ATTACHMENTS, excel=excel_views.APPLICATION_EXCEL,
                   receipts=receipt_views),
]
