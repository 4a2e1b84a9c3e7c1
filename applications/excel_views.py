# Placeholder while the Excel views are written (helper: applications Excel). Replaced wholesale.
from django.http import Http404


def download(request, pk):
    raise Http404


upload = download
