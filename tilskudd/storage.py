"""Where uploaded and generated documents are kept. Every write and read goes through
Django's storage API (`FileField`s, `storage.save`, `FieldFile.open`), so the same code
runs on the local disk and on S3-compatible object storage:

- nothing set: the local disk below MEDIA_ROOT (`make run`, the tests, one machine);
- `DJANGO_STORAGE_URL`, or `AWS_STORAGE_BUCKET_NAME` (with the other `AWS_*` variables):
  a bucket that every web and worker host shares (`tilskudd.storage_s3.PrivateS3Storage`).

    DJANGO_STORAGE_URL=s3://KEY:SECRET@s3.eu-north-1.amazonaws.com/tilskudd-dokumenter
    DJANGO_STORAGE_URL=s3+http://KEY:SECRET@s3:8333/tilskudd/prefix?region=us-east-1

`s3://` and `s3+https://` speak HTTPS to the host, `s3+http://` plain HTTP (a server on the
same private network); no host is AWS's own endpoint; the path is the bucket, then an
optional prefix inside it; `region` and `addressing_style` (path, virtual) may be given in
the query. Key and secret may be left out for the AWS credential chain (an instance role).

The objects are private: nothing is ever given a public ACL or an unsigned URL, and
downloads are streamed by the views that check who is asking and write the audit row
(tilskudd.documents.responses), never redirected to the bucket.
"""

from __future__ import annotations

import io
import logging
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

LOCAL_BACKEND = "django.core.files.storage.FileSystemStorage"
S3_BACKEND = "tilskudd.storage_s3.PrivateS3Storage"

_SCHEMES = {"s3": "https", "s3+https": "https", "s3+http": "http"}
_QUERY_OPTIONS = {"region": "region_name", "addressing_style": "addressing_style"}


def default_storage_from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    """The STORAGES["default"] entry the environment asks for (see the module's doc)."""
    if url := environ.get("DJANGO_STORAGE_URL", "").strip():
        options = s3_options_from_url(url)
    elif bucket := environ.get("AWS_STORAGE_BUCKET_NAME", "").strip():
        options = _s3_options_from_aws(bucket, environ)
    else:
        return {"BACKEND": LOCAL_BACKEND}
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}


def s3_options_from_url(url: str) -> dict[str, Any]:
    """PrivateS3Storage's options from a DJANGO_STORAGE_URL."""
    parts = urlsplit(url)
    protocol = _SCHEMES.get(parts.scheme)
    bucket, _, location = parts.path.strip("/").partition("/")
    if protocol is None or not bucket:
        raise ImproperlyConfigured(
            "DJANGO_STORAGE_URL must look like s3://KEY:SECRET@host/bucket[/prefix] "
            "(or s3+http:// for a server without TLS)."
        )
    options: dict[str, Any] = {"bucket_name": bucket, "location": location.strip("/")}
    if parts.hostname:
        port = f":{parts.port}" if parts.port else ""
        options["endpoint_url"] = f"{protocol}://{parts.hostname}{port}"
        options["addressing_style"] = "path"  # S3-compatible servers rarely have bucket DNS
    if parts.username:
        options["access_key"] = unquote(parts.username)
        options["secret_key"] = unquote(parts.password or "")
    for key, value in parse_qsl(parts.query):
        if key not in _QUERY_OPTIONS:
            raise ImproperlyConfigured(
                f"DJANGO_STORAGE_URL: unknown option {key!r} (known: region, addressing_style)."
            )
        options[_QUERY_OPTIONS[key]] = value
    return options


def _s3_options_from_aws(bucket: str, environ: Mapping[str, str]) -> dict[str, Any]:
    options: dict[str, Any] = {"bucket_name": bucket}
    for variable, option in (
        ("AWS_S3_ENDPOINT_URL", "endpoint_url"),
        ("AWS_S3_REGION_NAME", "region_name"),
        ("AWS_S3_ADDRESSING_STYLE", "addressing_style"),
        ("AWS_LOCATION", "location"),
    ):
        if value := environ.get(variable, "").strip():
            options[option] = value
    # AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are read by boto3 itself from the environment.
    return options


def check_storage(storage) -> None:
    """Raise unless documents can be stored: the bucket answers with these credentials, or
    the local folder is there (or can be made) and is writable. For /helse/klar/."""
    ready = getattr(storage, "check_ready", None)
    if ready is not None:
        ready()
        return
    location = Path(storage.location)
    location.mkdir(parents=True, exist_ok=True)  # as FileSystemStorage does on its first save
    if not os.access(location, os.W_OK | os.X_OK):
        raise PermissionError(f"{location} is not writable")


def is_storage_error(error: BaseException) -> bool:
    """True when `error` is the storage refusing or not answering a write: the disk's
    OSErrors (full, read-only, gone), S3's answers (a refusal, throttling, a 5xx once
    botocore's retries are spent) and no answer (refused, timed out, cut off). Not a file
    used wrongly (io.UnsupportedOperation, an OSError too) nor botocore's other errors (a
    bad parameter, a missing credential): those are ours or the set-up's, and raise.
    botocore's are known when the S3 backend is loaded, which it is whenever it is the
    storage in use (tilskudd.storage_s3)."""
    if isinstance(error, io.UnsupportedOperation):
        return False
    if isinstance(error, OSError):
        return True
    botocore = sys.modules.get("botocore.exceptions")
    return botocore is not None and isinstance(error, (
        botocore.ClientError, botocore.ConnectionError, botocore.HTTPClientError,
        botocore.IncompleteReadError))


def discard(storage, name: str) -> None:
    """Delete the file under `name` if there is one (what a failed save left, a full disk
    writes part of a file; a removed attachment's): a storage that does not answer now is
    logged, not raised."""
    try:
        if storage.exists(name):
            storage.delete(name)
    except Exception:
        logger.exception("Could not delete the file %s (left in the storage)", name)
