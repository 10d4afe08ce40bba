"""PAdES signatures with the vendor organisation's certificate (SPEC §3), and their verification.

The signature makes any later change to the file detectable; the verification page uses
``pdf_verify`` to say whether a file is intact, signed by our certificate, and what it is.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

SIGNATURE_FIELD = "VendorSignature"


@dataclass(frozen=True)
class VerificationResult:
    signed: bool
    intact: bool = False
    trusted: bool = False
    signer: str = ""
    signed_at: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    problem: str = ""

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.trusted


def _pkcs12_password() -> bytes | None:
    password = settings.SIGNING_PKCS12_PASSWORD
    if not password:
        path = Path(settings.SIGNING_PKCS12_PATH).with_suffix(".password")
        password = path.read_text().strip() if path.exists() else ""
    return password.encode() if password else None


@cache
def _signer_for(path: str, mtime: float):
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(pfx_file=path, passphrase=_pkcs12_password())
    if signer is None:
        raise ImproperlyConfigured(f"Cannot read the signing certificate at {path} (wrong password?).")
    return signer


def signing_signer():
    """The organisation's signer; reloaded when the PKCS#12 file is replaced."""
    path = Path(settings.SIGNING_PKCS12_PATH)
    if not path.exists():
        raise ImproperlyConfigured(
            f"No signing certificate at {path}. Run 'python manage.py signing_cert create' "
            "or set SIGNING_PKCS12_PATH and SIGNING_PKCS12_PASSWORD."
        )
    return _signer_for(str(path), path.stat().st_mtime)


def signing_certificate() -> asn1_x509.Certificate:
    return signing_signer().signing_cert


def signing_trust_roots() -> list[asn1_x509.Certificate]:
    """The roots a signature must chain to: the CA certificates packed with our key.

    A PKCS#12 file without CA certificates makes the signing certificate its own root.
    """
    signer = signing_signer()
    roots = [cert for cert in signer.cert_registry if cert.ca and cert.self_issued]
    return roots or [signer.signing_cert]


def stamp_font_path() -> str:
    """pyHanko needs a single OpenType face; Debian ships Noto CJK as a collection (.ttc)."""
    from fontTools.ttLib import TTCollection

    target = Path(settings.PDF_FONT_CACHE_DIR) / "NotoSansCJKsc-Regular.otf"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        collection = TTCollection(settings.PDF_FONT_COLLECTION)
        face = next(f for f in collection.fonts if f["name"].getDebugName(4) == "Noto Sans CJK SC")
        tmp = target.with_suffix(".tmp")
        face.save(str(tmp))
        tmp.replace(target)
    return str(target)


def pdf_sign(*, pdf: bytes, reason: str, location: str, stamp_lines: list[str], page: int = -1) -> bytes:
    """Sign ``pdf`` with a visible stamp in the bottom-right corner of ``page`` (default: last)."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page_count = int(writer.root["/Pages"]["/Count"])
    page_index = page if page >= 0 else page_count + page
    # A4 is 595 × 842 pt; the stamp sits above the footer, right-aligned.
    box = (335, 60, 565, 150)
    stamp_style = TextStampStyle(
        stamp_text="\n".join([*stamp_lines, "%(ts)s"]),
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(stamp_font_path(), font_size=9)),
        border_width=1,
        background_opacity=0,
    )
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD, reason=reason, location=location, subfilter=fields.SigSeedSubFilter.PADES
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signing_signer(),
        stamp_style=stamp_style,
        new_field_spec=fields.SigFieldSpec(sig_field_name=SIGNATURE_FIELD, on_page=page_index, box=box),
    )
    out = pdf_signer.sign_pdf(writer)
    return out.getvalue()


def _document_metadata(reader) -> dict[str, str]:
    info = reader.trailer_view.get("/Info")
    if info is None:
        return {}
    info = info.get_object()
    return {str(key).lstrip("/"): str(value) for key, value in info.items()}


def pdf_verify(*, pdf: bytes) -> VerificationResult:
    """Is the file intact, signed by our organisation's certificate, and what does it say it is?"""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        return VerificationResult(signed=False, problem=f"unreadable: {exc.__class__.__name__}")
    if not embedded:
        return VerificationResult(signed=False, problem="unsigned")
    signature = embedded[-1]
    certificate = signing_certificate()
    context = ValidationContext(trust_roots=signing_trust_roots(), allow_fetching=False)
    try:
        status = validate_pdf_signature(signature, context)
    except Exception as exc:  # a damaged signature is a verdict, not an error page
        return VerificationResult(signed=True, problem=f"damaged: {exc.__class__.__name__}")
    # Anything appended after signing (even an incremental update) counts as a change.
    covers_whole_file = status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
    intact = bool(status.intact and status.valid and covers_whole_file and signature is embedded[-1])
    ours = status.signing_cert.public_key.dump() == certificate.public_key.dump()
    return VerificationResult(
        signed=True,
        intact=intact,
        trusted=bool(status.trusted and ours),
        signer=status.signing_cert.subject.native.get("common_name") or status.signing_cert.subject.human_friendly,
        signed_at=timezone.localtime(status.signer_reported_dt).strftime("%Y-%m-%d %H:%M:%S")
        if status.signer_reported_dt
        else "",
        metadata=_document_metadata(reader),
        problem="" if intact and ours else ("modified" if not intact else "other signer"),
    )
