"""Writing a case as a BagIt package (RFC 8493) with the ``bagit`` library, then checking it.

The payload (``data/``) is the case's metadata (``case.json``), one folder per document with
its registration card, journal, timeline, signatures and file list (``card.json``) and every
archived file version, read from the archive bucket by its pinned version id and checked
against the SHA-256 recorded at ingest before it is written; ``fixity.json`` lists each file
with that SHA-256 and where the archive keeps it; ``signatures/trust-roots.pem`` is the
agency's CA, against which the signed PDFs verify. bagit then writes the SHA-256 and SHA-512
manifests and bag-info.txt, and the bag is validated (every manifest entry re-hashed) before
anyone is told it exists; finally it is packed as one .tar beside the folder.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import tarfile
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import bagit
from cryptography.hazmat.primitives import serialization

from asan.archive.export.codec import encode
from asan.archive.export.models import (
    CARD_FILE,
    CASE_FILE,
    DOCUMENTS_DIR,
    FIXITY_FILE,
    FORMAT,
    SOURCE_ORGANIZATION,
    TRUST_ROOTS_FILE,
)
from asan.core.platform import Platform
from asan.edms.signatures.credentials import signature_settings, trust_roots_for

Progress = Callable[[int, int], None]  # (done, total) after each file
CHECKSUMS = ("sha256", "sha512")
# bagit.make_bag changes the process's working directory while it runs: two at once in one
# process (two exports in the API's worker threads) would write into each other's bags
_MAKING = threading.Lock()


class BagRefused(RuntimeError):
    """The bag cannot be written as a true copy (a file that does not match its SHA-256, a
    missing version, a bag that does not validate); the message names what."""


@dataclass(frozen=True)
class Snapshot:
    """What one export reads from the graph, in one transaction."""

    case: Mapping[str, Any]
    nomenclature: Mapping[str, Any] | None
    unit: Mapping[str, Any] | None
    documents: Sequence[Mapping[str, Any]]  # rows: document, journal, timeline, files, signatures
    records: Sequence[Mapping[str, Any]]  # ArchivedRecord properties


@dataclass(frozen=True)
class WrittenBag:
    folder: Path
    tar: Path
    tar_bytes: int
    tar_sha256: str
    files: int
    payload_bytes: int


def _safe(text: str, limit: int = 40) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", text)[:limit] or "x"


def file_path(record: Mapping[str, Any]) -> str:
    """A payload path made of ASCII ids (the real name, often Azerbaijani, is in card.json)."""
    suffix = PurePosixPath(str(record.get("filename") or "")).suffix
    ext = _safe(suffix, 10) if suffix.isascii() and suffix else ""
    version, role = int(record["fileVersion"]), _safe(str(record["role"]))
    name = f"v{version}-{role}-{_safe(record['fileId'], 80)}"
    return f"{DOCUMENTS_DIR}/{_safe(record['documentId'], 80)}/files/{name}{ext}"


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _case_json(snapshot: Snapshot, exported_by: str, at: datetime) -> dict[str, Any]:
    case = snapshot.case
    return {
        "format": FORMAT,
        "exportedAt": at.isoformat(),
        "exportedBy": exported_by,
        "case": encode(case),
        "nomenclature": encode(snapshot.nomenclature) if snapshot.nomenclature else None,
        "unit": dict(snapshot.unit) if snapshot.unit else None,
        "summary": {
            "index": case["index"],
            "year": case["year"],
            "title": case["title"],
            "retentionYears": case.get("retentionYears"),
            "permanent": bool(case.get("permanent")),
            "article": case.get("article"),
            "documents": len(snapshot.documents),
            "files": len(snapshot.records),
        },
    }


def _cards(snapshot: Snapshot, paths: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    cards: dict[str, dict[str, Any]] = {}
    for row in snapshot.documents:
        doc = row["document"]
        cards[doc["id"]] = {
            "document": encode(doc),
            "journal": encode(row["journal"]) if row["journal"] else None,
            "timeline": [encode(e) for e in row["timeline"]],
            "files": [{**encode(f), "bagPath": paths.get(f["id"])} for f in row["files"]],
            "signatures": [encode(s) for s in row["signatures"]],
        }
    return cards


def _fixity(records: Sequence[Mapping[str, Any]], paths: Mapping[str, str]) -> dict[str, Any]:
    return {
        "algorithm": "sha256",
        "note": "SHA-256 recorded when each file was stored and checked at archive ingest",
        "records": [{**encode(r), "bagPath": f"data/{paths[r['fileId']]}"} for r in records],
    }


async def _trust_roots_pem(platform: Platform) -> bytes:
    roots = await trust_roots_for(platform.settings, signature_settings())
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in roots)


async def _copy_records(
    platform: Platform,
    folder: Path,
    records: Sequence[Mapping[str, Any]],
    paths: Mapping[str, str],
    concurrency: int,
    progress: Progress | None,
) -> int:
    """Each pinned version from the archive bucket to disk, checked against its SHA-256."""
    gate = asyncio.Semaphore(concurrency)
    done = 0
    total = 0

    async def one(record: Mapping[str, Any]) -> None:
        nonlocal done, total
        path = paths[record["fileId"]]
        async with gate:
            try:
                data = await platform.store.get(
                    record["bucket"], record["key"], record.get("versionId")
                )
            except Exception as exc:
                raise BagRefused(
                    f"{path}: arxiv versiyası oxunmadı / the archived version could not be "
                    f"read ({record['key']} {record.get('versionId')}): {exc}"
                ) from exc
            if hashlib.sha256(data).hexdigest() != record["sha256"]:
                raise BagRefused(
                    f"{path}: SHA-256 qeydə uyğun deyil / does not match the recorded SHA-256 "
                    f"(record {record['id']}, file {record['fileId']})"
                )
            await asyncio.to_thread(_write, folder / path, data)
        done += 1
        total += len(data)
        if progress is not None:
            progress(done, len(records))

    await asyncio.gather(*(one(r) for r in records))
    return total


def _bag_info(case: Mapping[str, Any], files: int) -> dict[str, str]:
    index, year = str(case["index"]), int(case["year"])
    return {
        "Source-Organization": SOURCE_ORGANIZATION,
        "External-Identifier": f"{index}/{year}",
        "Internal-Sender-Identifier": str(case["id"]),
        "External-Description": (
            f"{index} ({year}) işi: {case['title']}; {files} fayl, qeydiyyat kartları, "
            f"imzalar və fiksasiya / case {index} ({year}): its {files} files, registration "
            "cards, signatures and fixity, exported for the State Archive"
        ),
        "Bag-Group-Identifier": f"ASAN-ARCHIVE-{year}",
    }


def _make_and_validate(folder: Path, info: dict[str, str], processes: int) -> None:
    with _MAKING:
        bagit.make_bag(str(folder), info, processes=processes, checksums=list(CHECKSUMS))
    try:
        bagit.Bag(str(folder)).validate(processes=processes)
    except bagit.BagError as exc:
        raise BagRefused(f"bag etibarsızdır / the bag does not validate: {exc}") from exc


class _HashingWriter:
    """A file that hashes what is written to it: the tar's SHA-256 without reading it back."""

    def __init__(self, path: Path) -> None:
        self.file = path.open("wb")
        self.digest = hashlib.sha256()
        self.position = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.position += len(data)
        return self.file.write(data)

    def tell(self) -> int:
        return self.position


def _pack(folder: Path, name: str) -> tuple[Path, int, str]:
    tar = folder.with_suffix(".tar")
    out = _HashingWriter(tar)
    try:
        with tarfile.open(fileobj=out, mode="w") as packed:  # type: ignore[call-overload]
            packed.add(folder, arcname=name)
    finally:
        out.file.close()
    return tar, tar.stat().st_size, out.digest.hexdigest()


async def write_bag(
    platform: Platform,
    snapshot: Snapshot,
    folder: Path,
    *,
    exported_by: str,
    concurrency: int = 8,
    processes: int = 1,
    progress: Progress | None = None,
) -> WrittenBag:
    """The validated bag in ``folder`` (which must not exist) and its .tar beside it."""
    await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=False, mode=0o700)
    paths = {r["fileId"]: file_path(r) for r in snapshot.records}
    payload = await _copy_records(platform, folder, snapshot.records, paths, concurrency, progress)
    files = {
        CASE_FILE: _json(_case_json(snapshot, exported_by, datetime.now(UTC))),
        FIXITY_FILE: _json(_fixity(snapshot.records, paths)),
        TRUST_ROOTS_FILE: await _trust_roots_pem(platform),
    }
    for document_id, card in _cards(snapshot, paths).items():
        files[f"{DOCUMENTS_DIR}/{_safe(document_id, 80)}/{CARD_FILE}"] = _json(card)
    for name, data in files.items():
        await asyncio.to_thread(_write, folder / name, data)
    info = _bag_info(snapshot.case, len(snapshot.records))
    await asyncio.to_thread(_make_and_validate, folder, info, processes)
    top = f"{_safe(str(snapshot.case['index']))}_{int(snapshot.case['year'])}"
    tar, size, digest = await asyncio.to_thread(_pack, folder, top)
    return WrittenBag(folder, tar, size, digest, len(snapshot.records), payload)
