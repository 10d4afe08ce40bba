"""What goes into a dossier and how: every confirmed deliverable's sealed PDF (and offline
evidence), change letters and replies, the go-live notice and confirmation (deliverables too),
the operation problem log, each with its audit trail; then manifest.json (every file's SHA-256,
version, signer, times) and manifest.pdf, a readable index sealed like every other document."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.selectors import organization_vendor
from changes.models import ChangeRequest
from delivery.people import display_name
from documents.enums import ACCEPTED_STATES, VersionState
from documents.models import DeliverableVersion
from golive.models import OperationProblem
from sealing.enums import PdfStatus
from sealing.sealed import SealSpec, sealed_pdf_bytes
from sealing.signoff import SEAL_PURPOSE, Party
from sealing.verification import REFERENCE_KEY

from .enums import DOCUMENT_TYPE
from .models import Dossier

# Confirmed versions, including those a later confirmed version superseded (still signed records).
RECORD_STATES = [*ACCEPTED_STATES, VersionState.SUPERSEDED]


@dataclass
class Entry:
    path: str
    data: bytes
    kind: str
    title: str
    version: str = ""
    signers: list[str] = field(default_factory=list)
    times: dict[str, str] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _time(value) -> str:
    return timezone.localtime(value).isoformat() if value else ""


def _json(payload) -> bytes:
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True).encode()


def _events(events) -> list[dict]:
    return [
        {
            "kind": event.kind,
            "label": str(event.get_kind_display()),
            "actor": display_name(event.actor),
            "at": _time(event.at),
            "ip_address": event.ip_address or "",
            "from": event.from_state,
            "to": event.to_state,
            "comment": event.comment,
        }
        for event in events
    ]


def _read(file) -> bytes:
    with file.open("rb") as handle:
        return handle.read()


def _versions(dossier: Dossier):
    versions = (
        DeliverableVersion.objects.filter(deliverable__project=dossier.project, state__in=RECORD_STATES)
        .select_related("deliverable__type")
        .prefetch_related("signatures__signer", "events__actor")
        .order_by("deliverable__type__position", "number")
    )
    if not dossier.includes_internal:
        versions = versions.filter(deliverable__type__internal=False)
    return versions


def _version_entries(version: DeliverableVersion) -> Iterator[Entry]:
    folder = f"deliverables/{version.deliverable.type.position:02d}-{version.deliverable.type.code}"
    title = f"{version.deliverable.type.name_zh} v{version.number}"
    signers = [f"{s.get_side_display()}: {s.typed_name}" for s in version.signatures.all()]
    times = {"submitted": _time(version.submitted_at), "decided": _time(version.decided_at)}
    common = {"version": str(version.number), "signers": signers, "times": times}
    if version.pdf_status == PdfStatus.READY and version.pdf:
        yield Entry(f"{folder}/v{version.number}-sealed.pdf", _read(version.pdf), "sealed_pdf", title, **common)
    if version.offline_evidence:
        suffix = PurePosixPath(version.offline_evidence.name).suffix or ".bin"
        data = _read(version.offline_evidence)
        yield Entry(f"{folder}/v{version.number}-evidence{suffix}", data, "offline_evidence", title, **common)
    audit = {
        "document": title,
        "state": version.state,
        "sha256_signed": version.sha256,
        "signatures": [
            {
                "side": s.side,
                "signer": display_name(s.signer),
                "typed_name": s.typed_name,
                "signed_at": _time(s.signed_at),
                "ip_address": s.ip_address or "",
                "version_sha256": s.version_sha256,
            }
            for s in version.signatures.all()
        ],
        "events": _events(version.events.all()),
    }
    yield Entry(f"{folder}/v{version.number}-audit.json", _json(audit), "audit_trail", title, **common)


def _change_entries(dossier: Dossier) -> Iterator[Entry]:
    changes = (
        ChangeRequest.objects.filter(project=dossier.project)
        .select_related("initiated_by", "replied_by")
        .prefetch_related("pdfs", "events__actor")
        .order_by("number")
    )
    for change in changes:
        title = f"变更说明函 #{change.number} {change.title}"
        signers = [name for name in (display_name(change.initiated_by), display_name(change.replied_by)) if name]
        times = {"received": _time(change.received_at), "replied": _time(change.replied_at)}
        for pdf in change.pdfs.all():
            if pdf.pdf_status == PdfStatus.READY and pdf.pdf:
                path = f"changes/{change.number:03d}-{pdf.document}.pdf"
                yield Entry(path, _read(pdf.pdf), f"change_{pdf.document}", title, str(change.number), signers, times)
        audit = {"change": title, "kind": change.kind, "state": change.state, "events": _events(change.events.all())}
        path = f"changes/{change.number:03d}-audit.json"
        yield Entry(path, _json(audit), "audit_trail", title, str(change.number), signers, times)


def _problem_entries(dossier: Dossier) -> Iterator[Entry]:
    problems = OperationProblem.objects.filter(project=dossier.project).select_related("reported_by").order_by("number")
    rows = [
        {
            "number": p.number,
            "description": p.description,
            "severity": p.severity,
            "support_mode": p.support_mode,
            "cause": p.cause,
            "tracking": p.tracking,
            "resolution": p.resolution,
            "result": p.result,
            "status": p.status,
            "reported_by": display_name(p.reported_by),
            "reported_at": _time(p.reported_at),
            "updated_at": _time(p.updated_at),
        }
        for p in problems
    ]
    yield Entry("problems/operation-problem-log.json", _json(rows), "problem_log", "系统运行问题跟踪记录单")


def dossier_entries(dossier: Dossier) -> list[Callable[[], list[Entry]]]:
    """The dossier's parts, each a step of the build (progress is counted in steps)."""
    steps: list[Callable[[], list[Entry]]] = [
        (lambda version=version: list(_version_entries(version))) for version in _versions(dossier)
    ]
    steps.append(lambda: list(_change_entries(dossier)))
    steps.append(lambda: list(_problem_entries(dossier)))
    return steps


def manifest_build(dossier: Dossier, entries: list[Entry]) -> dict:
    project = dossier.project
    return {
        "project": {"code": project.code, "name": project.name, "customer": project.customer.name},
        "dossier": dossier.pk,
        "generated_at": _time(timezone.now()),
        "requested_by": display_name(dossier.requested_by),
        "includes_internal": dossier.includes_internal,
        "files": [
            {
                "path": entry.path,
                "sha256": entry.sha256,
                "size": len(entry.data),
                "kind": entry.kind,
                "title": entry.title,
                "version": entry.version,
                "signers": entry.signers,
                "times": entry.times,
            }
            for entry in entries
        ],
    }


def manifest_pdf(dossier: Dossier, manifest: dict, manifest_sha256: str) -> bytes:
    """The readable index, sealed: its document information names the manifest's fingerprint."""
    project = dossier.project
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "title": _("Evidence dossier manifest"),
            "header_left": f"{project.code} {project.name}",
            "header_right": _("Evidence dossier manifest"),
            "project": project,
            "manifest": manifest,
            "manifest_sha256": manifest_sha256,
            "pdf_metadata": {REFERENCE_KEY: f"{project.code}/{DOCUMENT_TYPE}/{dossier.pk}/{manifest_sha256}"},
        }
        organization = getattr(getattr(project.vendor_pm, "profile", None), "organization", None)
        organization = organization or organization_vendor()
        name = organization.name if organization is not None else ""
        context.update(
            pdf_author=name,
            pdf_subject=f"{project.code} · {project.name}",
            pdf_keywords=[str(context["title"]), project.code, project.customer.name],
            sign_off=[
                Party(
                    side=_("Vendor (Party B)"),
                    organization=name,
                    seal_purpose=str(SEAL_PURPOSE),
                    sealed_at=timezone.now(),
                )
            ],
        )
        seal = SealSpec(
            organization=name,
            purpose=SEAL_PURPOSE,
            reason=_("Evidence dossier manifest"),
            location=project.customer.name,
        )
        return sealed_pdf_bytes(
            template_name="dossier/pdf/manifest.html",
            context=context,
            seal=seal,
            attachments={"manifest.json": manifest},
        )


def zip_build(entries: list[Entry], manifest_json: bytes, manifest_pdf_bytes: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in entries:
            archive.writestr(entry.path, entry.data)
        archive.writestr("manifest.json", manifest_json)
        archive.writestr("manifest.pdf", manifest_pdf_bytes)
    return buffer.getvalue()
