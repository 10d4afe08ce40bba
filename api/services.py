"""Personal access tokens: created and revoked by their owner on the profile page."""

from __future__ import annotations

import datetime
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deadlines.calendar import end_of_day

from .models import PersonalAccessToken
from .selectors import token_fingerprint

TOKEN_PREFIX = "dlv_"
MAX_ACTIVE_TOKENS = 20


@transaction.atomic
def token_create(
    *, user: AbstractBaseUser, name: str, expires_on: datetime.date | None = None
) -> tuple[PersonalAccessToken, str]:
    """A new token for ``user``; returns the row and the token itself, which is never stored."""
    if not user.is_active:
        raise PermissionDenied
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Name the token after where you will use it.")
    if expires_on is not None and expires_on < timezone.localdate():
        errors["expires_on"] = _("The expiry date is in the past.")
    active = PersonalAccessToken.objects.filter(user_id=user.pk, revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_TOKENS:
        errors["name"] = _("You already have %(count)s active tokens; revoke one first.") % {"count": active}
    if errors:
        raise ValidationError(errors)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = PersonalAccessToken.objects.create(
        user=user,
        name=name[:100],
        prefix=raw[:12],
        token_sha256=token_fingerprint(raw),
        # Valid up to 24:00 (Asia/Shanghai) of the expiry day.
        expires_at=end_of_day(expires_on) if expires_on else None,
    )
    return token, raw


@transaction.atomic
def token_revoke(*, token: PersonalAccessToken, user: AbstractBaseUser) -> PersonalAccessToken:
    if token.user_id != user.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_mark_used(*, token: PersonalAccessToken) -> None:
    """Remember when a token was last used, at most once a minute (no write on every request)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
