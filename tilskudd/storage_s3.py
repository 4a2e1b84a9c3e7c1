"""Documents and uploads on S3-compatible object storage (django-storages' S3 backend),
with this portal's choices made once; STORAGES names it when DJANGO_STORAGE_URL or
AWS_STORAGE_BUCKET_NAME is set (tilskudd.storage). Imported only then: boto3 is slow to
load and the local default never needs it."""

from __future__ import annotations

from botocore.config import Config
from django.conf import settings
from storages.backends.s3 import S3Storage

#: Timeouts (seconds) of every call to the bucket: a storage server that hangs fails the
#: request, or the job's try (which is retried), instead of holding a worker.
CONNECT_TIMEOUT = 3
READ_TIMEOUT = 30
#: /helse/klar/ asks once and briefly: a load balancer's probe must not wait out the retries.
READY_TIMEOUT = 2


class PrivateS3Storage(S3Storage):
    """Private objects under generated names, never overwritten, read through the views.

    - No ACL is sent: the object gets the bucket's (private; a bucket with ACLs disabled
      would refuse any ACL) and `url()` is signed (SigV4) for a minute only; no view hands
      one out.
    - A name already taken is never overwritten (as on the local disk): a second upload or
      a second run of a job gets a new name.
    - A file read for a download is held in memory up to FILE_UPLOAD_MAX_MEMORY_SIZE, on
      the local disk above it.
    - Checksums only where the S3 API requires them, so S3-compatible servers that do not
      know the newer CRC headers take the uploads too.
    """

    def get_default_settings(self):
        return super().get_default_settings() | {
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 60,
            "signature_version": "s3v4",
            "max_memory_size": settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
        }

    def __init__(self, **options):
        super().__init__(**options)
        self.client_config = self.client_config.merge(Config(
            connect_timeout=CONNECT_TIMEOUT,
            read_timeout=READ_TIMEOUT,
            retries={"mode": "standard", "max_attempts": 3},
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        ))
        self._ready_client = None

    def check_ready(self) -> None:
        """Raise unless the bucket answers to these credentials (one HEAD, no retries)."""
        if self._ready_client is None:
            self._ready_client = self._create_session().client(
                "s3", region_name=self.region_name, use_ssl=self.use_ssl,
                endpoint_url=self.endpoint_url, verify=self.verify,
                config=self.client_config.merge(Config(
                    connect_timeout=READY_TIMEOUT, read_timeout=READY_TIMEOUT,
                    retries={"mode": "standard", "max_attempts": 1},
                )),
            )
        self._ready_client.head_bucket(Bucket=self.bucket_name)
