"""Where uploaded evidence, attachments and sealed PDFs are kept: written once, never replaced.

Local files are the default (``MEDIA_STORAGE=local``, under ``DELIVERY_VAR_DIR/media``); with
``MEDIA_STORAGE=s3`` they go to any S3-compatible store (AWS, MinIO, Ceph, OSS/COS through their
S3 endpoints), so a second web or worker machine can serve and produce them. Either way a stored
name is never written twice: a new file with a taken name gets a fresh one (Django's
``get_available_name``), and a write to a name that exists is refused with ``FileExistsError``
(on S3 atomically, by a conditional ``PutObject`` with ``If-None-Match: *``), so a signed PDF or
a piece of evidence cannot be replaced after the fact, not even by two workers racing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from botocore.exceptions import ClientError
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, InMemoryStorage
from storages.backends.s3 import S3Storage
from storages.utils import clean_name


def _refused(name: str) -> FileExistsError:
    return FileExistsError(f"{name} is already stored; stored files are never replaced.")


class WriteOnceFileSystemStorage(FileSystemStorage):
    """Local files; a write to a taken name is refused instead of renamed or overwritten."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["allow_overwrite"] = False
        super().__init__(**kwargs)

    def _save(self, name: str, content: File) -> str:
        # FileSystemStorage would quietly pick another name on a clash; callers asked for this one.
        if self.exists(name):
            raise _refused(name)
        return super()._save(name, content)


class WriteOnceInMemoryStorage(InMemoryStorage):
    """The tests' storage, with the same write-once rule as the real ones."""

    def _save(self, name: str, content: File) -> str:
        if self.exists(name):
            raise _refused(name)
        return super()._save(name, content)


class WriteOnceS3Storage(S3Storage):
    """Private objects in one bucket, read back only through permission-checked views."""

    def __init__(self, **settings: Any) -> None:
        settings.setdefault("file_overwrite", False)
        settings.setdefault("default_acl", None)
        settings.setdefault("querystring_auth", True)
        settings.setdefault("querystring_expire", 60)
        super().__init__(**settings)

    def _save(self, name: str, content: File) -> str:
        cleaned = clean_name(name)
        key = self._normalize_name(cleaned)
        params = self._get_write_parameters(key, content)
        if hasattr(content, "seek"):
            content.seek(0)
        # One PutObject (uploads are at most 20 MB), conditional: S3 refuses it if the key exists.
        try:
            self.connection.meta.client.put_object(
                Bucket=self.bucket_name, Key=key, Body=content.read(), IfNoneMatch="*", **params
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"PreconditionFailed", "ConditionalRequestConflict"}:
                raise _refused(name) from error
            raise
        return cleaned

    def open_stream(self, name: str, chunk_size: int) -> tuple[Iterator[bytes], int]:
        """The object's bytes in chunks straight from the store (no temporary file), and its size."""
        response = self.bucket.Object(self._normalize_name(clean_name(name))).get()
        return response["Body"].iter_chunks(chunk_size), response["ContentLength"]
