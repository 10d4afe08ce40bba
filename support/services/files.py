"""Uploaded files: their fingerprint for the archive and the audit trail."""

from __future__ import annotations

import hashlib

from django.core.files.uploadedfile import UploadedFile


def file_sha256(file: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()
