from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db.models import Exists, F, OuterRef, QuerySet

from .enums import VENDOR_MANAGERS_GROUP, OrganizationKind
from .models import Invitation, Organization

User = get_user_model()

_ACCESS_CACHE_ATTR = "_delivery_user_access"


@dataclass(frozen=True)
class UserAccess:
    """What a user is, as far as project access goes (SPEC §7, projects issue "Access")."""

    is_admin: bool
    is_vendor_staff: bool
    is_vendor_manager: bool
    organization_id: int | None


def user_access(user: AbstractBaseUser) -> UserAccess:
    """One query per request: cached on the user object, which lives as long as the request."""
    cached = getattr(user, _ACCESS_CACHE_ATTR, None)
    if cached is not None:
        return cached
    if not user.is_authenticated or not user.is_active:
        access = UserAccess(is_admin=False, is_vendor_staff=False, is_vendor_manager=False, organization_id=None)
    else:
        row = (
            User.objects.filter(pk=user.pk)
            .annotate(
                org_id=F("profile__organization_id"),
                org_kind=F("profile__organization__kind"),
                in_managers=Exists(Group.objects.filter(user=OuterRef("pk"), name=VENDOR_MANAGERS_GROUP)),
            )
            .values("org_id", "org_kind", "in_managers")
            .get()
        )
        is_vendor = row["org_kind"] == OrganizationKind.VENDOR
        access = UserAccess(
            is_admin=user.is_superuser,
            is_vendor_staff=is_vendor,
            is_vendor_manager=is_vendor and row["in_managers"],
            organization_id=row["org_id"],
        )
    setattr(user, _ACCESS_CACHE_ATTR, access)
    return access


def organization_vendor() -> Organization | None:
    """The organisation that runs this application and delivers the projects."""
    return Organization.objects.filter(kind=OrganizationKind.VENDOR).order_by("pk").first()


def organization_customer_list() -> QuerySet[Organization]:
    return Organization.objects.filter(kind=OrganizationKind.CUSTOMER).order_by("name")


def user_list_for_organization(*, organization_id: int | None) -> QuerySet:
    return (
        User.objects.filter(is_active=True, profile__organization_id=organization_id)
        .select_related("profile")
        .order_by("first_name", "username")
    )


def user_list_vendor_staff() -> QuerySet:
    return (
        User.objects.filter(is_active=True, profile__organization__kind=OrganizationKind.VENDOR)
        .select_related("profile")
        .order_by("first_name", "username")
    )


def user_email_taken(*, email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists() or User.objects.filter(username__iexact=email).exists()


def invitation_get_by_token(*, token: str) -> Invitation | None:
    """The invitation a link points to, found by the token's hash; None for an unknown link."""
    from .services import token_hash  # noqa: PLC0415 (a cycle: accounts.services imports selectors)

    if not token:
        return None
    return Invitation.objects.select_related("user").filter(token_hash=token_hash(token)).first()
