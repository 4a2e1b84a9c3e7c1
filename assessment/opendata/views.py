"""The public open-data page (no sign-in) and its files."""

from __future__ import annotations

import json

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .flat import grants_csv
from .grants import file_names, package_for
from .publication import PublishedRound, published_round, published_rounds


@require_GET
def index(request):
    rounds = [(published, file_names(published)) for published in published_rounds()]
    return render(request, "assessment/opendata/index.html", {"rounds": rounds})


def _published(scheme: str, year: int) -> PublishedRound:
    found = published_round(scheme, year)
    if found is None:
        raise Http404
    return found


def _download(content: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def package(request, scheme: str, year: int):
    published = _published(scheme, year)
    content = json.dumps(package_for(published), ensure_ascii=False, indent=2)
    return _download(content, "application/json; charset=utf-8", file_names(published).json)


@require_GET
def package_csv(request, scheme: str, year: int):
    published = _published(scheme, year)
    content = grants_csv(package_for(published)["grants"])
    return _download(content, "text/csv; charset=utf-8", file_names(published).csv)
