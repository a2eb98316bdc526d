"""The agency PKI and the signature formats on bytes: owner-only key files, production refused,
certificate statuses (expired, untrusted), a signature that no longer covers the whole file,
pdfsig on a multi-page PDF, and the ``asan pki`` commands."""

from __future__ import annotations

import hashlib
import stat
import subprocess
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from asan.auth.accounts import create_user
from asan.auth.models import NewUser
from asan.auth.principal import SYSTEM
from asan.cli import app
from asan.core.errors import Forbidden
from asan.core.platform import Platform
from asan.edms.signatures import jws, pades, pki
from asan.edms.signatures.settings import SignatureSettings
from tests.edms.files_support import pdf_with_text

BLOCK = ["Qeydiyyat № / No: Ç-7/2026", "İmzaladı / Signed by: Şəhla Əliyeva"]


def pdf_pages(pages: int) -> bytes:
    """A PDF of ``pages`` pages, each with its own text (pypdf joins one-page PDFs)."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for n in range(pages):
        writer.add_page(PdfReader(io.BytesIO(pdf_with_text(f"Sehife {n + 1}"))).pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdfsig(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(data)
    done = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60)
    return done.stdout + done.stderr


def test_the_ca_is_refused_in_production_and_its_files_are_owner_only(tmp_path: Path) -> None:
    with pytest.raises(Forbidden):
        pki.init_ca(tmp_path, production=True)
    with pytest.raises(Forbidden):
        pki.issue_user(tmp_path, "u-1", "Əli", production=True)
    assert not (tmp_path / "pki").exists()
    pki.issue_user(tmp_path, "u-1", "Əli Məmmədov", production=False)
    folder = tmp_path / "pki"
    for path in [folder, folder / "users", *folder.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))
    again = pki.init_ca(tmp_path, production=False)  # idempotent: the same CA
    assert again == pki.trust_roots(tmp_path, SignatureSettings())[0]


async def test_pades_statuses_coverage_and_pdfsig(tmp_path: Path) -> None:
    signer = pki.issue_user(tmp_path, "u-2", "Şəhla Əliyeva", production=False)
    roots = pki.trust_roots(tmp_path, SignatureSettings())
    original = pdf_pages(5)
    signed = await pades.sign_pdf(original, signer, block=BLOCK, reason="test")
    assert signed.startswith(original)  # an incremental update: the draft's bytes untouched
    verdict = pdfsig(tmp_path, signed)
    assert "Signature is Valid." in verdict and "Total document signed" in verdict, verdict
    assert "Şəhla Əliyeva" in verdict
    found = await pades.verify_pdf(signed, roots)
    assert found.ok and found.signatures[0].signer_id == "u-2"
    assert found.signatures[0].signed_at is not None

    # bytes appended after signing: the signature still checks, but no longer covers the file
    appended = await pades.verify_pdf(signed + b"\n% appended\n", roots)
    assert not appended.ok and not appended.signatures[0].covers_whole_file

    # a root the signature does not chain to; a certificate that has expired
    other = tmp_path / "other"
    pki.init_ca(other, production=False)
    foreign = await pades.verify_pdf(signed, pki.trust_roots(other, SignatureSettings()))
    assert foreign.signatures[0].certificate_status == "untrusted" and not foreign.ok
    old = pki.issue_user(
        tmp_path,
        "u-old",
        "Köhnə",
        production=False,
        days=30,
        valid_from=datetime.now(UTC) - timedelta(days=400),
    )
    expired = await pades.verify_pdf(await pades.sign_pdf(original, old), roots)
    assert expired.signatures[0].certificate_status == "expired"
    assert expired.signatures[0].intact  # the bytes are fine; the certificate is not

    # revoked by the agency CA: its CRL reaches the validator
    pki.revoke_user(tmp_path, "u-2", production=False)
    crls = pki.revocation_lists(tmp_path, SignatureSettings())
    revoked = await pades.verify_pdf(signed, roots, crls=crls)
    assert revoked.signatures[0].certificate_status == "revoked" and not revoked.ok
    assert (await pades.verify_pdf(signed, roots)).ok  # without the CRL nobody knows

    # not a PDF at all: a verdict, not an exception
    assert (await pades.verify_pdf(b"not a pdf", roots)).error is not None


async def test_jws_statuses(tmp_path: Path) -> None:
    signer = pki.issue_user(tmp_path, "u-3", "Ülvi", production=False)
    data = b"PK\x03\x04 a docx would be here"
    statement = jws.statement_for(data, {"documentId": "d-1", "signedAt": jws.now_iso()})
    token = await jws.sign_detached(statement, signer)
    roots = pki.trust_roots(tmp_path, SignatureSettings())
    assert (await jws.verify_detached(data, statement, token, roots)).ok
    later = datetime.now(UTC) + timedelta(days=800)
    at_later = await jws.verify_detached(data, statement, token, roots, at=later)
    assert at_later.certificate_status == "expired"
    assert (await jws.verify_detached(data, statement, token, [])).certificate_status == (
        "untrusted"
    )
    pki.revoke_user(tmp_path, "u-3", production=False)
    crls = pki.revocation_lists(tmp_path, SignatureSettings())
    revoked = await jws.verify_detached(data, statement, token, roots, crls=crls)
    assert revoked.certificate_status == "revoked" and revoked.intact and not revoked.ok
    header, _, signature = token.split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    assert not (await jws.verify_detached(data, statement, f"{header}..{flipped}", roots)).ok


@pytest.fixture(scope="module")
async def cli_user(migrated_platform: Platform) -> str:
    username = f"pki-{uuid.uuid4().hex[:8]}"
    await create_user(
        migrated_platform,
        SYSTEM,
        NewUser(username, "Nərgiz Hüseynova", "correct horse battery", frozenset({"signatory"})),
    )
    return username


def test_asan_pki_commands(cli_user: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASAN_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    first = runner.invoke(app, ["pki", "init"])
    assert first.exit_code == 0, first.output
    ca = (tmp_path / "pki" / "ca.cert.pem").read_bytes()
    second = runner.invoke(app, ["pki", "init"])
    assert second.exit_code == 0 and (tmp_path / "pki" / "ca.cert.pem").read_bytes() == ca
    issued = runner.invoke(app, ["pki", "issue", cli_user])
    assert issued.exit_code == 0, issued.output
    certs = list((tmp_path / "pki" / "users").glob("*.cert.pem"))
    assert len(certs) == 1
    before = hashlib.sha256(certs[0].read_bytes()).hexdigest()
    twice = runner.invoke(app, ["pki", "issue", cli_user])
    assert twice.exit_code == 1  # a second certificate only with --replace
    assert hashlib.sha256(certs[0].read_bytes()).hexdigest() == before
    replaced = runner.invoke(app, ["pki", "issue", cli_user, "--replace"])
    assert replaced.exit_code == 0
    assert hashlib.sha256(certs[0].read_bytes()).hexdigest() != before
    missing = runner.invoke(app, ["pki", "issue", "nobody-" + uuid.uuid4().hex[:6]])
    assert missing.exit_code == 1
    revoked = runner.invoke(app, ["pki", "revoke", cli_user])
    assert revoked.exit_code == 0, revoked.output
    assert (tmp_path / "pki" / "ca.crl.pem").exists()
