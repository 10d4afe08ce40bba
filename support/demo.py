"""The demo's support roles (SPEC §6), so the procedure can be used out of the box with the demo logins."""

from __future__ import annotations

from .enums import SupportRoleKind
from .services.roles import support_roles_set

# username → roles; the same mapping is applied to existing demo databases by migration 0003.
DEMO_SUPPORT_ROLES = {
    "sales": [SupportRoleKind.SALES],
    "engineer": [SupportRoleKind.ENGINEER],
    "techdir": [SupportRoleKind.TECHNICAL_DIRECTOR],
    "salesdir": [SupportRoleKind.LOCAL_SALES_DIRECTOR, SupportRoleKind.COMPANY_SALES_DIRECTOR],
}


def demo_support_roles(users: dict, *, admin) -> None:
    for username, roles in DEMO_SUPPORT_ROLES.items():
        if username in users:
            support_roles_set(user=admin, person=users[username], roles=roles)
