"""Who may do what in the support procedure. Roles are data (SupportRole rows), never names in code.

Each predicate takes the request (or nothing) and the user; the FSM transitions use them as their
``permission=`` and the services check them with ``has_transition_perm`` or directly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.selectors import user_access

from .enums import OVERSIGHT_ROLES, SALES_DIRECTOR_ROLES, EscalationPath, SupportRoleKind

if TYPE_CHECKING:
    from .models import SupportRequest

_ROLES_CACHE_ATTR = "_support_roles"


def user_support_roles(user) -> frozenset[str]:
    """The user's support roles, one query per request (cached on the user object)."""
    cached = getattr(user, _ROLES_CACHE_ATTR, None)
    if cached is not None:
        return cached
    from .models import SupportRole  # noqa: PLC0415 (a cycle it breaks: the models' transitions use these predicates)

    roles: frozenset[str] = frozenset()
    if user.is_authenticated and user.is_active:
        roles = frozenset(SupportRole.objects.filter(user_id=user.pk).order_by().values_list("role", flat=True))
    setattr(user, _ROLES_CACHE_ATTR, roles)
    return roles


def user_has_role(user, *roles: str) -> bool:
    return bool(user_support_roles(user) & set(roles))


def user_is_customer(user) -> bool:
    access = user_access(user)
    return not (access.is_admin or access.is_vendor_staff) and access.organization_id is not None


def user_sees_all_requests(user) -> bool:
    return user_access(user).is_admin or user_has_role(user, *OVERSIGHT_ROLES)


def user_is_technical_director(user) -> bool:
    """Technical directors, and admins acting for them."""
    return bool(user.is_active and (user.is_superuser or user_has_role(user, SupportRoleKind.TECHNICAL_DIRECTOR)))


def user_can_file(user) -> bool:
    return bool(user.is_active and user_has_role(user, SupportRoleKind.SALES))


def user_can_start_emergency(user) -> bool:
    return user_is_technical_director(user)


def user_is_engineer(user) -> bool:
    return bool(user.is_active and user_has_role(user, SupportRoleKind.ENGINEER))


def user_is_sales_director(user) -> bool:
    return bool(user.is_active and (user.is_superuser or user_has_role(user, *SALES_DIRECTOR_ROLES)))


# --- per request (also the FSM transitions' permission callables) -------------------------------
def is_request_sales(support_request: SupportRequest, user) -> bool:
    return bool(user.is_active and user.pk is not None and support_request.sales_id == user.pk)


def is_assigned_engineer(support_request: SupportRequest, user) -> bool:
    return bool(user.is_active and user.pk is not None and support_request.engineer_id == user.pk)


def can_accept(support_request: SupportRequest, user) -> bool:
    """An engineer takes the request on, or the technical director assigns one."""
    return user_is_engineer(user) or user_is_technical_director(user)


def can_technical_direct(support_request: SupportRequest, user) -> bool:
    return user_is_technical_director(user)


def can_file_formal(support_request: SupportRequest, user) -> bool:
    """§6: after emergency work began, the sales person named in it files the formal request."""
    return is_request_sales(support_request, user) and user_can_file(user)


def can_cancel(support_request: SupportRequest, user) -> bool:
    return user_is_technical_director(user) or (
        is_request_sales(support_request, user) and support_request.engineer_id is None
    )


def is_customer_contact(support_request: SupportRequest, user) -> bool:
    return bool(user.is_active and user.pk is not None and support_request.customer_contact_id == user.pk)


def can_write_internal(support_request: SupportRequest, user) -> bool:
    """Internal notes: any vendor person who sees the request."""
    access = user_access(user)
    return access.is_admin or (
        access.is_vendor_staff and (user_sees_all_requests(user) or is_request_sales(support_request, user))
    )


def can_raise_escalation(support_request: SupportRequest, user) -> str | None:
    """The escalation path open to ``user`` on this request (§6), or None."""
    if is_assigned_engineer(support_request, user):
        return EscalationPath.ENGINEER_TO_TECHNICAL_DIRECTOR
    if is_request_sales(support_request, user):
        return EscalationPath.SALES_TO_SALES_DIRECTOR
    return None


def can_resolve_escalation(path: str, user) -> bool:
    if path == EscalationPath.ENGINEER_TO_TECHNICAL_DIRECTOR:
        return user_is_technical_director(user)
    return user_is_sales_director(user)
