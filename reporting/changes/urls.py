"""The change request pages, added to reporting's URLs (namespace «reporting»)."""

from django.urls import path

from . import views

urlpatterns = [
    path("endring/ny/<int:application_id>/", views.change_request_new, name="change_new"),
    path("endring/<str:reference>/", views.change_request_detail, name="change_detail"),
    path("endring/<str:reference>/brev.pdf", views.change_letter_pdf, name="change_letter"),
]
