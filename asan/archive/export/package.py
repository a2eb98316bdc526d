"""Reading a BagIt package back: unpack a .tar safely, validate with bagit, load the JSON.

Nothing of a package is trusted before ``bagit`` has validated it (every manifest entry
re-hashed, nothing missing, nothing extra); a refusal names what bagit found (the file whose
checksum failed). The loaded package is plain values: properties decoded to the types they
had in the graph.
"""

from __future__ import annotations

import hashlib
import json
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bagit

from asan.archive.export.codec import decode
from asan.archive.export.models import CARD_FILE, CASE_FILE, DOCUMENTS_DIR, FIXITY_FILE, FORMAT
from asan.core.errors import BadInput


@dataclass(frozen=True)
class Card:
    document: dict[str, Any]
    journal: dict[str, Any] | None
    timeline: list[dict[str, Any]]
    files: list[dict[str, Any]]  # DocumentFile properties, each with its "bagPath"
    signatures: list[dict[str, Any]]


@dataclass(frozen=True)
class Package:
    folder: Path
    identity: str  # SHA-256 of the bag's SHA-256 manifest: the same package, the same value
    case: dict[str, Any]
    nomenclature: dict[str, Any] | None
    cards: list[Card]
    records: list[dict[str, Any]]  # ArchivedRecord properties, each with its "bagPath"

    def payload(self, bag_path: str) -> Path:
        """A payload file by its path in the bag (``data/...``), never outside the bag."""
        path = (self.folder / bag_path).resolve()
        if not path.is_relative_to((self.folder / "data").resolve()):
            raise BadInput(f"paketdə yol səhvdir / a path outside the payload: {bag_path[:200]}")
        return path


def refused(message: str) -> BadInput:
    return BadInput(f"paket qəbul edilmir / the package is refused: {message}", field="path")


def unpack(source: Path, into: Path) -> Path:
    """The bag's folder: ``source`` itself, or the one folder a .tar holds (unpacked with the
    ``data`` filter: no absolute paths, links out or devices)."""
    if source.is_dir():
        return source
    if not source.is_file() or not tarfile.is_tarfile(source):
        raise refused(f"{source} nə qovluq, nə .tar-dır / is neither a folder nor a .tar")
    with tarfile.open(source) as tar:
        tar.extractall(into, filter="data")
    bags = [p.parent for p in into.glob("*/bagit.txt")]
    if len(bags) != 1:
        raise refused(f"{source}: .tar içində bir bag olmalıdır / must hold exactly one bag")
    return bags[0]


def validate(folder: Path, processes: int = 1) -> None:
    try:
        bagit.Bag(str(folder)).validate(processes=processes)
    except bagit.BagValidationError as exc:
        details = "; ".join(str(d) for d in exc.details[:20])
        raise refused(f"{exc.message}: {details}" if details else str(exc.message)) from exc
    except bagit.BagError as exc:
        raise refused(str(exc)) from exc


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise refused(f"{path.name}: {exc}") from exc


def load(folder: Path) -> Package:
    """The validated bag's case, cards and records."""
    data = folder / "data"
    head = _json(data / CASE_FILE)
    if head.get("format") != FORMAT:
        raise refused(f"naməlum format / unknown format {str(head.get('format'))[:60]}")
    fixity = _json(data / FIXITY_FILE)
    cards = []
    for card_path in sorted((data / DOCUMENTS_DIR).glob(f"*/{CARD_FILE}")):
        raw = _json(card_path)
        cards.append(
            Card(
                document=decode(raw["document"]),
                journal=decode(raw["journal"]) if raw.get("journal") else None,
                timeline=[decode(e) for e in raw["timeline"]],
                files=[
                    {**decode(f), "bagPath": f"data/{f['bagPath']}" if f.get("bagPath") else None}
                    for f in raw["files"]
                ],
                signatures=[decode(s) for s in raw["signatures"]],
            )
        )
    manifest = (folder / "manifest-sha256.txt").read_bytes()
    return Package(
        folder=folder,
        identity=hashlib.sha256(manifest).hexdigest(),
        case=decode(head["case"]),
        nomenclature=decode(head["nomenclature"]) if head.get("nomenclature") else None,
        cards=cards,
        records=[decode(r) for r in fixity["records"]],
    )
