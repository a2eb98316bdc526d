"""BagIt export and import of a permanent case, round trip on real Neo4j and MinIO.

A permanent case with a PAdES-signed document is exported through GraphQL, downloaded and
validated with bagit; then the system is emptied and the package is imported with the CLI
(the last test of the module: it resets the graph).

"An empty system": the same Neo4j with its graph reset to a freshly migrated one and the
org structure and users seeded again (what ``make_world`` does for every module), and a
second platform on the same MinIO with its own bucket prefix, so its documents and Object
Lock archive buckets are new and empty. That is what an empty system is to the import (no
case, document, file or object of the package exists) without starting a second Neo4j and
MinIO on a shared two-core machine. The CLI import runs with that bucket prefix.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import re
import shutil
import subprocess
import tarfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bagit
import pytest
from cryptography import x509
from typer.testing import CliRunner, Result

from asan.archive.cases.use_cases import change_status
from asan.archive.export import use_cases as export_use_cases
from asan.archive.export.restore import import_bag
from asan.archive.export.settings import export_settings
from asan.archive.records.ingest import ingest_case
from asan.archive.storage.retention import read_retention
from asan.auth.pipeline import Mutation, run_mutation
from asan.core.errors import BadInput, Conflict
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.edms.documents.access import document_target
from asan.edms.files.policy import FILE_UPLOAD
from asan.edms.files.reads import current_file, read_bytes
from asan.edms.files.use_cases import store_file_in_unit
from asan.edms.signatures import jws, pades
from asan.edms.signatures import repository as signatures_repo
from asan.edms.signatures.credentials import credential_for, signature_settings
from asan.edms.signatures.verification import verify_document_signature
from tests.archive.support import BuiltCase, build_case
from tests.edms.conftest import World, make_world

EXPORT = """
mutation($input: ExportCaseInput!) {
  exportCase(input: $input) {
    export { exportId caseId index year status files bytes sha256 validated downloadUrl }
    userErrors { field message code }
  }
}
"""
EXPORTS = """
query($caseId: ID) {
  archiveExports(caseId: $caseId, first: 10) {
    totalCount edges { node { exportId status validated } }
  }
}
"""


@pytest.fixture(scope="module")
def export_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("exports")
    patch = pytest.MonkeyPatch()
    patch.setenv("ASAN_ARCHIVE_EXPORT_DIR", str(folder))
    export_settings.cache_clear()
    yield folder
    patch.undo()
    export_settings.cache_clear()


@pytest.fixture(scope="module")
async def world(
    migrated_platform: Platform,
    settings: Settings,
    tmp_path_factory: pytest.TempPathFactory,
    export_dir: Path,
) -> AsyncIterator[World]:
    built = await make_world(migrated_platform, settings, tmp_path_factory.mktemp("export-keys"))
    yield built
    await built.client.aclose()


async def sign_original(w: World, document_id: str) -> str:
    """The document's original signed with PAdES by the chairman and stored as its signed
    version with a Signature node, as asan/edms/signatures does when a document is signed."""
    chairman = w.principal("chairman")
    config = signature_settings()
    credential = await credential_for(w.platform.settings, config, chairman.subject, "Sədr")
    original = await current_file(w.platform.db, document_id, "original")
    assert original is not None
    signed = await pades.sign_pdf(
        await read_bytes(w.platform, original),
        credential,
        block=["İmzaladı / Signed by: Sədr", "Yoxlama kodu / Verification code: ABCD-EFGH-JKLM"],
        config=config,
    )

    async def work(m: Mutation) -> str:
        stored = await store_file_in_unit(
            m,
            document_id,
            signed,
            filename="məktub-imzalı.pdf",
            content_type="application/pdf",
            role="signed",
            derived_from=original.id,
        )
        await signatures_repo.create_signature(
            m.tx,
            {
                "id": "sig_" + uuid.uuid4().hex,
                "documentId": document_id,
                "fileId": stored.id,
                "sourceFileId": original.id,
                "kind": "pades",
                "sha256": stored.sha256,
                "signer": chairman.subject,
                "signerName": "Sədr",
                "actingFor": None,
                "actingForName": None,
                "signedAt": stored.created_at,
                "regNumber": None,
                "verificationCode": "ABCD-EFGH-JKLM",
                "certificateSerial": format(credential.certificate.serial_number, "x"),
                "jws": None,
                "statement": None,
            },
        )
        return stored.id

    return await run_mutation(
        w.platform, w.principal("registrar"), FILE_UPLOAD, document_target(document_id), work
    )


async def sign_text(w: World, document_id: str) -> str:
    """A text file of the document signed with a detached JWS (as non-PDF files are)."""
    chairman = w.principal("chairman")
    config = signature_settings()
    credential = await credential_for(w.platform.settings, config, chairman.subject, "Sədr")
    data = "Arayış: əmrin surəti arxivə verilir.\n".encode()
    statement = jws.statement_for(data, {"documentId": document_id, "signer": chairman.subject})
    token = await jws.sign_detached(statement, credential, config)

    async def work(m: Mutation) -> str:
        stored = await store_file_in_unit(
            m, document_id, data, filename="arayış.txt", content_type="text/plain", role="signed"
        )
        await signatures_repo.create_signature(
            m.tx,
            {
                "id": "sig_" + uuid.uuid4().hex,
                "documentId": document_id,
                "fileId": stored.id,
                "kind": "jws",
                "sha256": stored.sha256,
                "signer": chairman.subject,
                "signerName": "Sədr",
                "signedAt": stored.created_at,
                "verificationCode": "JWSX-JWSX-JWSX",
                "certificateSerial": format(credential.certificate.serial_number, "x"),
                "jws": token,
                "statement": statement,
            },
        )
        return stored.id

    return await run_mutation(
        w.platform, w.principal("registrar"), FILE_UPLOAD, document_target(document_id), work
    )


async def permanent_case(w: World, number: int, *, sign: bool = True) -> BuiltCase:
    """A permanent case closed in 2014, ingested, transferred and kept permanently.

    ``transferred`` is set directly: the transfer part's acceptance has its own tests and
    this module must not depend on its steps; "kept permanently" is the real lifecycle step.
    """
    built = await build_case(w, year=2014, number=number, permanent=True, documents=2)
    if sign:
        built.files.append(await sign_original(w, built.documents[0]))
        built.files.append(await sign_text(w, built.documents[1]))
    await ingest_case(w.platform, w.principal("archivist"), built.case_id)
    await w.platform.db.write(
        "MATCH (c:Case {id: $id}) SET c.status = 'transferred'", {"id": built.case_id}
    )
    await change_status(w.platform, w.principal("archivist"), built.case_id, "permanent")
    return built


@dataclass
class Source:
    """What the source system held, read before it is emptied."""

    case: dict[str, Any]
    documents: dict[str, dict[str, Any]]
    files: dict[str, dict[str, Any]]
    signatures: dict[str, dict[str, Any]]
    records: dict[str, dict[str, Any]]


def _plain(props: dict[str, Any], *drop: str) -> dict[str, Any]:
    return {
        k: (v.to_native() if hasattr(v, "to_native") else v)
        for k, v in props.items()
        if k not in drop
    }


async def snapshot(p: Platform, case_id: str) -> Source:
    db = p.db
    [case] = await db.read("MATCH (c:Case {id: $id}) RETURN properties(c) AS c", {"id": case_id})
    docs = await db.read(
        "MATCH (d:Document)-[:FILED_IN]->(:Case {id: $id}) RETURN properties(d) AS d",
        {"id": case_id},
    )
    ids = [d["d"]["id"] for d in docs]
    files = await db.read(
        "MATCH (f:DocumentFile) WHERE f.documentId IN $ids RETURN properties(f) AS f", {"ids": ids}
    )
    sigs = await db.read(
        "MATCH (s:Signature) WHERE s.documentId IN $ids RETURN properties(s) AS s", {"ids": ids}
    )
    records = await db.read(
        "MATCH (r:ArchivedRecord {caseId: $id}) RETURN properties(r) AS r", {"id": case_id}
    )
    return Source(
        case=_plain(case["c"], "importedBag", "importedAt", "importedBy"),
        documents={d["d"]["id"]: _plain(d["d"]) for d in docs},
        files={f["f"]["id"]: _plain(f["f"], "bucket") for f in files},
        signatures={s["s"]["id"]: _plain(s["s"]) for s in sigs},
        records={r["r"]["id"]: _plain(r["r"]) for r in records},
    )


def run_cli(prefix: str | None, *args: str) -> Result:
    """``asan archive ...`` in this process (typer's runner), in a thread of its own: the
    command runs its own event loop; ``prefix`` selects the buckets (the empty system's)."""
    from asan.archive.cli import archive_app

    env = {"ASAN_BUCKET_PREFIX": prefix} if prefix else None
    return CliRunner().invoke(archive_app, list(args), env=env)


def unpack(tar_bytes: bytes, into: Path) -> Path:
    with tarfile.open(fileobj=io.BytesIO(tar_bytes)) as tar:
        tar.extractall(into, filter="data")
    [folder] = [p.parent for p in into.glob("*/bagit.txt")]
    return folder


async def test_a_tampered_package_is_refused_naming_the_file(world: World, tmp_path: Path) -> None:
    w = world
    built = await permanent_case(w, 2, sign=False)
    data = await w.gql("registrar", EXPORT, {"input": {"caseId": built.case_id}})
    made = data["exportCase"]["export"]
    response = await w.client.get(made["downloadUrl"], headers=w.headers("registrar"))
    folder = unpack(response.content, tmp_path / "bag")
    victim = sorted((folder / "data" / "documents").glob("*/files/*"))[0]
    raw = bytearray(victim.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    victim.write_bytes(bytes(raw))
    name = str(victim.relative_to(folder))
    with pytest.raises(BadInput, match=re.escape(name)):
        await import_bag(w.platform, w.principal("archivist"), folder)
    by_cli = await asyncio.to_thread(run_cli, None, "import", str(folder))
    assert by_cli.exit_code == 1 and name in by_cli.output.replace("\n", ""), by_cli.output
    # refused before anything was written: the case is still only the source's
    rows = await w.platform.db.read(
        "MATCH (c:Case {id: $id}) RETURN c.importedBag AS bag", {"id": built.case_id}
    )
    assert rows == [{"bag": None}]


async def test_refusals_and_a_damaged_archive_copy(world: World) -> None:
    w = world
    kept = await build_case(w, year=2013, number=1, retention_years=5, documents=1)
    data = await w.gql("archivist", EXPORT, {"input": {"caseId": kept.case_id}})
    [error] = data["exportCase"]["userErrors"]
    assert error["code"] == "INVALID_TRANSITION" and "DEPT-IT-01" in error["message"]

    # a case holding a secret document: only people cleared for it export and see exports
    secret = await permanent_case(w, 4, sign=False)
    await w.platform.db.write(
        "MATCH (d:Document {id: $id}) SET d.classification = 'service_secret'",
        {"id": secret.documents[0]},
    )
    refused = await w.post("archivist", EXPORT, {"input": {"caseId": secret.case_id}})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    request = {"caseId": secret.case_id, "clientMutationId": "export-secret-1"}
    first = await w.gql("registrar", EXPORT, {"input": request})
    repeated = await w.gql("registrar", EXPORT, {"input": request})
    made = first["exportCase"]["export"]
    assert made["validated"] and repeated["exportCase"]["export"] == made  # done once
    assert (await w.gql("registrar", EXPORTS, {"caseId": None}))["archiveExports"][
        "totalCount"
    ] >= 1
    hidden = await w.post("archivist", EXPORTS, {"caseId": secret.case_id})
    assert hidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    listed = await w.gql("registrar2", EXPORTS, {"caseId": None})  # public clearance
    assert made["exportId"] not in str(listed)
    download = await w.client.get(made["downloadUrl"], headers=w.headers("registrar2"))
    assert download.status_code == 404

    # an archived record whose recorded SHA-256 no longer matches its object: the export
    # fails naming it, is recorded as failed, and no package is claimed
    built = await permanent_case(w, 3, sign=False)
    [victim] = await w.platform.db.read(
        "MATCH (r:ArchivedRecord {caseId: $id}) RETURN r.id AS id, r.fileId AS fileId "
        "ORDER BY r.id LIMIT 1",
        {"id": built.case_id},
    )
    await w.platform.db.write(
        "MATCH (r:ArchivedRecord {id: $id}) SET r.sha256 = $sha",
        {"id": victim["id"], "sha": "0" * 64},
    )
    data = await w.gql("archivist", EXPORT, {"input": {"caseId": built.case_id}})
    [error] = data["exportCase"]["userErrors"]
    assert error["code"] == "CONFLICT" and victim["fileId"] in error["message"]
    listed = await w.gql("archivist", EXPORTS, {"caseId": built.case_id})
    [edge] = listed["archiveExports"]["edges"]
    assert edge["node"]["status"] == "FAILED" and not edge["node"]["validated"]


async def test_an_export_slower_than_the_request_finishes_in_the_background(
    world: World,
) -> None:
    w = world
    built = await permanent_case(w, 5, sign=False)
    # the writing waits for a gate, so the request's wait surely ends first (on a fast machine
    # a small bag could otherwise be written within the request's wait)
    gate = asyncio.Event()
    write = export_use_cases._write

    async def gated(*args: Any, **kwargs: Any) -> Any:
        await gate.wait()
        return await write(*args, **kwargs)

    patch = pytest.MonkeyPatch()
    patch.setenv("ASAN_ARCHIVE_EXPORT_WAIT_SECONDS", "0.001")
    patch.setattr(export_use_cases, "_write", gated)
    export_settings.cache_clear()
    try:
        data = await w.gql("archivist", EXPORT, {"input": {"caseId": built.case_id}})
    finally:
        patch.undo()
        export_settings.cache_clear()
        gate.set()
    made = data["exportCase"]["export"]
    assert (made["status"], made["validated"], made["downloadUrl"]) == ("WRITING", False, None)
    await asyncio.wait_for(asyncio.gather(*export_use_cases._RUNNING), timeout=120)
    listed = await w.gql("archivist", EXPORTS, {"caseId": built.case_id})
    [edge] = listed["archiveExports"]["edges"]
    assert (edge["node"]["exportId"], edge["node"]["status"]) == (made["exportId"], "DONE")
    assert edge["node"]["validated"]


async def test_round_trip_into_an_empty_system(
    world: World, settings: Settings, tmp_path: Path
) -> None:
    w = world
    built = await permanent_case(w, 1)
    signed_document = built.documents[0]
    before = await snapshot(w.platform, built.case_id)
    assert len(before.files) == 4 and len(before.signatures) == 2 and len(before.records) == 4

    # export through GraphQL; the archivist (public clearance) may, an executor may not
    refused = await w.post("executor1", EXPORT, {"input": {"caseId": built.case_id}})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    data = await w.gql("archivist", EXPORT, {"input": {"caseId": built.case_id}})
    payload = data["exportCase"]
    assert payload["userErrors"] == []
    made = payload["export"]
    assert (made["status"], made["validated"], made["files"]) == ("DONE", True, 4)
    assert (made["index"], made["year"]) == ("DEPT-IT-01", 2014)
    listed = await w.gql("registrar", EXPORTS, {"caseId": built.case_id})
    assert listed["archiveExports"]["totalCount"] == 1

    # the download is the recorded tar; the bag inside validates and says what it holds
    response = await w.client.get(made["downloadUrl"], headers=w.headers("archivist"))
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == made["sha256"]
    assert len(response.content) == made["bytes"]
    anonymous = await w.client.get(made["downloadUrl"])
    assert anonymous.status_code == 401
    forbidden = await w.client.get(made["downloadUrl"], headers=w.headers("executor1"))
    assert forbidden.status_code == 403
    folder = unpack(response.content, tmp_path / "downloaded")
    bag = bagit.Bag(str(folder))
    bag.validate()
    assert bag.info["External-Identifier"] == "DEPT-IT-01/2014"
    assert bag.info["Source-Organization"].startswith("ASAN xidmət")
    assert {"Bagging-Date", "Payload-Oxum"} <= set(bag.info)
    assert set(bag.algorithms) >= {"sha256", "sha512"}
    head = json.loads((folder / "data" / "case.json").read_text(encoding="utf-8"))
    assert head["case"]["title"] == "Daxil olan məktublar" and head["summary"]["permanent"]
    fixity = json.loads((folder / "data" / "fixity.json").read_text(encoding="utf-8"))
    for record in fixity["records"]:
        data_bytes = (folder / record["bagPath"]).read_bytes()
        assert hashlib.sha256(data_bytes).hexdigest() == record["sha256"]
    assert sorted(r["fileId"] for r in fixity["records"]) == sorted(built.files)
    roots = x509.load_pem_x509_certificates(
        (folder / "data" / "signatures" / "trust-roots.pem").read_bytes()
    )

    # the CLI exports the same case by its index and year, with a progress bar
    out = tmp_path / "cli-out"
    by_cli = await asyncio.to_thread(run_cli, None, "export", "DEPT-IT-01/2014", "--out", str(out))
    assert by_cli.exit_code == 0, by_cli.output
    [cli_tar] = out.glob("*.tar")
    assert "validated" in by_cli.output and str(cli_tar) in by_cli.output.replace("\n", "")

    # an empty system: the graph reset and seeded again, new empty buckets
    tar = tmp_path / "case.tar"
    tar.write_bytes(response.content)
    w2 = await make_world(w.platform, settings, tmp_path / "keys2")
    prefix = f"asan-test-e-{uuid.uuid4().hex[:8]}"
    target = Platform.connect(settings.model_copy(update={"bucket_prefix": prefix}))
    try:
        await target.ensure_buckets()
        done = await asyncio.to_thread(run_cli, prefix, "import", str(tar))
        assert done.exit_code == 0, done.output
        assert "imported DEPT-IT-01/2014" in done.output

        after = await snapshot(target, built.case_id)
        assert after.case == before.case
        assert after.documents == before.documents
        assert after.files == before.files
        assert after.signatures == before.signatures
        for record_id, record in before.records.items():
            restored = after.records[record_id]
            assert restored["sha256"] == record["sha256"]
            assert restored["legalHold"] is True and restored.get("retainUntil") is None
            assert restored["bucket"] == target.buckets["archive"]
            locked = await read_retention(
                target.store, restored["bucket"], restored["key"], restored["versionId"]
            )
            assert locked.legal_hold
            archived = await target.store.get(
                restored["bucket"], restored["key"], restored["versionId"]
            )
            assert hashlib.sha256(archived).hexdigest() == record["sha256"]
        for file_id, file in before.files.items():
            stored = await target.store.get(target.buckets["documents"], file["objectKey"])
            assert hashlib.sha256(stored).hexdigest() == file["sha256"], file_id

        for document_id in built.documents:  # the PAdES one and the detached JWS
            verdict = await verify_document_signature(
                target, w2.principal("registrar"), document_id
            )
            assert verdict.valid, verdict
        signed = await current_file(target.db, signed_document, "signed")
        assert signed is not None
        signed_bytes = await read_bytes(target, signed)
        own = await pades.verify_pdf(signed_bytes, roots)
        assert own.error is None and all(s.ok for s in own.signatures)
        (tmp_path / "signed.pdf").write_bytes(signed_bytes)
        poppler = await asyncio.to_thread(
            subprocess.run,
            ["pdfsig", str(tmp_path / "signed.pdf")],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert "Signature is Valid." in poppler.stdout, poppler.stdout + poppler.stderr

        # the same package again: nothing to do
        again = await import_bag(target, w2.principal("archivist"), tar)
        assert again.already and again.case_id == built.case_id

        # another package for the same case id: refused, never imported over it
        other = tmp_path / "other"
        shutil.copytree(folder, other)
        case_json = other / "data" / "case.json"
        case_json.write_text(
            case_json.read_text(encoding="utf-8").replace(head["exportedAt"], "2020-01-01"),
            encoding="utf-8",
        )
        bagit.Bag(str(other)).save(manifests=True)
        with pytest.raises(Conflict, match="already exists"):
            await import_bag(target, w2.principal("archivist"), other)
    finally:
        for bucket in target.buckets.values():
            await target.store.remove_bucket(bucket)
        await target.close()
