"""Reads of personal access tokens."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import Http404

from .models import PersonalAccessToken


def token_fingerprint(raw: str) -> str:
    """Tokens carry 256 random bits, so a plain SHA-256 is as good as a slow hash here."""
    return hashlib.sha256(raw.encode()).hexdigest()


def token_list_for_user(*, user: AbstractBaseUser) -> QuerySet[PersonalAccessToken]:
    return PersonalAccessToken.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


def token_get_for_user(*, user: AbstractBaseUser, token_id: int) -> PersonalAccessToken:
    try:
        return token_list_for_user(user=user).get(pk=token_id)
    except PersonalAccessToken.DoesNotExist:
        raise Http404 from None


def token_find(*, raw: str) -> PersonalAccessToken | None:
    """The token a request presents, whatever its state (the caller says why it is refused)."""
    return PersonalAccessToken.objects.select_related("user").filter(token_sha256=token_fingerprint(raw)).first()
