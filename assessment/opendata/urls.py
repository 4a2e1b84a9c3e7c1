from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:scheme>/<int:year>.json", views.package, name="package"),
    path("<slug:scheme>/<int:year>.csv", views.package_csv, name="csv"),
]
