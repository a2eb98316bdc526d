"""Cypher of the shared reference entries (documents, outputs, legal acts, categories).

Services of every body point at the same ``Evidence``/``Output``/``LegalAct``/``Category``
node, so these nodes are never written as a side effect of a service write (a service write
only creates a code that does not exist yet). Their names change here only, each change as a
``(:ReferenceVersion {number, at, actor, changes})`` linked by ``HAS_VERSION``, with ``version``
on the entry the number of its latest one. ``owner`` is the state body that created an entry
(absent: the registry's own).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, LiteralString

from asan.core.db import Tx
from asan.core.text import name_keys
from asan.registry.catalog import legal_refs
from asan.registry.catalog.repo_common import Query, _run

# kind -> (label, the entry's text fields in API names)
KINDS: Final[dict[str, tuple[LiteralString, tuple[str, ...]]]] = {
    "EVIDENCE": ("Evidence", ("nameAz", "nameEn", "nameRu")),
    "OUTPUT": ("Output", ("nameAz", "nameEn", "nameRu")),
    "LEGAL_ACT": ("LegalAct", ("title",)),
    "CATEGORY": ("Category", ("nameAz", "nameEn", "nameRu")),
}

_READ: Final[dict[str, LiteralString]] = {
    kind: "UNWIND $codes AS code MATCH (n:"
    + label
    + " {code: code}) RETURN n {.*} AS n, COUNT { (n)<--(:Service) } AS uses"
    for kind, (label, _) in KINDS.items()
}

_UPDATE: Final[dict[str, LiteralString]] = {
    kind: "MATCH (n:"
    + label
    + """ {code: $code})
        SET n += $values, n += $keys, n.version = $version, n.updatedAt = $at
        CREATE (n)-[:HAS_VERSION]->(:ReferenceVersion {
            number: $version, at: $at, actor: $actor, changes: $changes})
        """
    for kind, (label, _) in KINDS.items()
}

_FIRST_VERSIONS: Final[dict[str, LiteralString]] = {
    kind: "UNWIND $rows AS r MATCH (n:"
    + label
    + """ {code: r.code})
        WHERE NOT EXISTS { (n)-[:HAS_VERSION]->(:ReferenceVersion) }
        SET n.version = 1
        CREATE (n)-[:HAS_VERSION]->(:ReferenceVersion {
            number: 1, at: $at, actor: $actor, changes: r.changes})
        """
    for kind, (label, _) in KINDS.items()
}

_VERSIONS: Final[dict[str, LiteralString]] = {
    kind: "MATCH (:"
    + label
    + """ {code: $code})-[:HAS_VERSION]->(v:ReferenceVersion)
        RETURN v {.*} AS v ORDER BY v.number DESC
        """
    for kind, (label, _) in KINDS.items()
}


@dataclass(frozen=True)
class ReferenceEntry:
    kind: str
    code: str
    values: dict[str, str]  # the kind's text fields (API names); legal acts: legal_refs.FIELDS
    owner: str | None  # state body code; None: the registry's own
    version: int
    uses: int  # services pointing at it


@dataclass(frozen=True)
class ReferenceVersion:
    number: int
    at: datetime
    actor: str
    changes: dict[str, dict[str, Any]]


def _entry(kind: str, row: Mapping[str, Any]) -> ReferenceEntry:
    n = row["n"]
    return ReferenceEntry(
        kind=kind,
        code=n["code"],
        values={
            **{f: n.get(f) or "" for f in KINDS[kind][1]},
            **(legal_refs.read(n) if kind == "LEGAL_ACT" else {}),
        },
        owner=n.get("owner"),
        version=int(n.get("version") or 0),
        uses=int(row["uses"]),
    )


async def entries(q: Query, kind: str, codes: Sequence[str]) -> dict[str, ReferenceEntry]:
    rows = await _run(q, _READ[kind], {"codes": sorted(set(codes))})
    return {row["n"]["code"]: _entry(kind, row) for row in rows}


async def update(
    tx: Tx,
    entry: ReferenceEntry,
    values: Mapping[str, str],
    changes: Mapping[str, Mapping[str, Any]],
    *,
    actor: str,
    at: datetime,
) -> int:
    """Set the changed fields and record them as the entry's next version; returns it."""
    version = entry.version + 1
    names = {**entry.values, **values}
    texts = [names.get(field) for field in KINDS[entry.kind][1]]
    await tx.run(
        _UPDATE[entry.kind],
        {
            "code": entry.code,
            "values": legal_refs.stored(values),
            "version": version,
            "keys": name_keys(*texts, code=entry.code),
            "at": at,
            "actor": actor,
            "changes": json.dumps(changes, ensure_ascii=False),
        },
    )
    return version


async def record_first_versions(
    tx: Tx, kind: str, created: Mapping[str, Mapping[str, str]], *, actor: str, at: datetime
) -> None:
    """Version 1 of entries a write just created (entries that already have one are left)."""
    if not created:
        return
    rows = [
        {
            "code": code,
            "changes": json.dumps(
                {f: {"from": None, "to": v} for f, v in values.items() if v},
                ensure_ascii=False,
            ),
        }
        for code, values in created.items()
    ]
    await tx.run(_FIRST_VERSIONS[kind], {"rows": rows, "at": at, "actor": actor})


async def versions(q: Query, kind: str, code: str) -> list[ReferenceVersion]:
    rows = await _run(q, _VERSIONS[kind], {"code": code})
    return [
        ReferenceVersion(
            number=int(r["v"]["number"]),
            at=r["v"]["at"].to_native(),
            actor=r["v"]["actor"],
            changes=json.loads(r["v"].get("changes") or "{}"),
        )
        for r in rows
    ]
