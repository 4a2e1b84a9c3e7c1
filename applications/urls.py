from django.urls import path

from . import attachment_views, excel_views, receipt_views, send_views, views

app_name = "applications"

urlpatterns = [
    path("", views.archive, name="archive"),
    path("ny/<int:round_id>/<int:organisation_id>/", views.start, name="start"),
    path("<int:pk>/", views.edit, name="edit"),
    path("<int:pk>/steg/<slug:step>/", views.step, name="step"),
    path("<int:pk>/forhandsvis/", send_views.preview, name="preview"),
    path("<int:pk>/send-til-signering/", send_views.request_signature, name="request_signature"),
    path("<int:pk>/ta-tilbake/", send_views.take_back, name="take_back"),
    path("<int:pk>/send-tilbake/", send_views.send_back, name="send_back"),
    path("<int:pk>/send-inn/", send_views.submit, name="submit"),
    path("<int:pk>/trekk/", send_views.withdraw, name="withdraw"),
    path("<int:pk>/vedlegg/", attachment_views.attachment_add, name="attachment_add"),
    path("<int:pk>/vedlegg/<int:attachment_id>/", attachment_views.attachment_download,
         name="attachment_download"),
    path("<int:pk>/vedlegg/<int:attachment_id>/fjern/", attachment_views.attachment_remove,
         name="attachment_remove"),
    path("<int:pk>/excel/", excel_views.download, name="excel_download"),
    path("<int:pk>/excel/last-opp/", excel_views.upload, name="excel_upload"),
    path("kvittering/<str:reference>/", receipt_views.receipt, name="receipt"),
    path("kvittering/<str:reference>/status/", receipt_views.receipt_status, name="receipt_status"),
    path("kvittering/<str:reference>/pdf/", receipt_views.receipt_pdf, name="receipt_pdf"),
]
