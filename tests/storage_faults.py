"""Faults of the document storage for the tests of what a person then meets (a pytest
plugin, tests/conftest.py): the local disk full, and an S3 server that has stopped."""

import errno
import os

import pytest
from django.core.files.storage import FileSystemStorage

from tests.tilskudd.s3_server import REGION, _free_port
from tilskudd.storage import S3_BACKEND


class FullDisk:
    """The local disk (FileSystemStorage), full while `full` (from the start; set it False
    for room again, True to fill it): a write then stores the first half of the file and
    fails with ENOSPC, as a disk that fills during the write. `tried` names the writes
    refused, `writes` counts every write."""

    def __init__(self) -> None:
        self.full = True
        self.tried: list[str] = []
        self.writes = 0


@pytest.fixture
def full_disk(monkeypatch) -> FullDisk:
    disk = FullDisk()
    original = FileSystemStorage._save

    def save(storage, name, content):
        disk.writes += 1
        if not disk.full:
            return original(storage, name, content)
        disk.tried.append(name)
        path = storage.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = content.read()
        with open(path, "wb") as out:
            out.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(FileSystemStorage, "_save", save)
    return disk


@pytest.fixture
def s3_down(settings):
    """The default storage is a bucket on an S3 server that has stopped: nothing listens."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": S3_BACKEND, "OPTIONS": {
        "bucket_name": "tilskudd-stopped", "endpoint_url": f"http://127.0.0.1:{_free_port()}",
        "region_name": REGION, "addressing_style": "path",
        "access_key": "key", "secret_key": "secret",
    }}}
