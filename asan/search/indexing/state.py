"""What the indexer leaves beside its index directory for itself and for the API processes.

``<index>.cursor.json`` is the last change-log sequence number whose changes are committed in
the index (written after the index's own commit, so it is never ahead of it: a crash between
the two re-applies a batch, which is idempotent). ``<index>.status.json`` says whether a
rebuild is under way (with its progress), so an API process answers "search is rebuilding"
instead of an error or a silently empty result.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any


class IndexStatus(StrEnum):
    READY = "ready"
    REBUILDING = "rebuilding"


@dataclass(frozen=True)
class StatusRecord:
    status: IndexStatus
    since: str  # ISO time the status was entered
    done: int = 0  # documents written so far by a rebuild
    total: int | None = None  # documents the rebuild will write (None: not counted yet)
    reason: str | None = None  # why a rebuild runs ("missing", "damaged: ...", "requested")


def cursor_path(index: Path) -> Path:
    return index.with_name(f"{index.name}.cursor.json")


def status_path(index: Path) -> Path:
    return index.with_name(f"{index.name}.status.json")


def _write_atomic(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def read_cursor(index: Path) -> int | None:
    """The stored cursor, or None when there is none (or it is unreadable: rebuild)."""
    data = _read(cursor_path(index))
    seq = data.get("seq") if data else None
    return seq if isinstance(seq, int) and seq >= 0 else None


def write_cursor(index: Path, seq: int) -> None:
    _write_atomic(cursor_path(index), {"seq": seq, "at": datetime.now(UTC).isoformat()})


def read_status(index: Path) -> StatusRecord:
    """READY when no status was written (an index built before statuses existed)."""
    data = _read(status_path(index))
    if not data:
        return StatusRecord(IndexStatus.READY, since="")
    try:
        return StatusRecord(
            IndexStatus(data["status"]),
            since=str(data.get("since", "")),
            done=int(data.get("done", 0)),
            total=data.get("total") if isinstance(data.get("total"), int) else None,
            reason=data.get("reason"),
        )
    except (KeyError, ValueError):
        return StatusRecord(IndexStatus.READY, since="")


def write_status(
    index: Path,
    status: IndexStatus,
    *,
    done: int = 0,
    total: int | None = None,
    reason: str | None = None,
    since: str | None = None,
) -> None:
    record = StatusRecord(status, since or datetime.now(UTC).isoformat(), done, total, reason)
    data = asdict(record)
    data["status"] = record.status.value
    _write_atomic(status_path(index), data)
