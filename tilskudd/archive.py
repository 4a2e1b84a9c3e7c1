"""Documents shown in an applicant's archive ("Mine søknader") that other apps make,
such as allocation letters. An app registers a provider in its AppConfig.ready(); the
archive asks every provider once per page (one query each, whatever the number of rows),
so the applications app never imports the apps that build on it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ArchiveDocument:
    application_id: int
    title: str
    status: str
    created_at: datetime
    url: str = ""
    sha256: str = ""
    action_url: str = ""
    action_label: str = ""


Provider = Callable[[list[int]], Iterable[ArchiveDocument]]
_providers: list[Provider] = []


def register_archive_provider(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def archive_documents(application_ids: list[int]) -> dict[int, list[ArchiveDocument]]:
    found: dict[int, list[ArchiveDocument]] = defaultdict(list)
    if not application_ids:
        return found
    for provider in _providers:
        for doc in provider(application_ids):
            found[doc.application_id].append(doc)
    return found
