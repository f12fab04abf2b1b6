"""Media on S3 (django-storages), used when S3_BUCKET is set (settings, "media on S3").
A module of its own so that boto3 is only imported by installations that use it."""

from django.conf import settings

from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionError,
    ConnectTimeoutError,
    ReadTimeoutError,
)
from storages.backends.s3 import S3Storage

from . import circuit
from .storage import KeepNameMixin, StorageUnavailable

# After S3 failed to answer, it is left alone this long: the next uploads fail at once
# with the same message, pages show placeholders without waiting.
RETRY_SECONDS = 5
UNREACHABLE = (ConnectionError, ConnectTimeoutError, ReadTimeoutError)


def bounded_waits() -> Config:
    """One attempt (total_max_attempts counts the first request; legacy mode's
    max_attempts counts retries), S3_CONNECT_TIMEOUT to connect, S3_READ_TIMEOUT for
    each answer: a hung S3 fails an upload with its message in under 5 seconds."""
    return Config(
        connect_timeout=float(getattr(settings, "S3_CONNECT_TIMEOUT", 1)),
        read_timeout=float(getattr(settings, "S3_READ_TIMEOUT", 2)),
        retries={"mode": "standard", "total_max_attempts": 1},
    )


class KeepNameS3Storage(KeepNameMixin, S3Storage):
    """Media on S3 with their own names. Image renditions (`images/`) are public objects
    with plain, stable URLs, so cached pages keep working; everything else (documents,
    original images) is private and reached through short-lived signed URLs."""

    public_prefixes = ("images/",)
    querystring_auth = False

    def __init__(self, public_acl=True, **options):
        self.public_acl = public_acl
        super().__init__(**options)
        # Whatever client_config the options give, every request is bounded: botocore's
        # defaults wait 60 s per read and retry, so a hung S3 held an upload 40 s.
        self.client_config = self.client_config.merge(bounded_waits())

    def is_public(self, name):
        return name.startswith(self.public_prefixes)

    def get_object_parameters(self, name):
        params = super().get_object_parameters(name)
        if self.public_acl and self.is_public(name):
            params.setdefault("ACL", "public-read")
        return params

    def url(self, name, parameters=None, expire=None, http_method=None):
        if self.is_public(name):
            return super().url(name, parameters, expire, http_method)
        # Signed even when a custom domain serves the public objects: it could not
        # check a signature made for the bucket's own host.
        # UPGRADE CHECKPOINT django-storages==1.14.6: `S3Storage._normalize_name` and `.connection` (the boto3 resource) for signed URLs (tests/test_s3_media.py::test_a_document_is_private_in_the_bucket_and_served_through_a_signed_url)
        params = dict(parameters or {}, Bucket=self.bucket_name, Key=self._normalize_name(name))
        return self.connection.meta.client.generate_presigned_url(
            "get_object",
            Params=params,
            ExpiresIn=expire or self.querystring_expire,
            HttpMethod=http_method,
        )

    @property
    def circuit(self):
        return circuit.for_url("s3", self.endpoint_url or f"//{self.bucket_name}", RETRY_SECONDS)

    def _guarded(self, operation, *args):
        breaker = self.circuit
        if breaker.is_open():
            raise StorageUnavailable("S3: left alone after a failure, tried again shortly")
        try:
            return operation(*args)
        except FileNotFoundError:
            raise
        except UNREACHABLE as error:
            breaker.trip(error)
            raise StorageUnavailable(f"S3: {error}") from error
        except (BotoCoreError, ClientError) as error:
            raise StorageUnavailable(f"S3: {error}") from error

    def _open(self, name, mode="rb"):
        return self._guarded(super()._open, name, mode)

    def _save(self, name, content):
        return self._guarded(super()._save, name, content)

    def exists(self, name):
        return self._guarded(super().exists, name)

    def size(self, name):
        return self._guarded(super().size, name)

    def delete(self, name):
        return self._guarded(super().delete, name)
