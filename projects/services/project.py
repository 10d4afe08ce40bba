"""A project's set-up and running: creation and editing, the phase (§3.1), the team, the division
of labour and responsibilities, and the kick-off meeting."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from accounts.models import Organization
from accounts.selectors import organization_vendor, user_access
from accounts.services import user_invite
from delivery.people import display_name
from notifications.services import in_each_language, notification_create

from ..enums import DEFAULT_RESPONSIBILITIES, DEFAULT_WORK_ITEMS, MemberRole, Phase, Side, role_side
from ..hooks import project_closed_notify
from ..lifecycle import project_gate_missing
from ..models import ADVANCE_TRANSITIONS, KickoffMeeting, Project, ProjectMember, ResponsibilityItem, WorkItem
from ..permissions import project_standing, user_can_choose_vendor_pm, user_can_create_project
from ..verbs import KICKOFF_CONFIRMED, MEMBER_ADDED, PHASE_FORCED, PHASE_MOVED_BACK, phase_verb
from .common import project_url, require_manager


class GateNotPassed(Exception):
    """The gate out of the current phase has unmet items; ``missing`` lists them for the page."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__("; ".join(missing))


# --- Project --------------------------------------------------------------------------------


def work_item_defaults_build(*, project: Project) -> list[WorkItem]:
    """§3.1.3, §3.1.4: the manual's division of labour, unsaved (for bulk creation)."""
    return [
        WorkItem(project=project, kind=kind, vendor_share=vendor, customer_share=customer, order=index)
        for index, (kind, vendor, customer) in enumerate(DEFAULT_WORK_ITEMS, start=1)
    ]


def responsibility_defaults_build(*, project: Project) -> list[ResponsibilityItem]:
    """§5: each side's duties as an open checklist, unsaved (for bulk creation)."""
    return [
        ResponsibilityItem(project=project, kind=kind, side=side, order=index)
        for index, (kind, side) in enumerate(DEFAULT_RESPONSIBILITIES, start=1)
    ]


def _validate_leads(project: Project) -> None:
    errors = {}
    if project.vendor_pm is not None and not user_access(project.vendor_pm).is_vendor_staff:
        errors["vendor_pm"] = _("The vendor project manager must be on the vendor's staff.")
    if project.customer_lead is not None and user_access(project.customer_lead).organization_id != project.customer_id:
        errors["customer_lead"] = _("The customer project lead must belong to the customer.")
    lead = project.vendor_lead
    if lead is not None and lead.pk != project.vendor_pm_id and not user_access(lead).is_vendor_manager:
        errors["vendor_lead"] = _("The vendor project lead must be the project manager or a vendor manager.")
    if errors:
        raise ValidationError(errors)


def _member_from_profile(*, project: Project, user: AbstractUser, role: str) -> ProjectMember:
    profile = getattr(user, "profile", None)
    return ProjectMember(
        project=project,
        user=user,
        side=role_side(role),
        role=role,
        position=getattr(profile, "position", ""),
        mobile=getattr(profile, "mobile", ""),
        email=user.email,
    )


def _ensure_lead_members(project: Project) -> None:
    """The two leads are always in the team: the vendor PM in that role, the lead as customer PM."""
    if (
        project.vendor_pm is not None
        and not project.members.filter(user=project.vendor_pm, role=MemberRole.VENDOR_PM).exists()
    ):
        _member_from_profile(project=project, user=project.vendor_pm, role=MemberRole.VENDOR_PM).save()
    if project.customer_lead is not None and not project.members.filter(user=project.customer_lead).exists():
        _member_from_profile(project=project, user=project.customer_lead, role=MemberRole.CUSTOMER_PM).save()


@transaction.atomic
def project_create(
    *,
    user: AbstractUser,
    code: str,
    name: str,
    customer: Organization,
    contract_number: str,
    contract_date: datetime.date,
    services: list[str],
    golive_applies: bool,
    golive_basis: str,
    planned_start: datetime.date,
    planned_end: datetime.date,
    vendor_pm: AbstractUser,
    services_other: str = "",
    golive_note: str = "",
    contact_directory_required: bool = True,
    customer_lead: AbstractUser | None = None,
    kickoff_held_on: datetime.date | None = None,
) -> Project:
    """Create a project from its contract (§1) with the manual's defaults, in initiation."""
    if not user_can_create_project(user=user):
        raise PermissionDenied
    if vendor_pm != user and not user_can_choose_vendor_pm(user=user):
        raise PermissionDenied
    project = Project(
        code=code,
        name=name,
        customer=customer,
        contract_number=contract_number,
        contract_date=contract_date,
        services=list(services),
        services_other=services_other,
        golive_applies=golive_applies,
        golive_basis=golive_basis,
        golive_note=golive_note,
        planned_start=planned_start,
        planned_end=planned_end,
        vendor_pm=vendor_pm,
        customer_lead=customer_lead,
        kickoff_held_on=kickoff_held_on,
        contact_directory_required=contact_directory_required,
        created_by=user,
    )
    project.full_clean(exclude=["phase"])  # a protected FSM field cannot be re-assigned by clean_fields
    _validate_leads(project)
    project.save()
    WorkItem.objects.bulk_create(work_item_defaults_build(project=project))
    ResponsibilityItem.objects.bulk_create(responsibility_defaults_build(project=project))
    _ensure_lead_members(project)
    return project


# The fields a project's edit form may change; the code, phase and history are not among them.
PROJECT_EDITABLE_FIELDS = [
    "name",
    "customer",
    "contract_number",
    "contract_date",
    "services",
    "services_other",
    "golive_applies",
    "golive_basis",
    "golive_note",
    "planned_start",
    "planned_end",
    "vendor_pm",
    "customer_lead",
    "vendor_lead",
    "kickoff_held_on",
    "contact_directory_required",
]


@transaction.atomic
def project_update(*, project: Project, user: AbstractUser, **changes: object) -> Project:
    require_manager(project, user)
    unknown = set(changes) - set(PROJECT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    customer_changed = "customer" in changes and changes["customer"].pk != project.customer_id
    if customer_changed and project.members.filter(side=Side.CUSTOMER).exclude(user=project.customer_lead).exists():
        raise ValidationError({"customer": _("Remove the customer's team members before changing the customer.")})
    for field, value in changes.items():
        setattr(project, field, value)
    if customer_changed and "customer_lead" not in changes:
        project.customer_lead = None
    project.full_clean(exclude=["code", "phase"])
    _validate_leads(project)
    project.save()
    _ensure_lead_members(project)
    return project


# --- Phase (§3.1) ---------------------------------------------------------------------------


def project_phase_notify(*, project: Project, actor: AbstractUser, verb: str = "", reason: str = "") -> None:
    """The team is told the new phase; a move by an admin says so, with the reason (§1)."""
    recipients = [member.user for member in project.members.select_related("user") if member.user_id != actor.pk]
    context = {"project": str(project), "actor": display_name(actor)}
    if verb:
        context |= {"phase": in_each_language(project.get_phase_display), "reason": reason}
    notification_create(
        recipients=recipients,
        verb=verb or phase_verb(project.phase),
        context=context,
        target=project,
        url=project_url(project),
    )


@transaction.atomic
def project_phase_advance(*, project: Project, user: AbstractUser, reason: str = "") -> Project:
    """Pass the gate out of the current phase (the reason is an optional note); the team is told."""
    transition_name = ADVANCE_TRANSITIONS.get(project.phase)
    if transition_name is None:
        raise ValidationError(_("A closed project has no next phase."))
    require_manager(project, user)
    missing = project_gate_missing(project)
    if missing:
        raise GateNotPassed(missing)
    transition_method = getattr(project, transition_name)
    if not has_transition_perm(transition_method, user):
        raise PermissionDenied
    transition_method(by=user, description=reason.strip() or None)
    project.save()
    if project.phase == Phase.CLOSED:
        project_closed_notify(project)
    project_phase_notify(project=project, actor=user)
    return project


def _phase_move_by_admin(
    *, project: Project, user: AbstractUser, reason: str, transition_name: str, refusal: str, verb: str
) -> Project:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"description": _("Give the reason: it is recorded in the activity log.")})
    transition_method = getattr(project, transition_name)
    if not can_proceed(transition_method):
        raise ValidationError(refusal)
    if not has_transition_perm(transition_method, user):
        raise PermissionDenied
    transition_method(by=user, description=reason)
    project.save()
    if project.phase == Phase.CLOSED:
        project_closed_notify(project)
    project_phase_notify(project=project, actor=user, verb=verb, reason=reason)
    return project


@transaction.atomic
def project_phase_force(*, project: Project, user: AbstractUser, reason: str) -> Project:
    """§1: an admin may force a gate, with a recorded reason."""
    return _phase_move_by_admin(
        project=project,
        user=user,
        reason=reason,
        transition_name="force_advance",
        refusal=_("A closed project has no next phase."),
        verb=PHASE_FORCED,
    )


@transaction.atomic
def project_phase_back(*, project: Project, user: AbstractUser, reason: str) -> Project:
    """§1: going backwards is for admins (or a change request, §4), with a recorded reason."""
    return _phase_move_by_admin(
        project=project,
        user=user,
        reason=reason,
        transition_name="move_back",
        refusal=_("A project in initiation has no earlier phase."),
        verb=PHASE_MOVED_BACK,
    )


# --- Team -----------------------------------------------------------------------------------


def _check_person_side(*, project: Project, user: AbstractUser, side: str) -> None:
    access = user_access(user)
    if side == Side.VENDOR and not access.is_vendor_staff:
        raise ValidationError({"user": _("Vendor roles are for the vendor's staff.")})
    if side == Side.CUSTOMER and access.organization_id != project.customer_id:
        raise ValidationError(
            {"user": _("Customer roles are for people of the customer, %(customer)s.") % {"customer": project.customer}}
        )


@transaction.atomic
def project_member_add(
    *,
    project: Project,
    actor: AbstractUser,
    role: str,
    user: AbstractUser | None = None,
    full_name: str = "",
    email: str = "",
    position: str = "",
    mobile: str = "",
    make_customer_lead: bool = False,
    notify: bool = True,
) -> ProjectMember:
    """Add a person to the team; someone without an account gets one and an invitation e-mail."""
    require_manager(project, actor)
    side = role_side(role)
    if make_customer_lead and side != Side.CUSTOMER:
        raise ValidationError({"make_customer_lead": _("Only a customer member can be the customer project lead.")})
    invited = user is None
    if user is None:
        organization = project.customer if side == Side.CUSTOMER else organization_vendor()
        user = user_invite(
            email=email,
            full_name=full_name,
            organization=organization,
            invited_by=actor,
            position=position,
            mobile=mobile,
        )
    else:
        _check_person_side(project=project, user=user, side=side)
    member = _member_from_profile(project=project, user=user, role=role)
    member.position = position or member.position
    member.mobile = mobile or member.mobile
    member.full_clean()
    member.save()
    if make_customer_lead:
        project.customer_lead = user
        project.save(update_fields=["customer_lead", "updated_at"])
    if notify and not invited:
        notification_create(
            recipients=[user],
            verb=MEMBER_ADDED,
            context={"project": str(project), "actor": display_name(actor)},
            target=project,
            url=project_url(project),
        )
    return member


@transaction.atomic
def project_member_update(
    *, member: ProjectMember, actor: AbstractUser, role: str, position: str, mobile: str, email: str
) -> ProjectMember:
    require_manager(member.project, actor)
    if role_side(role) != member.side:
        raise ValidationError({"role": _("This role belongs to the other side.")})
    member.role = role
    member.position = position
    member.mobile = mobile
    member.email = email
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def project_member_remove(*, member: ProjectMember, actor: AbstractUser) -> None:
    project = member.project
    require_manager(project, actor)
    is_lead = project_standing(project, member.user).is_lead
    if is_lead and not project.members.filter(user_id=member.user_id).exclude(pk=member.pk).exists():
        raise ValidationError(
            _("%(name)s is a project lead: name another lead before removing them.") % {"name": member.name}
        )
    member.delete()


# --- Division of labour and responsibilities ------------------------------------------------


@transaction.atomic
def work_item_create(
    *, project: Project, actor: AbstractUser, name: str, vendor_share: str, customer_share: str
) -> WorkItem:
    require_manager(project, actor)
    last = project.work_items.aggregate(last=Max("order"))["last"] or 0
    item = WorkItem(
        project=project, name=name, vendor_share=vendor_share, customer_share=customer_share, order=last + 1
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def work_item_update(
    *, work_item: WorkItem, actor: AbstractUser, vendor_share: str, customer_share: str, name: str = ""
) -> WorkItem:
    require_manager(work_item.project, actor)
    if not work_item.kind:
        work_item.name = name
    work_item.vendor_share = vendor_share
    work_item.customer_share = customer_share
    work_item.full_clean()
    work_item.save()
    return work_item


@transaction.atomic
def work_item_delete(*, work_item: WorkItem, actor: AbstractUser) -> None:
    require_manager(work_item.project, actor)
    work_item.delete()


def responsibility_user_can_update(*, item: ResponsibilityItem, user: AbstractUser) -> bool:
    """The vendor PM keeps the checklist; the customer lead may also tick the customer's duties."""
    standing = project_standing(item.project, user)
    if standing.is_manager:
        return True
    return item.side == Side.CUSTOMER and user.is_active and standing.is_customer_lead


@transaction.atomic
def responsibility_update(
    *, item: ResponsibilityItem, actor: AbstractUser, status: str, due_date: datetime.date | None
) -> ResponsibilityItem:
    if not responsibility_user_can_update(item=item, user=actor):
        raise PermissionDenied
    item.status = status
    item.due_date = due_date
    item.full_clean()
    item.save()
    return item


# --- Kick-off meeting (§3.1, initiation) --------------------------------------------------


KICKOFF_FIELDS = ("held_on", "place", "vendor_attendees", "customer_attendees", "agenda", "minutes", "decisions")


@transaction.atomic
def kickoff_record(*, project: Project, actor: AbstractUser, **fields: object) -> KickoffMeeting:
    """The vendor PM records the kick-off meeting; the customer lead then confirms the record."""
    require_manager(project, actor)
    if set(fields) - set(KICKOFF_FIELDS):
        raise TypeError(f"Not editable: {sorted(set(fields) - set(KICKOFF_FIELDS))}")
    meeting = KickoffMeeting.objects.select_for_update().filter(project=project).first()
    if meeting is not None and meeting.is_confirmed:
        raise ValidationError(_("The customer lead has confirmed this record; it can no longer be changed."))
    meeting = meeting or KickoffMeeting(project=project, recorded_by=actor)
    for field, value in fields.items():
        setattr(meeting, field, value)
    if meeting.held_on and meeting.held_on > timezone.localdate():
        raise ValidationError({"held_on": _("The kick-off cannot be in the future.")})
    meeting.full_clean(exclude=["project"])
    meeting.save()
    return meeting


@transaction.atomic
def kickoff_confirm(*, project: Project, actor: AbstractUser) -> KickoffMeeting:
    """The customer lead confirms the record: the gate item "kick-off meeting held" is met."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not project_standing(project, actor).is_customer_lead:
        raise PermissionDenied
    meeting = KickoffMeeting.objects.select_for_update().filter(project=project).first()
    if meeting is None:
        raise ValidationError(_("There is no kick-off meeting record to confirm yet."))
    if meeting.is_confirmed:
        raise ValidationError(_("This kick-off meeting record is already confirmed."))
    meeting.confirmed_by = actor
    meeting.confirmed_at = timezone.now()
    meeting.save(update_fields=["confirmed_by", "confirmed_at", "updated_at"])
    project.kickoff_held_on = meeting.held_on
    project.save(update_fields=["kickoff_held_on", "updated_at"])
    notification_create(
        recipients=[project.vendor_pm] if project.vendor_pm else [],
        verb=KICKOFF_CONFIRMED,
        context={"project": str(project), "actor": display_name(actor)},
        target=project,
        url=reverse("projects:kickoff", args=[project.code]),
    )
    return meeting
