"""The public open-data page (no sign-in) and its files."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation
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


#: A public round's files are built once and kept this long, so visitors asking for a large
#: round again and again cost one build, not one each. A newly published office changes the
#: key, so it appears at once.
FILE_CACHE_SECONDS = 10 * 60


def _cached(published: PublishedRound, kind: str, build) -> str:
    """Built in bokmål, whatever the visitor reads the page in: a file is one published data
    set (one identifier, one title, the scheme's name as published), not one per language."""
    offices = "-".join(str(pk) for pk in sorted(office.pk for office in published.offices))
    key = f"opendata:{kind}:{published.round.pk}:{offices}"

    def in_bokmal() -> str:
        with translation.override(settings.LANGUAGE_CODE):
            return build()

    return cache.get_or_set(key, in_bokmal, FILE_CACHE_SECONDS)


@require_GET
def package(request, scheme: str, year: int):
    published = _published(scheme, year)
    content = _cached(published, "json", lambda: json.dumps(
        package_for(published), ensure_ascii=False, indent=2))
    return _download(content, "application/json; charset=utf-8", file_names(published).json)


@require_GET
def package_csv(request, scheme: str, year: int):
    published = _published(scheme, year)
    content = _cached(published, "csv", lambda: grants_csv(package_for(published)["grants"]))
    return _download(content, "text/csv; charset=utf-8", file_names(published).csv)
