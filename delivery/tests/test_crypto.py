from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from delivery.crypto import SecretUnreadable, decrypt_secret, encrypt_secret


def test_secret_round_trip_is_not_plaintext():
    token = encrypt_secret("初始密码 P@ss-1")

    assert "P@ss" not in token
    assert decrypt_secret(token) == "初始密码 P@ss-1"


def test_secret_survives_key_rotation(settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    token = encrypt_secret("s3cret")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]

    assert decrypt_secret(token) == "s3cret"


def test_secret_from_unknown_key_is_reported(settings):
    token = encrypt_secret("s3cret")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(SecretUnreadable):
        decrypt_secret(token)
