"""Support roles per person (SPEC §6 "who does what"): set all of one person's roles at once, from
the technical director's support settings page, the admin's person page or the demo data."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.enums import OrganizationKind
from accounts.selectors import user_access

from ..enums import SupportRoleKind
from ..models import SupportRole
from ..permissions import user_is_technical_director


def user_can_grant_roles(user) -> bool:
    """The technical director grants support roles; administrators too."""
    return bool(user.is_authenticated and (user_is_technical_director(user) or user_access(user).is_admin))


@transaction.atomic
def support_roles_set(*, user: AbstractUser, person: AbstractUser, roles: Iterable[str]) -> list[str]:
    """Make ``person``'s support roles exactly ``roles``; returns them sorted."""
    if not user_can_grant_roles(user):
        raise PermissionDenied
    wanted = {str(role) for role in roles}
    unknown = wanted - set(SupportRoleKind.values)
    if unknown:
        raise ValidationError({"roles": _("Unknown role: %(roles)s.") % {"roles": ", ".join(sorted(unknown))}})
    organization = getattr(getattr(person, "profile", None), "organization", None)
    if wanted and (organization is None or organization.kind != OrganizationKind.VENDOR):
        raise ValidationError({"roles": _("Support roles are for people of the vendor organisation.")})
    SupportRole.objects.filter(user=person).exclude(role__in=wanted).delete()
    have = set(SupportRole.objects.filter(user=person).values_list("role", flat=True))
    SupportRole.objects.bulk_create([SupportRole(user=person, role=role) for role in sorted(wanted - have)])
    # The person's cached roles (permissions.user_support_roles) are stale now.
    person.__dict__.pop("_support_roles", None)
    return sorted(wanted)
