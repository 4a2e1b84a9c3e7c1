from django.urls import path

from . import attachment_views, excel_views, receipt_views, views

app_name = "applications"

urlpatterns = [
    path("", views.archive, name="archive"),
    path("ny/<int:round_id>/<int:organisation_id>/", views.start, name="start"),
    path("<int:pk>/", views.edit, name="edit"),
    path("<int:pk>/forhandsvis/", views.preview, name="preview"),
    path("<int:pk>/send-til-signering/", views.request_signature, name="request_signature"),
    path("<int:pk>/ta-tilbake/", views.take_back, name="take_back"),
    path("<int:pk>/send-tilbake/", views.send_back, name="send_back"),
    path("<int:pk>/send-inn/", views.submit, name="submit"),
    path("<int:pk>/trekk/", views.withdraw, name="withdraw"),
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
