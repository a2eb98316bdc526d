"""Importing a BagIt package: the case, its documents and files back in a (new) system.

The package is validated with bagit before anything is read from it; then one audited unit
restores the case (its nomenclature year created when missing), the documents with their
cards, journals and timelines (same ids), every file version into the documents bucket (same
keys, same SHA-256, checked again while reading), the Signature nodes, and the archived
records with their objects put again into the Object Lock bucket with the same retain-until
date (when still ahead) and the same legal hold. A case id that exists is a CONFLICT, unless
it was imported from this very package (same manifest), in which case nothing is done.

Refusals (an existing case, a taken id) are checked before anything is put, and again in
the unit. The objects are put many at once before the unit: locked objects cannot be rolled
back, so a unit that fails (or a process that dies) leaves them for the next run, which finds
them by key and SHA-256 and records them without putting them again; the documents bucket's
files are deleted when the unit fails, and a crash leaves them without a ``StoredObject``,
for ``asan storage sweep``.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from asan.archive.export import package as bag_package
from asan.archive.export import repository as repo
from asan.archive.export.models import ImportReport, highest_classification
from asan.archive.export.package import Package, refused
from asan.archive.export.policy import IMPORT
from asan.archive.export.settings import export_settings
from asan.archive.records import repository as records_repo
from asan.archive.storage.retention import PERMANENT, ArchiveMetadata, archive_key, put_archived
from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.db import Tx
from asan.core.errors import BadInput, Conflict
from asan.core.platform import Platform
from asan.edms.files.use_cases import object_key

Progress = Callable[[int, int], None]
log = logging.getLogger(__name__)


def _read(pkg: Package, bag_path: str | None, sha256: str) -> bytes:
    if not bag_path:
        raise refused("faylın paketdə yolu yoxdur / a file version has no path in the bag")
    data = pkg.payload(bag_path).read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise refused(f"{bag_path}: SHA-256 qeydə uyğun deyil / does not match the recorded one")
    return data


def _resource(pkg: Package) -> Resource:
    return Resource(
        "Case",
        id=str(pkg.case["id"]),
        org_unit=pkg.case.get("unit"),
        status=pkg.case.get("status"),
        classification=highest_classification(c.document.get("classification") for c in pkg.cards),
    )


async def _refuse_taken(tx: Tx, pkg: Package) -> None:
    case = pkg.case
    if not await repo.unit_exists(tx, str(case["unit"])):
        raise BadInput(
            f"bölmə {case['unit']} yoxdur; əvvəlcə təşkilati struktur yüklənməlidir / unit "
            f"{case['unit']} does not exist: load the org structure first",
            field="path",
        )
    if await repo.case_by_index(tx, str(case["index"]), int(case["year"])) is not None:
        raise Conflict(
            f"{case['index']} indeksi {case['year']} ildə başqa işə məxsusdur / index "
            f"{case['index']} is taken in {case['year']} by another case",
            field="path",
        )
    checks: list[tuple[str, list[str]]] = [
        ("Document", [c.document["id"] for c in pkg.cards]),
        ("DocumentFile", [f["id"] for c in pkg.cards for f in c.files]),
        ("Signature", [s["id"] for c in pkg.cards for s in c.signatures]),
        ("ArchivedRecord", [r["id"] for r in pkg.records]),
    ]
    for label, ids in checks:
        taken = await repo.taken_ids(tx, label, ids)
        if taken:
            raise Conflict(
                f"{label} {taken[0]} artıq var / already exists ({len(taken)} of the "
                "package's are taken)",
                field="path",
            )


async def _archive(
    platform: Platform, pkg: Package, progress: Progress | None
) -> dict[str, str | None]:
    """Each record's object in the locked bucket (kept from an earlier run when its SHA-256
    metadata matches); the version id of each record's key."""
    bucket = platform.buckets["archive"]
    case = pkg.case
    case_id = str(case["id"])
    retention = (
        PERMANENT
        if case.get("permanent") or case.get("retentionYears") is None
        else str(case["retentionYears"])
    )
    earlier: dict[str, tuple[str | None, str]] = {}
    for info in await platform.store.list(bucket, prefix=f"{case_id}/"):
        stat = await platform.store.stat(bucket, info.key)
        earlier[info.key] = (stat.version_id, stat.metadata.get("sha256", ""))
    gate = asyncio.Semaphore(export_settings().concurrency)
    versions: dict[str, str | None] = {}
    done = 0

    async def one(record: dict[str, Any]) -> None:
        nonlocal done
        key = archive_key(case_id, record["documentId"], record["fileId"])
        found = earlier.get(key)
        async with gate:
            if found is not None and found[1] == record["sha256"]:
                versions[key] = found[0]
            else:
                data = await asyncio.to_thread(_read, pkg, record.get("bagPath"), record["sha256"])
                stored = await put_archived(
                    platform.store,
                    bucket,
                    key,
                    data,
                    retain_until=record.get("retainUntil"),
                    legal_hold=bool(record.get("legalHold")),
                    metadata=ArchiveMetadata(
                        str(case["index"]),
                        retention,
                        case_id,
                        record["documentId"],
                        record["sha256"],
                    ),
                    content_type=record.get("contentType") or "application/octet-stream",
                )
                versions[key] = stored.version_id
        done += 1
        if progress is not None:
            progress(done, len(pkg.records))

    await asyncio.gather(*(one(r) for r in pkg.records))
    return versions


async def _put_files(platform: Platform, pkg: Package) -> list[dict[str, Any]]:
    """Every file version into the documents bucket (many at once), before the unit: the
    unit registers them; if it fails they are deleted, and a crash leaves files without a
    StoredObject, which ``asan storage sweep`` removes."""
    bucket = platform.buckets["documents"]
    gate = asyncio.Semaphore(export_settings().concurrency)

    async def one(f: dict[str, Any]) -> dict[str, Any]:
        async with gate:
            data = await asyncio.to_thread(_read, pkg, f.get("bagPath"), f["sha256"])
            key = object_key(f["documentId"], f["id"])
            content_type = f.get("contentType") or "application/octet-stream"
            stored = await platform.store.put(
                bucket,
                key,
                data,
                content_type=content_type,
                metadata={
                    "file-id": f["id"],
                    "document-id": f["documentId"],
                    "sha256": f["sha256"],
                },
            )
        row = {k: v for k, v in f.items() if k != "bagPath"}
        return {
            "file": {**row, "bucket": bucket, "objectKey": key},
            "object": {
                "bucket": bucket,
                "key": key,
                "etag": stored.etag,
                "versionId": stored.version_id,
                "size": stored.size,
                "contentType": content_type,
            },
        }

    return list(await asyncio.gather(*(one(f) for c in pkg.cards for f in c.files)))


async def _discard(platform: Platform, objects: list[dict[str, Any]]) -> None:
    for o in objects:
        try:
            await platform.store.delete(o["bucket"], o["key"], o["versionId"])
        except Exception:  # best effort: the sweep removes what is left
            log.warning("could not delete imported object %s/%s", o["bucket"], o["key"])


async def _precheck(platform: Platform, pkg: Package) -> bool:
    """Whether this very package was imported already; refusals before anything is put
    (the unit checks again under its own transaction)."""
    async with platform.db.read_transaction() as tx:
        exists, mark = await repo.import_mark(tx, str(pkg.case["id"]))
        if exists and mark == pkg.identity:
            return True
        if exists:
            raise _exists(str(pkg.case["id"]))
        await _refuse_taken(tx, pkg)
    return False


def _exists(case_id: str) -> Conflict:
    return Conflict(
        f"iş {case_id} artıq var; paket onun üzərinə yazılmır / case {case_id} already "
        "exists: a package is never imported over it",
        field="path",
    )


async def _restore(
    platform: Platform, principal: Principal, pkg: Package, progress: Progress | None
) -> dict[str, Any]:
    case_id = str(pkg.case["id"])
    if await _precheck(platform, pkg):
        return {"already": True}
    versions = await _archive(platform, pkg, progress)
    put = await _put_files(platform, pkg)
    files = [p["file"] for p in put]

    async def work(m: Mutation) -> dict[str, Any]:
        exists, _ = await repo.import_mark(m.tx, case_id)
        if exists:
            raise _exists(case_id)
        await _refuse_taken(m.tx, pkg)
        case = {
            **pkg.case,
            "importedBag": pkg.identity,
            "importedAt": datetime.now(UTC),
            "importedBy": principal.subject,
        }
        await repo.restore_case(m.tx, case, pkg.nomenclature)
        journals = {c.journal["code"]: c.journal for c in pkg.cards if c.journal}
        await repo.restore_documents(
            m.tx, case_id, [c.document for c in pkg.cards], list(journals.values())
        )
        await repo.restore_timeline(m.tx, [e for c in pkg.cards for e in c.timeline])
        await repo.register_objects(m.tx, [p["object"] for p in put])
        await repo.restore_files(m.tx, files)
        signatures = [s for c in pkg.cards for s in c.signatures]
        await repo.restore_signatures(m.tx, signatures)
        bucket = platform.buckets["archive"]
        records = []
        for r in pkg.records:
            key = archive_key(case_id, r["documentId"], r["fileId"])
            row = {k: v for k, v in r.items() if k != "bagPath"}
            records.append({**row, "bucket": bucket, "key": key, "versionId": versions[key]})
        await records_repo.add_many(m.tx, case_id, records)
        m.changed("Case", case_id, "created", ("index", "status", "importedBag"))
        for c in pkg.cards:
            m.changed("Document", c.document["id"], "created", ("caseIndex",))
        for f in files:
            m.changed("DocumentFile", f["id"], "created", ("documentId", "role", "version"))
        for s in signatures:
            m.changed("Signature", s["id"], "created", ("documentId", "fileId"))
        size = sum(int(f["size"]) for f in files)
        m.detail(
            caseId=case_id,
            index=pkg.case["index"],
            package=pkg.identity,
            documents=len(pkg.cards),
            files=len(files),
            bytes=size,
        )
        return {"already": False, "files": len(files), "signatures": len(signatures), "bytes": size}

    try:
        return await run_mutation(platform, principal, IMPORT, _resource(pkg), work)
    except BaseException:
        await _discard(platform, [p["object"] for p in put])
        raise


async def import_bag(
    platform: Platform, principal: Principal, source: Path, *, progress: Progress | None = None
) -> ImportReport:
    """Validate the package at ``source`` (a bag folder or its .tar) and restore it."""
    with tempfile.TemporaryDirectory(prefix="asan-import-") as tmp:
        folder = await asyncio.to_thread(bag_package.unpack, source, Path(tmp))
        await asyncio.to_thread(bag_package.validate, folder, export_settings().processes)
        pkg = await asyncio.to_thread(bag_package.load, folder)
        done = await _restore(platform, principal, pkg, progress)
    return ImportReport(
        case_id=str(pkg.case["id"]),
        index=str(pkg.case["index"]),
        year=int(pkg.case["year"]),
        documents=len(pkg.cards),
        files=int(done.get("files", 0)),
        signatures=int(done.get("signatures", 0)),
        bytes=int(done.get("bytes", 0)),
        already=bool(done["already"]),
    )
