"""What the verification page says about a PDF (SPEC §3: anyone holding the file can verify it)."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Verdict:
    result: VerificationResult
    reference: DocumentReference | None
    # The version named by the file exists here and its fingerprint matches the file's.
    on_record: bool = False

    @property
    def valid(self) -> bool:
        return self.result.valid and self.reference is not None


def document_verify(*, data: bytes) -> Verdict:
    from .models import DeliverableVersion

    result = pdf_verify(pdf=data)
    reference = DocumentReference.parse(result.metadata.get(REFERENCE_KEY, "")) if result.valid else None
    on_record = False
    if reference is not None and reference.version.isdigit():
        on_record = DeliverableVersion.objects.filter(
            deliverable__project__code=reference.project_code,
            deliverable__type__code=reference.document_type,
            number=int(reference.version),
            sha256=reference.sha256,
        ).exists()
    return Verdict(result=result, reference=reference, on_record=on_record)
