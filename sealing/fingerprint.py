"""The fingerprint of what people sign: SHA-256 over canonical JSON (sorted keys, no whitespace,
UTF-8), so the same content always gives the same hash whichever process computes it."""

from __future__ import annotations

import hashlib
import json


def canonical_json(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def canonical_sha256(payload) -> str:
    """SHA-256 of ``payload`` as canonical JSON: what every signed or sealed record's fingerprint
    is taken over."""
    return bytes_sha256(canonical_json(payload).encode("utf-8"))


def bytes_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
