"""Who someone is on a project: one answer, ``project_standing(project, user)``, that every app asks.

The leads are read from the project at the time of the question, so a new vendor PM or customer
lead takes over their side at once. Fields that need a query (team membership, the user's
organisation) are computed on first use only, so asking costs nothing until they are read.

Apps phrase their own rules on top of this (documents: who drafts; changes: who replies to a
letter; golive: who records a problem), but never compare user ids with the project's leads
themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from django.db.models import Q

from accounts.selectors import user_access

from .enums import Side

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from .models import Project


@dataclass(frozen=True)
class ProjectStanding:
    """A user's standing on one project: their side, whether they lead it, are in the team,
    manage it (vendor PM or admin) or are an admin."""

    project: Project = field(repr=False, compare=False)
    user: AbstractBaseUser = field(repr=False, compare=False)
    is_admin: bool
    is_vendor_lead: bool
    is_customer_lead: bool

    @property
    def is_manager(self) -> bool:
        """Only the project's vendor PM, or an admin, edits a project and moves its phase."""
        return self.is_admin or (self.is_vendor_lead and self.user.is_active)

    @property
    def is_lead(self) -> bool:
        return self.is_vendor_lead or self.is_customer_lead

    @property
    def lead_side(self) -> str | None:
        """The side the user leads on this project, if any (the vendor PM's side first)."""
        if self.is_vendor_lead:
            return Side.VENDOR
        if self.is_customer_lead:
            return Side.CUSTOMER
        return None

    def leads(self, side: str) -> bool:
        """Whether the user is the project lead of ``side``."""
        return self.is_vendor_lead if side == Side.VENDOR else self.is_customer_lead

    @cached_property
    def member_sides(self) -> frozenset[str]:
        """The sides the user is listed on in the project team (one query, on first use)."""
        if self.user.pk is None:
            return frozenset()
        return frozenset(self.project.members.filter(user_id=self.user.pk).values_list("side", flat=True))

    @property
    def is_member(self) -> bool:
        """A project lead or anyone in the team; admins count as members."""
        return self.is_admin or self.is_lead or bool(self.member_sides)

    @property
    def is_vendor_member(self) -> bool:
        """The vendor side's people on the project: the manager and the vendor team members."""
        return self.is_manager or Side.VENDOR in self.member_sides

    @cached_property
    def side(self) -> str | None:
        """The side the user's organisation is on for this project (vendor staff, or the customer's)."""
        access = user_access(self.user)
        if access.is_vendor_staff:
            return Side.VENDOR
        if access.organization_id is not None and access.organization_id == self.project.customer_id:
            return Side.CUSTOMER
        return None


def project_standing(project: Project, user: AbstractBaseUser) -> ProjectStanding:
    """The user's standing on ``project``. Costs no query until membership or side is read."""
    pk = user.pk
    return ProjectStanding(
        project=project,
        user=user,
        is_admin=bool(user.is_active and user.is_superuser),
        is_vendor_lead=pk is not None and pk == project.vendor_pm_id,
        is_customer_lead=pk is not None and pk == project.customer_lead_id,
    )


def project_vendor_lead_filter(user: AbstractBaseUser, *, through: str = "") -> Q:
    """The rows whose project the user leads on the vendor side, as a query filter: the database twin
    of ``ProjectStanding.is_vendor_lead`` (``through`` reaches the project from another model, e.g.
    ``"project__"``)."""
    return Q(**{f"{through}vendor_pm_id": user.pk})


def project_lead_id(project: Project, side: str) -> int | None:
    """The project lead of ``side``: the vendor PM or the customer project lead."""
    return project.vendor_pm_id if side == Side.VENDOR else project.customer_lead_id


def project_leads(project: Project) -> list:
    """Both project leads that are named, vendor PM first (the usual recipients of a project's notices)."""
    return [user for user in (project.vendor_pm, project.customer_lead) if user is not None]


# --- Without a project ----------------------------------------------------------------------


def user_can_create_project(*, user: AbstractBaseUser) -> bool:
    access = user_access(user)
    return access.is_admin or access.is_vendor_staff


def user_can_choose_vendor_pm(*, user: AbstractBaseUser) -> bool:
    """Admins and vendor managers staff projects; a vendor PM creates projects for themselves."""
    access = user_access(user)
    return access.is_admin or access.is_vendor_manager


# --- FSM transition permissions (django-fsm calls ``permission(instance, user)``) -------------


def project_user_can_manage(project: Project, user) -> bool:
    """Editing a project and moving its phase: the vendor PM or an admin."""
    return project_standing(project, user).is_manager


def project_user_is_admin(project: Project, user) -> bool:
    """Forcing a gate and moving backwards are for admins (§1)."""
    return project_standing(project, user).is_admin
