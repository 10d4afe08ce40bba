from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.db import transaction

from .enums import VENDOR_MANAGERS_GROUP, OrganizationKind
from .models import Organization, Profile

User = get_user_model()


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
