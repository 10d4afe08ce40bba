"""Stored files: written once and never replaced, read back only through permission-checked views.

The S3 cases talk to a real S3-compatible server (moto in server mode, a separate process
started here), through boto3 and django-storages as in production.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.tests.factories import CustomerUserFactory
from delivery.storage import WriteOnceFileSystemStorage, WriteOnceS3Storage
from documents.models import Attachment
from documents.services import attachment_add
from documents.tests.factories import VersionFactory
from projects.tests.factories import ProjectFactory

ACCESS_KEY = "delivery-test"
SECRET_KEY = "delivery-test-secret"  # noqa: S105 - moto accepts any key; nothing real is protected
REFUSED = "is already stored; stored files are never replaced."


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A moto S3 server in its own process, on a free loopback port, for the whole session."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(endpoint + "/moto-api/", timeout=1)  # noqa: S310 - loopback
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail("The moto S3 server did not start.")
            time.sleep(0.1)
    yield endpoint
    process.terminate()
    process.wait(timeout=20)


def _s3_options(endpoint: str, bucket: str) -> dict:
    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "access_key": ACCESS_KEY,
        "secret_key": SECRET_KEY,
        "region_name": "us-east-1",
        "addressing_style": "path",
    }


@pytest.fixture
def bucket(s3_endpoint) -> str:
    name = f"media-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=name)
    return name


@pytest.fixture
def s3_storage(s3_endpoint, bucket) -> WriteOnceS3Storage:
    return WriteOnceS3Storage(**_s3_options(s3_endpoint, bucket))


@pytest.fixture
def local_storage(tmp_path: Path) -> WriteOnceFileSystemStorage:
    return WriteOnceFileSystemStorage(location=tmp_path)


@pytest.fixture(params=["local", "s3"])
def storage(request):
    return request.getfixturevalue(f"{request.param}_storage")


@pytest.mark.slow
def test_storage_writes_and_reads_back(storage):
    name = storage.save("signed/7/plan-v1.pdf", ContentFile(b"%PDF-1.7 sealed"))

    assert name == "signed/7/plan-v1.pdf"
    assert storage.exists(name)
    with storage.open(name, "rb") as stored:
        assert stored.read() == b"%PDF-1.7 sealed"


@pytest.mark.slow
def test_storage_refuses_to_write_over_a_stored_file(storage):
    storage.save("signed/7/plan-v1.pdf", ContentFile(b"original"))

    with pytest.raises(FileExistsError) as refused:
        storage._save("signed/7/plan-v1.pdf", ContentFile(b"forged"))

    assert str(refused.value) == f"signed/7/plan-v1.pdf {REFUSED}"
    with storage.open("signed/7/plan-v1.pdf", "rb") as stored:
        assert stored.read() == b"original"


@pytest.mark.slow
def test_storage_gives_a_second_file_of_the_same_name_a_new_name(storage):
    first = storage.save("attachments/1/2/spec.docx", ContentFile(b"first"))

    second = storage.save("attachments/1/2/spec.docx", ContentFile(b"second"))

    assert first == "attachments/1/2/spec.docx"
    assert second != first
    assert second.startswith("attachments/1/2/spec_") and second.endswith(".docx")
    with storage.open(first, "rb") as stored:
        assert stored.read() == b"first"
    with storage.open(second, "rb") as stored:
        assert stored.read() == b"second"


@pytest.mark.slow
def test_s3_storage_keeps_objects_private(s3_storage):
    name = s3_storage.save("evidence/1/1/scan.pdf", ContentFile(b"scan"))

    # No public URL: an anonymous GET of the object's address is refused by the store.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{s3_storage.endpoint_url}/{s3_storage.bucket_name}/{name}")  # noqa: S310

    assert refused.value.code == 403


@pytest.fixture
def s3_media(settings, s3_endpoint, bucket):
    """The S3 store as the project's media storage, as MEDIA_STORAGE=s3 configures it."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "delivery.storage.WriteOnceS3Storage", "OPTIONS": _s3_options(s3_endpoint, bucket)},
    }
    return bucket


def _attachment(payload: bytes) -> Attachment:
    version = VersionFactory(number=1)
    return attachment_add(
        version=version,
        user=version.deliverable.project.vendor_pm,
        file=SimpleUploadedFile("方案.docx", payload, content_type="application/octet-stream"),
    )


def _download_url(attachment: Attachment) -> str:
    deliverable = attachment.version.deliverable
    return reverse(
        "documents:attachment",
        args=[deliverable.project.code, deliverable.type.code, attachment.version.number, attachment.pk],
    )


@pytest.mark.slow
@pytest.mark.django_db
def test_download_streams_an_attachment_from_s3_to_a_project_member(client, s3_media):
    payload = bytes(range(256)) * 1024  # 256 KB: several chunks
    attachment = _attachment(payload)
    client.force_login(attachment.version.deliverable.project.vendor_pm)

    response = client.get(_download_url(attachment))

    assert response.status_code == 200
    assert response.streaming
    assert b"".join(response.streaming_content) == payload
    assert response["Content-Length"] == str(len(payload))
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%E6%96%B9%E6%A1%88.docx"
    project_id = attachment.version.deliverable.project_id
    assert attachment.file.name == f"attachments/{project_id}/{attachment.version_id}/方案.docx"


@pytest.mark.slow
@pytest.mark.django_db
def test_download_from_s3_is_404_for_outsiders(client, s3_media):
    attachment = _attachment(b"confidential")
    outsiders = [ProjectFactory().customer_lead, ProjectFactory().vendor_pm, CustomerUserFactory()]

    for user in outsiders:
        client.force_login(user)
        assert client.get(_download_url(attachment)).status_code == 404, user


@pytest.mark.django_db
def test_download_from_local_storage_to_a_member_and_404_for_an_outsider(client, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "delivery.storage.WriteOnceFileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    attachment = _attachment(b"local bytes")
    client.force_login(attachment.version.deliverable.project.vendor_pm)

    response = client.get(_download_url(attachment))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"local bytes"
    assert (tmp_path / attachment.file.name).read_bytes() == b"local bytes"
    client.force_login(ProjectFactory().vendor_pm)
    assert client.get(_download_url(attachment)).status_code == 404
