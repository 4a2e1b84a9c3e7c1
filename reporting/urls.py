from django.urls import path

from . import attachment_views, excel_views, receipt_views, views

app_name = "reporting"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("ny/<int:application_id>/", views.open_report, name="open"),
    path("<int:pk>/", views.edit, name="edit"),
    path("<int:pk>/forhandsvis/", views.preview, name="preview"),
    path("<int:pk>/send-inn/", views.submit, name="submit"),
    path("<int:pk>/vedlegg/", attachment_views.attachment_add, name="attachment_add"),
    path("<int:pk>/vedlegg/<int:attachment_id>/", attachment_views.attachment_download,
         name="attachment_download"),
    path("<int:pk>/vedlegg/<int:attachment_id>/fjern/", attachment_views.attachment_remove,
         name="attachment_remove"),
    path("<int:pk>/excel/", excel_views.excel_download, name="excel_download"),
    path("<int:pk>/excel/last-opp/", excel_views.excel_upload, name="excel_upload"),
    path("kvittering/<str:reference>/", receipt_views.receipt, name="receipt"),
    path("kvittering/<str:reference>/status/", receipt_views.receipt_status, name="receipt_status"),
    path("kvittering/<str:reference>/pdf/", receipt_views.receipt_pdf, name="receipt_pdf"),
]
