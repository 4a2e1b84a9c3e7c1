from django.urls import path

from . import views

app_name = "national"

urlpatterns = [
    path("", views.national, name="view"),
    path("eksport/", views.national_export, name="export"),
]
