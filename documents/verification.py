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

    @property
    def valid(self) -> bool:
        return self.result.valid and self.reference is not None


def document_verify(*, data: bytes) -> Verdict:
    result = pdf_verify(pdf=data)
    reference = DocumentReference.parse(result.metadata.get(REFERENCE_KEY, "")) if result.valid else None
    return Verdict(result=result, reference=reference)
