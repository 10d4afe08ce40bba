"""Writes and workflows of change letters (SPEC §4). Views call exactly one of these per action.

Lifecycle of a letter, one service each:
  change_file                the letter is filed and received by the other side at once; for
                             4.2/4.3 the 5-working-day reply clock starts (deadlines engine)
  change_review_start        4.2/4.3: the vendor PM starts the internal investigation
  change_reply               4.2/4.3: accepted or not, with reasons (and findings for 4.2);
                             in time → deadline met; after the due time → recorded as late
  change_negotiation_start   4.1/4.4: the receiving lead opens the negotiation
  change_agree               4.1/4.4: the receiving lead records the agreement
  change_withdraw            the initiator, before a reply or agreement
  change_version_draft       accepted/agreed → implementing: a new requirements confirmation or
                             project plan version is drafted and linked
  change_version_accepted    (documents listener) → implemented once every linked one is confirmed
  change_reply_overdue       (deadline effect) marks the letter overdue and escalates, once
  change_reply_overdue_withdraw  (calendar correction) the overdue flag set before the correct
                             end is withdrawn; the clock runs again, or was met by the reply
Compensation (§4.1, §4.2) lives in .claims. Every step is logged as a ChangeEvent and
notified to the other side; PDFs are rendered and sealed by a task after commit.

Services raise PermissionDenied when the user may not act, ValidationError for a rule of the
domain (with a message for the page), and change nothing in either case. Where a service takes
``now`` it defaults to the current time; tests pass it to stand on a given day (National Day).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from deadlines.enums import CorrectionOutcome, DeadlineStatus, RuleCode
from deadlines.models import Deadline
from deadlines.services import deadline_cancel, deadline_lock, deadline_mark_met, deadline_open
from delivery.audit import RequestMeta
from delivery.validators import validate_upload
from documents.enums import VersionState
from documents.models import DeliverableType, DeliverableVersion
from documents.services import deliverable_get_or_create, version_draft_create
from projects.enums import Side
from projects.models import Project
from projects.permissions import project_standing

from .. import verbs
from ..enums import (
    COMPENSATION_KINDS,
    IMPLEMENTING_DELIVERABLES,
    NEGOTIATED_KINDS,
    REPLY_KINDS,
    ChangeDocument,
    ChangeEventKind,
    ChangeKind,
    ChangeState,
)
from ..models import ChangeAttachment, ChangeEvent, ChangeRequest, ChangeVersion
from ..permissions import filing_refusal, user_can_implement, user_is_either_lead, user_takes_part
from ..selectors import vendor_manager_list
from .claims import claim_window_open
from .common import (
    change_event_record,
    change_label,
    change_leads,
    change_lock,
    change_notify,
    letter_sha256,
    pdf_schedule,
    reply_sha256,
    require_text,
)

# --- Filing ----------------------------------------------------------------------------------


def _attachment_create(change: ChangeRequest, user: AbstractUser, file: UploadedFile) -> ChangeAttachment:
    return ChangeAttachment.objects.create(
        change=change, file=file, uploaded_by=user, **ChangeAttachment.described(file)
    )


def _validate_letter(*, title: str, reason: str, requirements_change: str, plan_change: str, attachments) -> None:
    errors: dict[str, list] = {}
    if not title.strip():
        errors["title"] = [_("Give the letter a subject.")]
    if not reason.strip():
        errors["reason"] = [_("Explain the reason for the change.")]
    if not requirements_change.strip() and not plan_change.strip():
        errors["requirements_change"] = [
            _("Describe the change requested to the requirements, to the project plan, or to both.")
        ]
    for file in attachments:
        try:
            validate_upload(file)
        except ValidationError as error:
            errors.setdefault("attachments", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def change_file(
    *,
    project: Project,
    user: AbstractUser,
    meta: RequestMeta,
    kind: str,
    title: str,
    reason: str,
    requirements_change: str = "",
    plan_change: str = "",
    attachments: Sequence[UploadedFile] = (),
    now: datetime | None = None,
) -> ChangeRequest:
    """File a change letter (§4). The other side receives it in the system at once."""
    refusal = filing_refusal(project=project, user=user, kind=kind)
    if refusal is not None:
        raise ValidationError({"kind": refusal})
    _validate_letter(
        title=title,
        reason=reason,
        requirements_change=requirements_change,
        plan_change=plan_change,
        attachments=attachments,
    )
    now = now or timezone.now()
    # Numbers are per project: the project row serialises two letters filed at the same moment.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    last = ChangeRequest.objects.filter(project=project).aggregate(last=Max("number"))["last"] or 0
    change = ChangeRequest.objects.create(
        project=project,
        number=last + 1,
        kind=kind,
        initiating_side=project_standing(project, user).lead_side,
        initiated_by=user,
        title=title.strip(),
        reason=reason.strip(),
        requirements_change=requirements_change.strip(),
        plan_change=plan_change.strip(),
        received_at=now,
    )
    files = [_attachment_create(change, user, file) for file in attachments]
    change.letter_sha256 = letter_sha256(change, files)
    change.save(update_fields=["letter_sha256", "updated_at"])
    change_event_record(change, ChangeEventKind.FILED, actor=user, meta=meta, at=now)
    if kind in REPLY_KINDS:
        # §4.2, §4.3: the vendor replies within 5 working days of receipt.
        deadline_open(
            target=change,
            rule=RuleCode.CHANGE_REPLY,
            started_at=now,
            recipients=[project.vendor_pm],
        )
    pdf_schedule(change, ChangeDocument.LETTER)
    receiver = project.customer_lead if change.initiating_side == Side.VENDOR else project.vendor_pm
    change_notify(change, verb=verbs.FILED, recipients=[receiver], actor=user, kind=kind)
    return change


# --- Transitions -----------------------------------------------------------------------------


def _state_refusal(change: ChangeRequest) -> str:
    if change.state == ChangeState.WITHDRAWN:
        return _("This change letter has been withdrawn.")
    if change.replied_at is not None:
        return _("This change letter has already been answered.")
    return _("This step is not possible in the letter's current state (%(state)s).") % {
        "state": change.get_state_display()
    }


def _check_transition(change: ChangeRequest, name: str, user: AbstractUser, *, kinds: frozenset | None = None) -> None:
    """The FSM decides: a step the state does not allow is refused with the reason; a step the
    user may not take is PermissionDenied."""
    if kinds is not None and change.kind not in kinds:
        if change.kind in NEGOTIATED_KINDS:
            raise ValidationError(_("4.1 and 4.4 change letters are negotiated, not reviewed and replied to."))
        raise ValidationError(_("4.2 and 4.3 change letters are reviewed and replied to, not negotiated."))
    method = getattr(change, name)
    if not can_proceed(method):
        raise ValidationError(_state_refusal(change))
    if not has_transition_perm(method, user):
        raise PermissionDenied


@transaction.atomic
def change_review_start(*, change: ChangeRequest, user: AbstractUser, meta: RequestMeta) -> ChangeRequest:
    """§4.2, §4.3: the vendor PM takes the letter under review (the internal investigation)."""
    change = change_lock(change)
    _check_transition(change, "start_review", user, kinds=REPLY_KINDS)
    change.start_review()
    change.save()
    change_event_record(change, ChangeEventKind.REVIEW_STARTED, actor=user, meta=meta, from_state=ChangeState.SUBMITTED)
    change_notify(change, verb=verbs.REVIEW_STARTED, recipients=change_leads(change), actor=user)
    return change


def _reply_clock_lock(change: ChangeRequest) -> Deadline | None:
    """Lock the letter's reply clock before the letter itself (the sweep's order, see deadline_lock)."""
    return deadline_lock(
        target=change, rule=RuleCode.CHANGE_REPLY, statuses=(DeadlineStatus.OPEN, DeadlineStatus.EXPIRED)
    )


def _reply_clock(deadline: Deadline | None, *, user: AbstractUser, now: datetime) -> bool:
    """Close the reply clock; True when the reply came after the due time (§4.2, §4.3).

    In time: the deadline is met. After the due time it stays expired (or is left for the sweep
    to expire, whose effect then finds the letter answered and does nothing).
    """
    if deadline is None:
        return False
    late = deadline.status == DeadlineStatus.EXPIRED or now >= deadline.due_at
    if deadline.status == DeadlineStatus.OPEN and not late:
        deadline_mark_met(deadline=deadline, by=user)
    return late


@transaction.atomic
def change_reply(
    *,
    change: ChangeRequest,
    user: AbstractUser,
    meta: RequestMeta,
    accept: bool,
    reasons: str,
    findings: str = "",
    now: datetime | None = None,
) -> ChangeRequest:
    """§4.2, §4.3: the vendor PM accepts the change or not, with reasons; for 4.2 also the findings
    of the internal investigation. Two replies racing end with one: the row lock serialises them
    and the second finds the letter answered."""
    clock = _reply_clock_lock(change)
    change = change_lock(change)
    _check_transition(change, "accept" if accept else "reject", user, kinds=REPLY_KINDS)
    errors = {}
    if not (reasons or "").strip():
        errors["reasons"] = _("Give the reasons for your reply.")
    if change.kind == ChangeKind.VENDOR_AT_FAULT and not (findings or "").strip():
        errors["findings"] = _("§4.2: give the findings of the internal investigation.")
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    late = _reply_clock(clock, user=user, now=now)
    transition = change.accept if accept else change.reject
    transition(by=user, reasons=reasons.strip(), findings=(findings or "").strip(), at=now, late=late)
    change.reply_sha256 = reply_sha256(change)
    change.save()
    comment = _("Replied after the due time.") if late else ""
    kind = ChangeEventKind.ACCEPTED if accept else ChangeEventKind.REJECTED
    change_event_record(
        change, kind, actor=user, meta=meta, from_state=ChangeState.UNDER_REVIEW, comment=comment, at=now
    )
    pdf_schedule(change, ChangeDocument.REPLY)
    change_notify(
        change, verb=verbs.ACCEPTED if accept else verbs.REJECTED, recipients=change_leads(change), actor=user
    )
    if accept:
        _claim_window_if_live(change)
    return change


@transaction.atomic
def change_negotiation_start(*, change: ChangeRequest, user: AbstractUser, meta: RequestMeta) -> ChangeRequest:
    """§4.1, §4.4: the receiving lead opens the negotiation."""
    change = change_lock(change)
    _check_transition(change, "start_negotiation", user, kinds=NEGOTIATED_KINDS)
    change.start_negotiation()
    change.save()
    change_event_record(
        change, ChangeEventKind.NEGOTIATION_STARTED, actor=user, meta=meta, from_state=ChangeState.SUBMITTED
    )
    change_notify(change, verb=verbs.NEGOTIATION_STARTED, recipients=change_leads(change), actor=user)
    return change


@transaction.atomic
def change_agreement_propose(
    *, change: ChangeRequest, user: AbstractUser, meta: RequestMeta, note: str, now: datetime | None = None
) -> ChangeRequest:
    """§4.1, §4.4: either lead puts the terms in writing; a proposal by the other side is countered."""
    change = change_lock(change)
    if change.kind not in NEGOTIATED_KINDS:
        raise ValidationError(_("4.2 and 4.3 change letters are reviewed and replied to, not negotiated."))
    if change.state != ChangeState.IN_NEGOTIATION:
        raise ValidationError(_state_refusal(change))
    if not user_is_either_lead(change, user):
        raise PermissionDenied
    note = require_text(note, "note", _("Record what both sides agreed."))
    countered = change.agreement_proposed_by_id not in (None, user.pk)
    change.agreement_proposal = note
    change.agreement_proposed_by = user
    change.agreement_proposed_at = now or timezone.now()
    change.save(update_fields=["agreement_proposal", "agreement_proposed_by", "agreement_proposed_at", "updated_at"])
    kind = ChangeEventKind.AGREEMENT_COUNTERED if countered else ChangeEventKind.AGREEMENT_PROPOSED
    change_event_record(change, kind, actor=user, meta=meta, comment=note, at=change.agreement_proposed_at)
    other = [lead for lead in change_leads(change) if lead.pk != user.pk]
    verb = verbs.AGREEMENT_COUNTERED if countered else verbs.AGREEMENT_PROPOSED
    change_notify(change, verb=verb, recipients=other, actor=user)
    return change


@transaction.atomic
def change_agree(
    *, change: ChangeRequest, user: AbstractUser, meta: RequestMeta, now: datetime | None = None
) -> ChangeRequest:
    """§4.1, §4.4: the other lead confirms the proposed terms; the agreement is sealed as a PDF, like a reply."""
    change = change_lock(change)
    if change.state == ChangeState.IN_NEGOTIATION and change.kind in NEGOTIATED_KINDS:
        if not change.agreement_proposal:
            raise ValidationError(_("No terms are proposed yet: one lead proposes them, the other confirms."))
        if user.pk == change.agreement_proposed_by_id:
            raise ValidationError(_("You proposed these terms: the other side's lead confirms them (or counters)."))
    _check_transition(change, "agree", user, kinds=NEGOTIATED_KINDS)
    now = now or timezone.now()
    change.agree(by=user, at=now)
    change.reply_sha256 = reply_sha256(change)
    change.save()
    change_event_record(
        change, ChangeEventKind.AGREED, actor=user, meta=meta, from_state=ChangeState.IN_NEGOTIATION, at=now
    )
    pdf_schedule(change, ChangeDocument.REPLY)
    change_notify(change, verb=verbs.AGREED, recipients=change_leads(change), actor=user)
    _claim_window_if_live(change)
    return change


@transaction.atomic
def change_withdraw(*, change: ChangeRequest, user: AbstractUser, meta: RequestMeta, reason: str) -> ChangeRequest:
    """The initiator withdraws the letter before a reply; the reply clock is cancelled."""
    clock = _reply_clock_lock(change)
    change = change_lock(change)
    _check_transition(change, "withdraw", user)
    reason = require_text(reason, "reason", _("Say why the letter is withdrawn."))
    from_state = change.state
    change.withdraw(at=timezone.now())
    change.save()
    if clock is not None and clock.status == DeadlineStatus.OPEN:
        deadline_cancel(deadline=clock, reason="change letter withdrawn", by=user)
    change_event_record(change, ChangeEventKind.WITHDRAWN, actor=user, meta=meta, from_state=from_state, comment=reason)
    change_notify(change, verb=verbs.WITHDRAWN, recipients=change_leads(change), actor=user)
    return change


@transaction.atomic
def change_comment(*, change: ChangeRequest, user: AbstractUser, meta: RequestMeta, text: str) -> ChangeEvent:
    """Either lead adds a note to the timeline (the negotiation, the investigation, ...)."""
    change = change_lock(change)
    if not user_takes_part(change, user):
        raise PermissionDenied
    text = require_text(text, "text", _("Write the comment first."))
    event = change_event_record(change, ChangeEventKind.COMMENTED, actor=user, meta=meta, comment=text)
    change_notify(change, verb=verbs.COMMENTED, recipients=change_leads(change), actor=user)
    return event


# --- Implementing (§4: new versions of the requirements confirmation and the plan) -----------


def _version_for_change(*, change: ChangeRequest, user: AbstractUser, meta: RequestMeta, type_code: str):
    """A new draft copied from the latest version, or the draft already in progress."""
    deliverable = deliverable_get_or_create(project=change.project, code=type_code)
    in_progress = deliverable.versions.filter(state__in=[VersionState.DRAFT, VersionState.SUBMITTED]).first()
    if in_progress is not None and in_progress.state == VersionState.SUBMITTED:
        raise ValidationError(
            _(
                "Version %(number)s of the %(document)s is waiting for signature; once it is signed or "
                "returned, draft the version for this change."
            )
            % {"number": in_progress.number, "document": deliverable.type.name}
        )
    if in_progress is not None:
        return deliverable, in_progress
    return deliverable, version_draft_create(deliverable=deliverable, user=user, meta=meta)


@transaction.atomic
def change_version_draft(
    *, change: ChangeRequest, user: AbstractUser, meta: RequestMeta, type_code: str
) -> DeliverableVersion:
    """Draft the new version of one deliverable for an accepted or agreed change and link it."""
    change = change_lock(change)
    if type_code not in IMPLEMENTING_DELIVERABLES:
        raise ValidationError(_("A change updates the requirements confirmation or the project plan."))
    if change.state not in (ChangeState.ACCEPTED, ChangeState.AGREED, ChangeState.IMPLEMENTING):
        raise ValidationError(_("Only an accepted or agreed change is implemented with new deliverable versions."))
    if change.state == ChangeState.IMPLEMENTING:
        if not user_can_implement(change, user):
            raise PermissionDenied
    else:
        _check_transition(change, "start_implementing", user)
    existing = change.versions.filter(deliverable__type__code=type_code).select_related("drafted_version").first()
    if existing is not None:
        raise ValidationError(
            _("Version %(number)s of the %(document)s is already linked to this change.")
            % {"number": existing.drafted_version.number, "document": DeliverableType.objects.get(code=type_code).name}
        )
    deliverable, version = _version_for_change(change=change, user=user, meta=meta, type_code=type_code)
    now = timezone.now()
    ChangeVersion.objects.create(change=change, deliverable=deliverable, drafted_version=version, drafted_at=now)
    from_state = change.state
    if change.state != ChangeState.IMPLEMENTING:
        change.start_implementing()
        change.save()
    change_event_record(
        change,
        ChangeEventKind.VERSION_DRAFTED,
        actor=user,
        meta=meta,
        from_state=from_state,
        comment=f"{deliverable.type.name} v{version.number}",
    )
    change_notify(
        change,
        verb=verbs.version_drafted_verb(type_code),
        recipients=change_leads(change),
        actor=user,
        number=version.number,
    )
    return version


def change_version_accepted(version: DeliverableVersion) -> None:
    """documents listener, inside the accepting transaction: link the confirmed version to the
    changes it implements and complete those whose every linked deliverable is now confirmed."""
    links = list(
        ChangeVersion.objects.select_for_update(of=("self",))
        .filter(
            deliverable_id=version.deliverable_id,
            accepted_version__isnull=True,
            drafted_version__number__lte=version.number,
            change__state=ChangeState.IMPLEMENTING,
        )
        .order_by("change_id")
    )
    if not links:
        return
    now = timezone.now()
    for link in links:
        link.accepted_version = version
        link.accepted_at = now
        link.save(update_fields=["accepted_version", "accepted_at"])
    for link in links:
        change = change_lock(link.change)
        change_event_record(
            change, ChangeEventKind.VERSION_CONFIRMED, actor=None, at=now, comment=_version_comment(version)
        )
        if (
            change.state == ChangeState.IMPLEMENTING
            and not change.versions.filter(accepted_version__isnull=True).exists()
        ):
            change.complete_implementation(at=now)
            change.save()
            change_event_record(
                change, ChangeEventKind.IMPLEMENTED, actor=None, at=now, from_state=ChangeState.IMPLEMENTING
            )
            change_notify(change, verb=verbs.IMPLEMENTED, recipients=change_leads(change))


def _version_comment(version: DeliverableVersion) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return f"{version.deliverable.type.name} v{version.number}"


# --- The reply deadline's effect (registered in apps.py) -------------------------------------


def change_reply_overdue(deadline: Deadline) -> None:
    """§4.2/§4.3 reply overdue: mark the letter and escalate to the vendor PM and the vendor
    managers. Runs inside the sweep's claim, so once; idempotent in itself as well."""
    target = deadline.target
    if not isinstance(target, ChangeRequest):
        return
    change = change_lock(target)
    if change.overdue_at is not None or change.replied_at is not None or not change.is_open:
        return
    change.overdue_at = deadline.applied_at or timezone.now()
    change.save(update_fields=["overdue_at", "updated_at"])
    change_event_record(change, ChangeEventKind.OVERDUE, actor=None, at=change.overdue_at)
    change_notify(
        change,
        verb=verbs.OVERDUE,
        recipients=[change.project.vendor_pm, *vendor_manager_list()],
        due=deadline.due_date.isoformat(),
    )


def change_reply_overdue_withdraw(deadline: Deadline) -> str:
    """§4.2/§4.3, calendar corrected: the overdue flag was set before the reply's correct end
    (``deadline.due_at``), so the letter is no longer overdue. A reply given before that end was
    in time: the deadline is met; otherwise the clock runs on to its correct end. The reply's own
    record (and its sealed PDF) is left as it was issued; the timeline says what was corrected."""
    target = deadline.target
    if not isinstance(target, ChangeRequest):
        return CorrectionOutcome.STANDS
    change = change_lock(target)
    in_time = change.replied_at is not None and change.replied_at < deadline.due_at
    if not in_time and (change.replied_at is not None or not change.is_open):
        return CorrectionOutcome.STANDS  # answered late anyway, or withdrawn: nothing to undo
    change.overdue_at = None
    change.save(update_fields=["overdue_at", "updated_at"])
    with translation.override(settings.LANGUAGE_CODE):
        if in_time:
            comment = _("The reply of %(replied)s was in time: due by the end of %(due)s.") % {
                "replied": timezone.localtime(change.replied_at).strftime("%Y-%m-%d %H:%M"),
                "due": deadline.due_date.isoformat(),
            }
        else:
            comment = _("The reply is due by the end of %(due)s.") % {"due": deadline.due_date.isoformat()}
    change_event_record(change, ChangeEventKind.OVERDUE_WITHDRAWN, actor=None, comment=comment)
    return CorrectionOutcome.WITHDRAWN_MET if in_time else CorrectionOutcome.WITHDRAWN


def change_reply_concerned(deadline: Deadline) -> list:
    """Told when the calendar moves or corrects the reply clock: the vendor PM who answers and
    the customer lead who filed the letter."""
    target = deadline.target
    if not isinstance(target, ChangeRequest):
        return list(deadline.recipients.all())
    return [user for user in (target.project.vendor_pm, target.initiated_by) if user is not None]


def change_reply_people(deadline: Deadline) -> list:
    """The reminder one working day before the reply is due goes to the vendor PM."""
    target = deadline.target
    if not isinstance(target, ChangeRequest):
        return list(deadline.recipients.all())
    return [target.project.vendor_pm] if target.project.vendor_pm else []


def change_describe(deadline: Deadline) -> str:
    target = deadline.target
    return change_label(target) if isinstance(target, ChangeRequest) else str(target)


def _claim_window_if_live(change: ChangeRequest) -> None:
    """A 4.1/4.2 change approved after go-live gets its claim window from the go-live date."""

    if change.kind in COMPENSATION_KINDS and change.project.golive_on is not None:
        claim_window_open(change=change, golive_on=change.project.golive_on)
