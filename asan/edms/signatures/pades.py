"""PAdES signatures on PDFs (pyHanko): sign with a visible block, verify with configured roots.

The signature is an incremental update (the signed bytes are the original file plus the
signature's revision), with the signer's certificate chain embedded and the signing time in the
signed attributes (PAdES B-B: ``/SubFilter /ETSI.CAdES.detached``), so poppler's ``pdfsig``,
Acrobat and pyHanko verify it without anything from us. The visible block (registration number,
date, signer, verification code) is the signature field's appearance: it is part of what the
signature covers, and it is drawn in DejaVu Sans, which has every Azerbaijani letter.

Signing and verifying are CPU work (hashing, RSA, PDF parsing): they run in a worker thread so
the event loop keeps serving.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import TextStampStyle

from asan.core.errors import BadInput
from asan.edms.signatures.font import block_font
from asan.edms.signatures.pki import Credential
from asan.edms.signatures.settings import SignatureSettings
from asan.edms.signatures.signers import open_signer, validation_context
from asan.edms.signatures.status import SignatureCheck, certificate_status

BLOCK_BOX = (36, 36, 316, 112)  # points from the page's lower left corner: 280 x 76


@dataclass(frozen=True)
class PdfVerification:
    """Every signature in a file; ``error`` when the file is not a readable PDF at all."""

    signatures: tuple[SignatureCheck, ...]
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.signatures) and all(s.ok for s in self.signatures)


def _field_name(reader: PdfFileReader) -> str:
    return f"ASAN-Signature-{len(reader.embedded_signatures) + 1}"


def _sign_sync(
    pdf: bytes,
    credential: Credential,
    config: SignatureSettings | None,
    block: Sequence[str] | None,
    reason: str | None,
    location: str,
) -> bytes:
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except (PdfError, ValueError, KeyError, IndexError) as exc:
        raise BadInput(
            f"PDF oxunmur, imzalanmadı / the PDF cannot be read, not signed: {exc}",
            field="documentId",
        ) from None
    if writer.prev.encrypted:
        raise BadInput(
            "şifrələnmiş PDF imzalanmır / an encrypted PDF cannot be signed", field="documentId"
        )
    name = _field_name(writer.prev)
    spec = None
    stamp_style = None
    if block:
        last_page = int(writer.root["/Pages"]["/Count"]) - 1
        spec = fields.SigFieldSpec(sig_field_name=name, on_page=last_page, box=BLOCK_BOX)
        font = GlyphAccumulatorFactory(str(block_font()), font_size=8)
        stamp_style = TextStampStyle(
            stamp_text="\n".join(line.replace("%", "%%") for line in block),
            text_box_style=TextBoxStyle(font=font, font_size=8, leading=11),
            border_width=1,
        )
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        reason=reason,
        location=location,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    out = io.BytesIO()
    with open_signer(credential, config) as signer:
        pdf_signer = signers.PdfSigner(
            meta, signer=signer, stamp_style=stamp_style, new_field_spec=spec
        )
        pdf_signer.sign_pdf(writer, output=out, bytes_reserved=_reserved(credential))
    return out.getvalue()


def _reserved(credential: Credential) -> int:
    """Room for the CMS container: the chain, the signature and attributes, with margin.

    pyHanko would otherwise make a whole dry-run signature to measure it (half the time of a
    signature, and a second use of a token's key).
    """
    chain = (credential.certificate, *credential.chain)
    return 8192 + 2 * sum(len(c.public_bytes(serialization.Encoding.DER)) for c in chain)


async def sign_pdf(
    pdf: bytes,
    credential: Credential,
    *,
    block: Sequence[str] | None = None,
    reason: str | None = None,
    location: str = "Bakı, Azərbaycan",
    config: SignatureSettings | None = None,
) -> bytes:
    """A PAdES-signed copy of ``pdf``; ``block`` lines are drawn on the last page, lower left.

    Other parts call this too (certified copies sign their copy with the certifier's key).
    """
    return await asyncio.to_thread(_sign_sync, pdf, credential, config, block, reason, location)


async def verify_pdf(
    pdf: bytes,
    roots: Sequence[x509.Certificate],
    *,
    at: datetime | None = None,
    crls: Sequence[bytes] = (),
) -> PdfVerification:
    """Check every embedded signature: integrity, coverage of the whole file, chain to ``roots``.

    A signature that covers less than the whole file (bytes appended after signing) is not ok:
    what a reader sees is then not what was signed.
    """
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:  # any parse failure is a verdict on the file, not a crash
        return PdfVerification((), error=f"PDF oxunmur / not a readable PDF: {exc}")
    checks: list[SignatureCheck] = []
    for sig in embedded:
        try:
            status = await async_validate_pdf_signature(
                sig, signer_validation_context=validation_context(roots, at, crls)
            )
        except Exception as exc:
            checks.append(SignatureCheck.broken(sig.field_name, f"{type(exc).__name__}: {exc}"))
            continue
        cert = x509.load_der_x509_certificate(status.signing_cert.dump())
        whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        problems: list[str] = []
        if not status.intact:
            problems.append("imzalanmış baytlar dəyişib / the signed bytes were changed")
        if not status.valid:
            problems.append("imza etibarsızdır / the signature value is invalid")
        if not whole:
            problems.append("imzadan sonra fayl dəyişib / the file was changed after signing")
        checks.append(
            SignatureCheck(
                field=sig.field_name,
                signer_name=_common_name(cert),
                signer_id=_user_id(cert),
                certificate_serial=format(cert.serial_number, "x"),
                signed_at=status.signer_reported_dt,
                intact=bool(status.intact and status.valid),
                covers_whole_file=whole,
                certificate_status=certificate_status(status.trusted, status.trust_problem_indic),
                problems=tuple(problems),
            )
        )
    if not checks:
        return PdfVerification((), error="faylda imza yoxdur / the file has no signature")
    return PdfVerification(tuple(checks))


def _attribute(cert: x509.Certificate, oid: x509.ObjectIdentifier) -> str | None:
    values = cert.subject.get_attributes_for_oid(oid)
    return str(values[0].value) if values else None


def _common_name(cert: x509.Certificate) -> str | None:
    return _attribute(cert, x509.NameOID.COMMON_NAME)


def _user_id(cert: x509.Certificate) -> str | None:
    return _attribute(cert, x509.NameOID.USER_ID)
