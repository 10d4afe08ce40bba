from __future__ import annotations

import hashlib
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from delivery.cache import UNAVAILABLE, cache_get, cache_set
from delivery.effects import effect_record
from delivery.enums import Queue

from .enums import VENDOR_MANAGERS_GROUP, OrganizationKind
from .models import Invitation, Organization, Profile
from .selectors import user_email_taken

User = get_user_model()

# Projects issue, "Access": an invitation link works once and for 7 days.
INVITATION_VALID_DAYS = 7


@transaction.atomic
def organization_get_or_create(
    *, name: str, kind: OrganizationKind, short_name: str = "", address: str = ""
) -> Organization:
    organization, _created = Organization.objects.get_or_create(
        name=name, defaults={"kind": kind, "short_name": short_name, "address": address}
    )
    return organization


@transaction.atomic
def user_ensure(
    *,
    username: str,
    email: str,
    full_name: str,
    organization: Organization | None,
    password: str | None = None,
    position: str = "",
    mobile: str = "",
    is_superuser: bool = False,
    vendor_manager: bool = False,
) -> AbstractUser:
    """Create the user with a profile, or bring an existing one's details up to date."""
    user, created = User.objects.get_or_create(username=username, defaults={"email": email})
    user.email = email
    user.first_name = full_name
    user.is_superuser = is_superuser
    user.is_staff = is_superuser
    if password is not None and (created or not user.check_password(password)):
        user.set_password(password)
    user.save()
    Profile.objects.update_or_create(
        user=user, defaults={"organization": organization, "position": position, "mobile": mobile}
    )
    if vendor_manager:
        group, _ = Group.objects.get_or_create(name=VENDOR_MANAGERS_GROUP)
        user.groups.add(group)
    return user


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def user_invite(
    *,
    email: str,
    full_name: str,
    organization: Organization,
    invited_by: AbstractUser | None,
    position: str = "",
    mobile: str = "",
) -> AbstractUser:
    """Create an account for someone else and e-mail them a link to choose their own password.

    Nobody chooses another person's password: the account starts without a usable one.
    """
    email = User.objects.normalize_email(email).strip()
    if user_email_taken(email=email):
        raise ValidationError({"email": _("A person with this e-mail address already has an account.")})
    user = User(username=email.lower(), email=email, first_name=full_name)
    user.set_unusable_password()
    user.save()
    Profile.objects.create(user=user, organization=organization, position=position, mobile=mobile)
    invitation_create(user=user, invited_by=invited_by)
    return user


@transaction.atomic
def invitation_create(*, user: AbstractUser, invited_by: AbstractUser | None) -> Invitation:
    """Record the invitation and the effect that e-mails it after commit (delivery/effects.py)."""
    from .tasks import invitation_send_task  # noqa: PLC0415 (a cycle: accounts.tasks imports services)

    invitation = Invitation.objects.create(user=user, invited_by=invited_by)
    effect_record(
        kind="mail.invitation",
        key=f"mail:invitation:{invitation.pk}",
        task=invitation_send_task,
        kwargs={"invitation_id": invitation.pk},
        queue=Queue.MAIL,
    )
    return invitation


def invitation_token(*, invitation: Invitation) -> str:
    """The invitation's token, the same on every attempt to send it, so that an e-mail sent again
    after a crash carries the link that works. Derived from SECRET_KEY like Django's password-reset
    tokens; only its hash is stored, and a sent or used invitation is never sent again."""
    return salted_hmac("accounts.invitation", f"{invitation.pk}:{invitation.created_at.isoformat()}").hexdigest()


@transaction.atomic
def invitation_prepare(*, invitation: Invitation) -> str | None:
    """Before the first attempt to send: store the token's hash and the expiry (kept by later
    attempts, so every copy of the e-mail says the same). None when it was sent already."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.sent_at is not None:
        return None
    token = invitation_token(invitation=locked)
    if not locked.token_hash:
        locked.token_hash = token_hash(token)
        locked.expires_at = timezone.now() + timedelta(days=INVITATION_VALID_DAYS)
        locked.save(update_fields=["token_hash", "expires_at"])
    invitation.token_hash, invitation.expires_at = locked.token_hash, locked.expires_at
    return token


def invitation_mark_sent(*, invitation: Invitation) -> None:
    """The mail server accepted the e-mail: the link works for INVITATION_VALID_DAYS from now (a
    little longer than the e-mail, written just before, says)."""
    now = timezone.now()
    Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(
        sent_at=now, expires_at=now + timedelta(days=INVITATION_VALID_DAYS)
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str) -> AbstractUser:
    """Set the invited person's password and use up this and every other open link they have."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    now = timezone.now()
    if locked.used_at is not None or locked.is_expired(now):
        raise ValidationError(_("This invitation link can no longer be used."))
    user = locked.user
    user.set_password(password)
    user.save(update_fields=["password"])
    Invitation.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    return user


@transaction.atomic
def invitation_renew(*, invitation: Invitation) -> Invitation | None:
    """An expired, unused link asks for a new one, sent to the account's own address.

    Nothing happens for a used link (the person has a password; "forgot password" is the way)
    or while a newer link is still valid.
    """
    now = timezone.now()
    if invitation.used_at is not None or not invitation.is_expired(now):
        return None
    newer_valid = Invitation.objects.filter(
        user=invitation.user, used_at__isnull=True, created_at__gt=invitation.created_at
    ).exclude(expires_at__lte=now)
    if newer_valid.exists():
        return None
    return invitation_create(user=invitation.user, invited_by=invitation.invited_by)


def invitation_link(*, token: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('accounts:invitation_accept', args=[token])}"


# Password reset e-mails (SPEC-wide abuse limits): at most this many per address in any hour.
PASSWORD_RESET_MAILS_PER_HOUR = 3


def password_reset_mail_allowed(*, email: str) -> bool:
    """Count a reset request for this address; False once 3 were let through in the last hour.

    A sliding hour (not a fixed window, which would let 6 through around the turn of an hour).
    Counted for every address, known or not, so the answer never tells whether it exists.
    """
    key = "password-reset:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()
    now = time.time()
    sent = cache_get(key, [])
    if sent is UNAVAILABLE:  # the cache is down: like every limit, let it through
        return True
    recent = [at for at in sent if at > now - 3600]
    if len(recent) >= PASSWORD_RESET_MAILS_PER_HOUR:
        return False
    cache_set(key, [*recent, now], timeout=3600)
    return True
