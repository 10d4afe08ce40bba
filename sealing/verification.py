"""What the verification page says about a PDF (SPEC §3: anyone holding the file can verify it).

The seal (``signing.pdf_verify``) says whether the file is intact and ours; the app that sealed it
says what it is. Each app registers a resolver for the document codes it issues; a resolver takes
the file's ``DocumentReference`` and answers a ``SealedRecord`` when that document, with that
fingerprint, is on record here (or None).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .hooks import resolver_for
from .signing import VerificationResult, pdf_verify

# The signed PDF names itself in its document information: "<project>/<type>/<version>/<sha256>".
REFERENCE_KEY = "deliveryref"


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

    def __str__(self) -> str:
        return f"{self.project_code}/{self.document_type}/{self.version}/{self.sha256}"


@dataclass(frozen=True)
class SignerLine:
    role: str  # "Customer lead", "Vendor project manager", ...
    name: str
    signed_at: datetime | None


@dataclass(frozen=True)
class SealedRecord:
    """What this system knows about a sealed document it issued."""

    name: str
    project: str = ""  # "<code> · <name>"
    version: str = ""
    signers: list[SignerLine] = field(default_factory=list)
    # Versioned documents: None when this is the latest confirmed version, else when a later one
    # superseded it. ``versioned`` is False for documents that have no later versions.
    versioned: bool = False
    superseded_at: datetime | None = None
    # False: the document type is ours but no document with this fingerprint is on record.
    on_record: bool = True


@dataclass(frozen=True)
class Verdict:
    result: VerificationResult
    reference: DocumentReference | None
    record: SealedRecord | None = None

    @property
    def valid(self) -> bool:
        return self.result.valid and self.reference is not None

    @property
    def on_record(self) -> bool:
        """The document named by the file exists here and its fingerprint matches the file's."""
        return self.record is not None and self.record.on_record

    @property
    def type_name(self) -> str:
        return self.record.name if self.record is not None else (self.reference.document_type if self.reference else "")

    @property
    def signatures(self) -> list[SignerLine]:
        return self.record.signers if self.on_record else []


def document_verify(*, data: bytes) -> Verdict:
    result = pdf_verify(pdf=data)
    reference = DocumentReference.parse(result.metadata.get(REFERENCE_KEY, "")) if result.valid else None
    if reference is None:
        return Verdict(result=result, reference=reference)
    resolver = resolver_for(reference.document_type)
    answer = resolver(reference) if resolver is not None else None
    record = SealedRecord(name=answer) if isinstance(answer, str) else answer
    return Verdict(result=result, reference=reference, record=record)
