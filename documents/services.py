"""Writes and workflows for deliverables (SPEC §2 lifecycle, §3 signing).

Lifecycle of a version, one service each:
  draft (create, edit) → submit (frozen, hashed, lead notified)
    → sign (typed name + password, each declared signer in order) → confirmed → signed PDF rendered
    → return (comment required) → a new draft version copied from it
  confirmed → superseded when a later version is confirmed
  recorded offline (paper / e-mail evidence) → confirmed
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.audit import RequestMeta
from delivery.crypto import encrypt_secret
from delivery.people import display_name
from notifications.services import in_each_language, notification_create
from projects.permissions import project_standing
from sealing.credentials import SignatureRefused, signature_credentials_check
from sealing.services import sealed_pdf_effect

from . import hooks
from .content import content_sha256
from .enums import ACCEPTED_STATES, SIGNER_SIDES, EventKind, OfflineEvidenceKind, SignerRole, VersionState
from .forms import content_problems
from .models import Attachment, Deliverable, DeliverableType, DeliverableVersion, Signature, StoredSecret, VersionEvent
from .permissions import user_can_draft, user_can_record_offline, user_signing_roles
from .schema import schema_for
from .signers import declared_signer_roles, next_signer_role, role_holder, role_holder_id


def version_sign_refusals(version: DeliverableVersion) -> list[str]:
    """Why ``version`` cannot be signed yet, in the reader's language; empty when it can."""
    return hooks.sign_refusals(version)


def version_event_record(
    version: DeliverableVersion, kind: str, *, actor, meta: RequestMeta, comment: str = "", from_state: str = ""
) -> VersionEvent:
    return VersionEvent.objects.create(
        version=version,
        kind=kind,
        actor=actor,
        at=timezone.now(),
        ip_address=meta.ip_address,
        user_agent=meta.user_agent,
        from_state=from_state,
        to_state=version.state,
        comment=comment,
    )


def version_url(version: DeliverableVersion) -> str:
    deliverable = version.deliverable
    return reverse("documents:version", args=[deliverable.project.code, deliverable.type.code, version.number])


def version_lock(version: DeliverableVersion) -> DeliverableVersion:
    """Re-read the version under a row lock: concurrent signers and repliers queue here."""
    return (
        DeliverableVersion.objects.select_for_update()
        .select_related("deliverable__project", "deliverable__type")
        .get(pk=version.pk)
    )


# --- Drafting -------------------------------------------------------------------------------


@transaction.atomic
def deliverable_get_or_create(*, project, code: str) -> Deliverable:
    deliverable_type = DeliverableType.objects.get(code=code)
    deliverable, _created = Deliverable.objects.get_or_create(project=project, type=deliverable_type)
    return deliverable


def _next_number(deliverable: Deliverable) -> int:
    last = deliverable.versions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def _with_uids(type_code: str, content: dict) -> dict:
    """Every table row gets a stable uid, kept across versions, so comparisons follow rows."""
    content = dict(content)
    for table in schema_for(type_code).tables:
        content[table.name] = [
            {**row, "uid": row.get("uid") or uuid.uuid4().hex[:12]} for row in content.get(table.name, [])
        ]
    return content


@transaction.atomic
def version_draft_create(
    *, deliverable: Deliverable, user: AbstractUser, meta: RequestMeta, content: dict | None = None
) -> DeliverableVersion:
    """Start a new draft, from ``content`` or a copy of the latest version's content."""
    if not user_can_draft(deliverable.project, user):
        raise PermissionDenied
    Deliverable.objects.select_for_update().get(pk=deliverable.pk)
    if deliverable.versions.filter(state__in=[VersionState.DRAFT, VersionState.SUBMITTED]).exists():
        raise ValidationError(_("A version of this deliverable is already in progress; continue that one."))
    latest = deliverable.versions.order_by("-number").first()
    version = DeliverableVersion.objects.create(
        deliverable=deliverable,
        number=_next_number(deliverable),
        author=user,
        content=_with_uids(
            deliverable.type.code, content if content is not None else (latest.content if latest else {})
        ),
    )
    if content is None and latest is not None:
        _copy_secrets(source=latest, target=version)
    version_event_record(version, EventKind.CREATED, actor=user, meta=meta)
    return version


def _copy_secrets(*, source: DeliverableVersion, target: DeliverableVersion) -> None:
    StoredSecret.objects.bulk_create(
        [StoredSecret(version=target, key=s.key, ciphertext=s.ciphertext) for s in source.secrets.all()]
    )


@transaction.atomic
def version_draft_update(
    *,
    version: DeliverableVersion,
    user: AbstractUser,
    meta: RequestMeta,
    content: dict,
    secrets: dict[str, str] | None = None,
) -> DeliverableVersion:
    """Save a draft's content. ``secrets`` maps row uids to new passwords (empty: keep the stored one)."""
    version = version_lock(version)
    if not user_can_draft(version.deliverable.project, user):
        raise PermissionDenied
    if version.state != VersionState.DRAFT:
        raise ValidationError(_("Only a draft can be edited; this version is frozen."))
    content = _with_uids(version.deliverable.type.code, content)
    stored = set(version.secrets.values_list("key", flat=True))
    for key, plaintext in (secrets or {}).items():
        if plaintext:
            StoredSecret.objects.update_or_create(
                version=version, key=key, defaults={"ciphertext": encrypt_secret(plaintext)}
            )
            stored.add(key)
    _mark_secret_rows(version.deliverable.type.code, content, stored)
    version.content = content
    version.save(update_fields=["content", "updated_at"])
    version_event_record(version, EventKind.EDITED, actor=user, meta=meta)
    return version


def _mark_secret_rows(type_code: str, content: dict, stored: set[str]) -> None:
    """A secret column holds only "set" or "": the password itself lives in StoredSecret."""
    for table in schema_for(type_code).tables:
        for column in table.columns:
            if column.kind == "secret":
                for row in content.get(table.name, []):
                    row[column.name] = "set" if f"{row['uid']}:{column.name}" in stored else ""


@transaction.atomic
def attachment_add(*, version: DeliverableVersion, user: AbstractUser, file: UploadedFile) -> Attachment:
    version = version_lock(version)
    if not user_can_draft(version.deliverable.project, user):
        raise PermissionDenied
    if version.state != VersionState.DRAFT:
        raise ValidationError(_("Only a draft can be edited; this version is frozen."))
    return Attachment.objects.create(version=version, file=file, uploaded_by=user, **Attachment.described(file))


# --- Submission, signing, returning ---------------------------------------------------------


def version_hash(version: DeliverableVersion) -> str:
    deliverable = version.deliverable
    return content_sha256(
        project_code=deliverable.project.code,
        type_code=deliverable.type.code,
        number=version.number,
        content=version.content,
        attachments=list(version.attachments.all()),
    )


def _document_name(version: DeliverableVersion):
    """Notifications name the deliverable in each reader's language (types have both names)."""
    return in_each_language(lambda: version.deliverable)


def _missing_signer_problems(version: DeliverableVersion) -> list[str]:
    """Every declared signer role must be held by someone on the project before submitting."""
    project = version.deliverable.project
    return [
        _("The project has no %(role)s to sign this deliverable.") % {"role": SignerRole(role).label.lower()}
        if role != SignerRole.CUSTOMER_LEAD
        else _("The project has no customer project lead to sign this deliverable.")
        for role in declared_signer_roles(version)
        if role_holder_id(project, role) is None
    ]


def _ask_next_signer(version: DeliverableVersion, *, actor, verb: str) -> None:
    """§3: documents signed by several people are signed in order; only the next one is asked."""
    signed = {*version.signatures.values_list("role", flat=True)}  # fresh: a signature was just added
    role = next_signer_role(version, signed)
    person = role_holder(version.deliverable.project, role) if role else None
    if person is None or person.pk == actor.pk:
        return
    notification_create(
        recipients=[person],
        verb=verb,
        context={"actor": display_name(actor), "document": _document_name(version), "number": version.number},
        target=version,
        url=version_url(version),
    )


@transaction.atomic
def version_submit(
    *, version: DeliverableVersion, user: AbstractUser, meta: RequestMeta, notify: bool = True
) -> DeliverableVersion:
    """Freeze the draft, fix its hash, and ask the signers (SPEC §3) for their signature.

    A type nobody signs (the go-live notice, §3.1.4) is delivered to the customer lead instead;
    its app tells the lead what the delivery means (``notify=False``)."""
    version = version_lock(version)
    project = version.deliverable.project
    if not user_can_record_offline(project, user):
        raise PermissionDenied
    if version.state != VersionState.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    problems = version_completeness_problems(version)
    if problems:
        raise ValidationError(problems)
    signer_roles = declared_signer_roles(version)
    missing = _missing_signer_problems(version)
    if missing:
        raise ValidationError(missing)
    if not signer_roles and project.customer_lead is None:
        raise ValidationError(_("The project has no customer project lead to receive this deliverable."))
    version.submit(sha256=version_hash(version), at=timezone.now())
    version.save()
    version_event_record(version, EventKind.SUBMITTED, actor=user, meta=meta, from_state=VersionState.DRAFT)
    if not notify:
        return version
    if signer_roles:
        _ask_next_signer(version, actor=user, verb="documents.submitted")
        return version
    notification_create(
        recipients=[project.customer_lead],
        verb="documents.delivered",
        context={"actor": display_name(user), "document": _document_name(version), "number": version.number},
        target=version,
        url=version_url(version),
    )
    return version


def version_completeness_problems(version: DeliverableVersion) -> list[str]:
    """What a draft still lacks before it can be submitted, in the reader's language."""

    return content_problems(version.deliverable.type.code, version.content)


@transaction.atomic
def version_sign(
    *, version: DeliverableVersion, user: AbstractUser, meta: RequestMeta, typed_name: str, password: str, consent: bool
) -> Signature:
    """Sign the frozen version. Needs consent, the typed full name and a fresh password check.

    Two signatures racing on the same version end with exactly one: the row lock serialises them
    and the second finds the role already signed (or the version no longer waiting).
    """
    version = version_lock(version)
    roles = user_signing_roles(version, user)
    if not roles:
        raise PermissionDenied
    if version.state != VersionState.SUBMITTED:
        raise SignatureRefused(_("This version is no longer waiting for a signature."))
    role = _signing_turn_check(version, user=user, roles=roles)
    refusals = version_sign_refusals(version)
    if refusals:
        raise SignatureRefused(refusals)
    auth_method = signature_credentials_check(
        user=user,
        typed_name=typed_name,
        password=password,
        consent=consent,
        consent_message=_("Tick the box to confirm that you sign this version."),
        meta=meta,
        project=version.deliverable.project,
    )
    if version_hash(version) != version.sha256:
        raise SignatureRefused(_("The version's content does not match its fingerprint; it cannot be signed."))
    signature = Signature.objects.create(
        version=version,
        side=SIGNER_SIDES[role],
        role=role,
        signer=user,
        typed_name=typed_name.strip(),
        signed_at=timezone.now(),
        ip_address=meta.ip_address,
        user_agent=meta.user_agent,
        version_sha256=version.sha256,
        auth_method=auth_method,
    )
    version_event_record(version, EventKind.SIGNED, actor=user, meta=meta, from_state=version.state)
    if next_signer_role(version, {*version.signatures.values_list("role", flat=True)}) is None:
        _confirm(version, actor=user, meta=meta)
    else:
        _ask_next_signer(version, actor=user, verb="documents.signer_turn")
    return signature


def version_turn_refusal(version: DeliverableVersion, user) -> str | None:
    """Why ``user`` cannot sign ``version`` now although they are one of its signers: they already
    signed, or someone signs before them (§3: signed by each in the declared order, e.g. the
    customer lead, then the vendor's project lead). None when it is their turn."""
    roles = user_signing_roles(version, user)
    signed = {*version.signatures.values_list("role", flat=True)}
    if roles and all(role in signed for role in roles):
        return _("You have already signed this version; it now waits for the other signers.")
    turn = next_signer_role(version, signed)
    if turn is not None and turn not in roles:
        person = role_holder(version.deliverable.project, turn)
        return _("Not your turn yet: %(role)s %(name)s signs this version first; you will be notified then.") % {
            "role": SignerRole(turn).label,
            "name": display_name(person) if person else "",
        }
    return None


def _signing_turn_check(version: DeliverableVersion, *, user, roles: list[str]) -> str:
    """The role ``user`` signs as now, or SignatureRefused saying why not."""
    refusal = version_turn_refusal(version, user)
    if refusal:
        raise SignatureRefused(refusal)
    return next_signer_role(version, {*version.signatures.values_list("role", flat=True)})


def _pdf_effect(version: DeliverableVersion) -> None:
    """The sealed PDF is made after commit by the worker, once per version (sealing.tasks)."""
    sealed_pdf_effect(version, kind="version")


def _confirm(version: DeliverableVersion, *, actor, meta: RequestMeta) -> None:
    """The version is accepted: earlier accepted versions are superseded; the PDF is rendered after commit."""
    for older in version.deliverable.versions.filter(state=VersionState.CONFIRMED, number__lt=version.number):
        older.supersede()
        older.save()
        version_event_record(older, EventKind.SUPERSEDED, actor=actor, meta=meta, from_state=VersionState.CONFIRMED)
    version.confirm(at=timezone.now())
    version.save()
    hooks.version_accepted(version)
    project = version.deliverable.project
    notification_create(
        recipients=[p for p in (project.vendor_pm, version.author) if p is not None],
        verb="documents.confirmed",
        context={"document": _document_name(version), "number": version.number},
        target=version,
        url=version_url(version),
    )
    _pdf_effect(version)


@transaction.atomic
def version_return(
    *, version: DeliverableVersion, user: AbstractUser, meta: RequestMeta, comment: str
) -> DeliverableVersion:
    """Return the version with a required comment; the vendor continues in a new draft version."""
    version = version_lock(version)
    if not user_signing_roles(version, user):
        raise PermissionDenied
    if version.state != VersionState.SUBMITTED:
        raise ValidationError(_("This version is no longer waiting for a signature."))
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Say what needs to change: a comment is required to return a version.")})
    version.return_to_vendor(comment=comment, at=timezone.now())
    version.save()
    version_event_record(
        version, EventKind.RETURNED, actor=user, meta=meta, comment=comment, from_state=VersionState.SUBMITTED
    )
    draft = DeliverableVersion.objects.create(
        deliverable=version.deliverable, number=version.number + 1, author=version.author, content=version.content
    )
    _copy_secrets(source=version, target=draft)
    version_event_record(
        draft,
        EventKind.CREATED,
        actor=None,  # opened by the system: the returning customer drafted nothing
        meta=RequestMeta(),
        comment=_("Created after version %(number)s was returned.") % {"number": version.number},
    )
    project = version.deliverable.project
    notification_create(
        recipients=[p for p in (project.vendor_pm, version.author) if p is not None],
        verb="documents.returned",
        context={"actor": display_name(user), "document": _document_name(version), "number": version.number},
        target=version,
        url=version_url(draft),
    )
    return draft


@transaction.atomic
def version_confirm_offline(
    *,
    version: DeliverableVersion,
    user: AbstractUser,
    meta: RequestMeta,
    kind: OfflineEvidenceKind,
    evidence: UploadedFile,
    note: str = "",
) -> DeliverableVersion:
    """Record a confirmation given outside the system (SPEC §2), with the evidence attached."""
    version = version_lock(version)
    if not user_can_record_offline(version.deliverable.project, user):
        raise PermissionDenied
    if version.state not in (VersionState.DRAFT, VersionState.SUBMITTED):
        raise ValidationError(_("This version has already been decided."))
    refusals = version_sign_refusals(version)
    if refusals:
        raise ValidationError(refusals)
    if version.state == VersionState.DRAFT:
        version.submit(sha256=version_hash(version), at=timezone.now())
        version_event_record(version, EventKind.SUBMITTED, actor=user, meta=meta, from_state=VersionState.DRAFT)
    version.offline_kind = kind
    version.offline_evidence = evidence
    version.offline_note = note
    version.save()
    version_event_record(
        version, EventKind.CONFIRMED_OFFLINE, actor=user, meta=meta, comment=note, from_state=VersionState.SUBMITTED
    )
    _confirm(version, actor=user, meta=meta)
    return version


# --- After signing --------------------------------------------------------------------------


def version_record_download(*, version: DeliverableVersion, user: AbstractUser, meta: RequestMeta) -> None:
    version_event_record(version, EventKind.PDF_DOWNLOADED, actor=user, meta=meta)


@transaction.atomic
def version_confirm_passwords_changed(
    *, version: DeliverableVersion, user: AbstractUser, meta: RequestMeta
) -> DeliverableVersion:
    """§2: after handover the customer changes the initial passwords and says so here."""
    version = version_lock(version)
    project = version.deliverable.project
    if not project_standing(project, user).is_customer_lead:
        raise PermissionDenied
    if version.state not in ACCEPTED_STATES or version.passwords_changed_at is not None:
        raise ValidationError(_("There is nothing to confirm for this version."))
    version.passwords_changed_at = timezone.now()
    version.save(update_fields=["passwords_changed_at", "updated_at"])
    version_event_record(version, EventKind.PASSWORDS_CHANGED, actor=user, meta=meta)
    return version


def _open_version(deliverable: Deliverable) -> DeliverableVersion | None:
    return deliverable.versions.filter(state__in=[VersionState.DRAFT, VersionState.SUBMITTED]).first()


@transaction.atomic
def version_write(
    *, deliverable: Deliverable, user: AbstractUser, meta: RequestMeta, content: dict
) -> DeliverableVersion:
    """Put ``content`` into the deliverable's draft, opening one if there is none."""
    draft = _open_version(deliverable)
    if draft is None:
        return version_draft_create(deliverable=deliverable, user=user, meta=meta, content=content)
    return version_draft_update(version=draft, user=user, meta=meta, content=content)


@transaction.atomic
def version_recall(
    *, version: DeliverableVersion, user: AbstractUser, meta: RequestMeta, reason: str
) -> DeliverableVersion:
    """The vendor PM takes back a submitted version that no longer applies (a go-live notice
    replaced by a new one); it ends as returned, with the reason in its history."""
    version = version_lock(version)
    if not user_can_record_offline(version.deliverable.project, user):
        raise PermissionDenied
    if version.state != VersionState.SUBMITTED:
        raise ValidationError(_("This version is no longer waiting for a signature."))
    version.return_to_vendor(comment=reason, at=timezone.now())
    version.save()
    version_event_record(
        version, EventKind.RETURNED, actor=user, meta=meta, comment=reason, from_state=VersionState.SUBMITTED
    )
    return version


@transaction.atomic
def version_deem_accepted(*, deliverable: Deliverable, author: AbstractUser, content: dict) -> DeliverableVersion:
    """§3.1.4: the go-live confirmation is deemed accepted, in its open version or a new one whose
    content states the clause and both computations. Called by the go-live sweep effect."""
    Deliverable.objects.select_for_update().get(pk=deliverable.pk)
    version = _open_version(deliverable) or DeliverableVersion(
        deliverable=deliverable, number=_next_number(deliverable), author=author
    )
    from_state = version.state
    version.content = content
    version.save()
    version.deem_accepted(at=timezone.now())
    version.sha256 = version_hash(version)
    version.submitted_at = version.submitted_at or version.decided_at
    version.save()
    for older in deliverable.versions.filter(state=VersionState.CONFIRMED, number__lt=version.number):
        older.supersede()
        older.save()
    VersionEvent.objects.create(
        version=version,
        kind=EventKind.DEEMED_ACCEPTED,
        actor=None,
        at=timezone.now(),
        from_state=from_state,
        to_state=version.state,
        comment=content.get("statement", ""),
    )
    _pdf_effect(version)
    return version
