"""Documents shown in an applicant's archive ("Mine søknader") that other apps make,
such as allocation letters. An app registers a provider in its AppConfig.ready(); the
archive asks every provider once per page (one query each, whatever the number of rows),
so the applications app never imports the apps that build on it.

A provider whose documents exist only once a grant has come so far (an allocation letter
once the office has the case, a report once it is opened) says so with `from_stage`
(tilskudd.status.Stage): given the rows' status lines, the archive asks it for the rows
that have reached that stage only, and not at all when none has (a page of applications
still being written or waiting for the office asks no provider)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from .status import GrantStatus, Stage


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
#: The stage a provider's documents need (register_archive_provider's from_stage).
_from_stage: dict[Provider, Stage] = {}


def register_archive_provider(provider: Provider, *, from_stage: Stage | None = None) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    if from_stage is not None:
        _from_stage[provider] = from_stage
    return provider


def archive_documents(
    application_ids: list[int], statuses: Mapping[int, GrantStatus] | None = None,
) -> dict[int, list[ArchiveDocument]]:
    """The documents of these applications, by application id. With `statuses`
    (tilskudd.status.grant_status_for of the same applications) a provider registered
    with a `from_stage` is asked only for the applications whose status has reached it."""
    found: dict[int, list[ArchiveDocument]] = defaultdict(list)
    if not application_ids:
        return found
    for provider in _providers:
        ids = application_ids
        from_stage = _from_stage.get(provider)
        if statuses is not None and from_stage is not None:
            ids = [pk for pk in application_ids
                   if (status := statuses.get(pk)) is not None and status.stage >= from_stage]
            if not ids:
                continue
        for doc in provider(ids):
            found[doc.application_id].append(doc)
    return found
