"""The site's URLs plus pages that fail on purpose, for tests of the error pages."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from tilskudd.urls import urlpatterns as site_urlpatterns


def broken(request):
    raise RuntimeError("a bug in a view")


def forbidden(request):
    raise PermissionDenied("not for you")


urlpatterns = [
    path("feil/500/", broken),
    path("feil/403/", forbidden),
    *site_urlpatterns,
]
