"""What the verification page says about a PDF (SPEC §3: anyone holding the file can verify it)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .signing import VerificationResult, pdf_verify

# The signed PDF names itself in its document information: "<project>/<type>/<version>/<sha256>".
REFERENCE_KEY = "deliveryref"

# Other apps seal their own documents (change letters and replies): they say whether a reference
# of theirs is on record and what the document is called. prefix -> resolver(reference) -> name | None
_RESOLVERS: dict[str, object] = {}


def register_reference_resolver(prefix: str, resolver) -> None:
    _RESOLVERS[prefix] = resolver


@dataclass(frozen=True)
class DocumentReference:
    project_code: str
    document_type: str
    version: str
    sha256: str

    @classmethod
    def parse(cls, value: str) -> DocumentReference | None:
        parts = value.split("/")
        if len(parts) != 4 or not all(parts):
            return None
        return cls(*parts)


@dataclass(frozen=True)
class Verdict:
    result: VerificationResult
    reference: DocumentReference | None
    # The version named by the file exists here and its fingerprint matches the file's.
    on_record: bool = False
    type_name: str = ""
    signatures: list = field(default_factory=list)  # (side, typed name, time) of the version on record

    @property
    def valid(self) -> bool:
        return self.result.valid and self.reference is not None


def document_verify(*, data: bytes) -> Verdict:
    from .models import DeliverableVersion

    result = pdf_verify(pdf=data)
    reference = DocumentReference.parse(result.metadata.get(REFERENCE_KEY, "")) if result.valid else None
    for prefix, resolver in _RESOLVERS.items():
        if reference is not None and reference.document_type.startswith(prefix):
            name = resolver(reference)
            return Verdict(result=result, reference=reference, on_record=name is not None, type_name=name or "")
    version = None
    if reference is not None and reference.version.isdigit():
        version = (
            DeliverableVersion.objects.filter(
                deliverable__project__code=reference.project_code,
                deliverable__type__code=reference.document_type,
                number=int(reference.version),
                sha256=reference.sha256,
            )
            .prefetch_related("signatures")
            .first()
        )
    signatures = (
        [(s.get_side_display(), s.typed_name, s.signed_at) for s in version.signatures.all()] if version else []
    )
    return Verdict(
        result=result,
        reference=reference,
        on_record=version is not None,
        type_name=_type_name(reference),
        signatures=signatures,
    )


def _type_name(reference: DocumentReference | None) -> str:
    from .models import DeliverableType

    if reference is None:
        return ""
    deliverable_type = DeliverableType.objects.filter(code=reference.document_type).first()
    return deliverable_type.name if deliverable_type else reference.document_type
