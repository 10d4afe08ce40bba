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

from .pdf import SealBox, render_pdf_string
from .seal import SEAL_MM, seal_data_uri

SIGNATURE_FIELD = "VendorSignature"


@dataclass(frozen=True)
class CertificateInfo:
    subject: str
    issuer: str
    serial: str
    valid_from: str
    valid_until: str
    sha256: str


@dataclass(frozen=True)
class VerificationResult:
    signed: bool
    intact: bool = False
    trusted: bool = False
    signer: str = ""
    signed_at: str = ""  # as the signer's clock reported it (Beijing time)
    metadata: dict[str, str] = field(default_factory=dict)
    problem: str = ""
    certificate: CertificateInfo | None = None
    timestamp: str = ""  # the RFC 3161 timestamp's time, when the seal carries one
    timestamp_authority: str = ""
    long_term: bool = False  # validation data embedded (PAdES B-LT)

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
    from pyhanko.sign import signers  # noqa: PLC0415 (pyHanko is heavy: loaded only when sealing or verifying)

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


def signing_tsa_roots() -> list[asn1_x509.Certificate]:
    """The timestamp authority's root certificates (PEM file), to validate its tokens."""
    path = settings.SIGNING_TSA_ROOTS
    if not path:
        return []
    from asn1crypto import pem  # noqa: PLC0415 (pyHanko's ASN.1 library: loaded only when sealing or verifying)

    with open(path, "rb") as fh:
        data = fh.read()
    return [asn1_x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]


def _validation_context(*, for_signing: bool = False):
    from pyhanko_certvalidator import ValidationContext  # noqa: PLC0415 (pyHanko is heavy: loaded only when sealing or verifying)

    # Our own development CA publishes no revocation information; a CA-issued certificate does,
    # and production allows fetching it (SIGNING_FETCH_REVOCATION) for the long-term data.
    return ValidationContext(
        trust_roots=[*signing_trust_roots(), *signing_tsa_roots()],
        allow_fetching=bool(settings.SIGNING_FETCH_REVOCATION),
        revocation_mode="soft-fail",
        other_certs=list(signing_signer().cert_registry) if for_signing else [],
    )


class _PdfBytesPage:
    """The first page of a PDF held in memory, as pyHanko content (a form XObject)."""

    def __new__(cls, data: bytes):
        from pyhanko.pdf_utils.content import PdfContent  # noqa: PLC0415 (pyHanko is heavy: loaded only when sealing or verifying)
        from pyhanko.pdf_utils.layout import BoxConstraints  # noqa: PLC0415 (pyHanko is heavy: loaded only when sealing or verifying)
        from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: PLC0415 (pyHanko is heavy: loaded only when sealing or verifying)

        class _Page(PdfContent):
            def render(self) -> bytes:
                xobject = self._ensure_writer.import_page_as_xobject(PdfFileReader(io.BytesIO(data)), page_ix=0)
                self.resources.xobject["/Seal"] = xobject
                x1, y1, x2, y2 = xobject.get_object()["/BBox"]
                self.box = BoxConstraints(width=abs(x2 - x1), height=abs(y2 - y1))
                return b"/Seal Do"

        return _Page()


@cache
def seal_appearance_pdf(organization: str, purpose: str) -> bytes:
    """The seal as a one-page PDF of its own size: the visible appearance of the signature."""

    html = (
        f"<html><head><style>@page {{ size: {SEAL_MM}mm {SEAL_MM}mm; margin: 0 }} body {{ margin: 0 }}</style>"
        f'</head><body><img style="display: block; width: {SEAL_MM}mm; height: {SEAL_MM}mm" '
        f'src="{seal_data_uri(organization=organization, purpose=purpose)}"></body></html>'
    )
    return render_pdf_string(html)


def _timestamper():
    if not settings.SIGNING_TSA_URL:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper  # noqa: PLC0415 (pyHanko is heavy: loaded only when sealing or verifying)

    return HTTPTimeStamper(settings.SIGNING_TSA_URL, timeout=settings.SIGNING_TSA_TIMEOUT)


def pdf_sign(
    *, pdf: bytes, reason: str, location: str, organization: str, purpose: str, seal: SealBox | None = None
) -> bytes:
    """Seal ``pdf`` with the organisation's certificate (PAdES), keeping PDF/A (incremental update).

    The visible signature is the organisation's round seal, drawn where the sign-off block put it
    (``seal``), else at the bottom right of the last page. With SIGNING_TSA_URL set, the signature
    carries an RFC 3161 timestamp and its validation data (PAdES B-LT); without, it is B-B.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: PLC0415 (pyHanko is heavy: loaded only when sealing or verifying)
    from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule  # noqa: PLC0415 (pyHanko is heavy: loaded only when sealing or verifying)
    from pyhanko.sign import fields, signers  # noqa: PLC0415 (pyHanko is heavy: loaded only when sealing or verifying)
    from pyhanko.stamp import StaticStampStyle  # noqa: PLC0415 (pyHanko is heavy: loaded only when sealing or verifying)

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    if seal is None:
        page_count = int(writer.root["/Pages"]["/Count"])
        # A4 is 595 × 842 pt: 40 mm (113 pt) above the footer, right-aligned.
        seal = SealBox(page=page_count - 1, box=(452, 70, 565, 183))
    timestamper = _timestamper()
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        reason=reason,
        location=location,
        name=organization,
        subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=timestamper is not None,
        validation_context=_validation_context(for_signing=True) if timestamper is not None else None,
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signing_signer(),
        timestamper=timestamper,
        stamp_style=StaticStampStyle(
            background=_PdfBytesPage(seal_appearance_pdf(organization, purpose)),
            background_layout=SimpleBoxLayoutRule(
                x_align=AxisAlignment.ALIGN_MID, y_align=AxisAlignment.ALIGN_MID, margins=Margins.uniform(0)
            ),
            border_width=0,
        ),
        new_field_spec=fields.SigFieldSpec(sig_field_name=SIGNATURE_FIELD, on_page=seal.page, box=seal.box),
    )
    return pdf_signer.sign_pdf(writer).getvalue()


def seal_rectangle(pdf: bytes) -> tuple[float, float, float, float]:
    """Where the seal's signature appears on its page, in points from the top left (for tests and
    checks of a layout: the PDF's own /Rect counts from the bottom left)."""
    from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: PLC0415 (pyHanko is heavy: loaded only when reading PDFs)

    reader = PdfFileReader(io.BytesIO(pdf))
    (sig,) = [f.get_object() for f in reader.root["/AcroForm"]["/Fields"] if f.get_object()["/T"] == SIGNATURE_FIELD]
    x1, y1, x2, y2 = (float(v) for v in sig["/Rect"])
    page = sig.get("/P")
    media_box = (page.get_object() if page is not None else reader.root["/Pages"]["/Kids"][0].get_object())["/MediaBox"]
    height = float(media_box[3])
    return x1, height - y2, x2, height - y1


def _document_metadata(reader) -> dict[str, str]:
    info = reader.trailer_view.get("/Info")
    if info is None:
        return {}
    info = info.get_object()
    return {str(key).lstrip("/"): str(value) for key, value in info.items()}


def _common_name(certificate: asn1_x509.Certificate) -> str:
    return certificate.subject.native.get("common_name") or certificate.subject.human_friendly


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _certificate_info(certificate: asn1_x509.Certificate) -> CertificateInfo:
    validity = certificate["tbs_certificate"]["validity"]
    return CertificateInfo(
        subject=certificate.subject.human_friendly,
        issuer=certificate.issuer.human_friendly,
        serial=format(certificate.serial_number, "x"),
        valid_from=_local(validity["not_before"].native),
        valid_until=_local(validity["not_after"].native),
        sha256=certificate.sha256_fingerprint.replace(" ", ""),
    )


def _untouched_since(status, pdf: bytes) -> bool:
    """Nothing changed the file after the seal: it covers the whole file, or what follows is only
    long-term validation data (a DSS update pyHanko's difference analysis accepts), and nothing
    trails the last revision."""
    from pyhanko.sign.diff_analysis import ModificationLevel  # noqa: PLC0415 (pyHanko is heavy: loaded only when sealing or verifying)

    if not pdf.rstrip().endswith(b"%%EOF"):
        return False
    coverage = status.coverage.name if status.coverage is not None else ""
    if coverage == "ENTIRE_FILE":
        return True
    return coverage == "ENTIRE_REVISION" and status.modification_level in (
        ModificationLevel.NONE,
        ModificationLevel.LTA_UPDATES,
    )


def pdf_verify(*, pdf: bytes) -> VerificationResult:
    """Is the file intact, signed by our organisation's certificate, and what does it say it is?"""
    from pyhanko.pdf_utils.misc import PdfReadError  # noqa: PLC0415 (pyHanko is heavy: loaded only when sealing or verifying)
    from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: PLC0415 (pyHanko is heavy: loaded only when sealing or verifying)
    from pyhanko.sign.validation import validate_pdf_signature  # noqa: PLC0415 (pyHanko is heavy: loaded only when sealing or verifying)

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        return VerificationResult(signed=False, problem=f"unreadable: {exc.__class__.__name__}")
    if not embedded:
        return VerificationResult(signed=False, problem="unsigned")
    signature = embedded[-1]
    certificate = signing_certificate()
    context = _validation_context()
    try:
        status = validate_pdf_signature(signature, context, ts_validation_context=_validation_context())
    except Exception as exc:  # a damaged signature is a verdict, not an error page
        return VerificationResult(signed=True, problem=f"damaged: {exc.__class__.__name__}")
    # Anything appended after signing (even an incremental update) counts as a change.
    intact = bool(status.intact and status.valid and _untouched_since(status, pdf) and signature is embedded[-1])
    ours = status.signing_cert.public_key.dump() == certificate.public_key.dump()
    timestamp = status.timestamp_validity
    return VerificationResult(
        signed=True,
        intact=intact,
        trusted=bool(status.trusted and ours),
        signer=_common_name(status.signing_cert),
        signed_at=_local(status.signer_reported_dt),
        metadata=_document_metadata(reader),
        problem="" if intact and ours else ("modified" if not intact else "other signer"),
        certificate=_certificate_info(status.signing_cert),
        timestamp=_local(timestamp.timestamp) if timestamp is not None and timestamp.valid else "",
        timestamp_authority=_common_name(timestamp.signing_cert) if timestamp is not None else "",
        long_term=b"/DSS" in pdf,
    )
