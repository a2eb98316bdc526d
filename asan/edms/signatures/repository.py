"""Every Cypher statement of the signatures part."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from asan.core.db import Database, Tx

_FIELDS = (
    "s {.id, .documentId, .fileId, .kind, .sha256, .signer, .signerName, .actingFor, "
    ".actingForName, .signedAt, .regNumber, .verificationCode, .certificateSerial, .jws, "
    ".statement}"
)


async def document_for_signing(tx: Tx, document_id: str) -> dict[str, Any] | None:
    rows = await tx.run(
        "MATCH (d:Document {id: $id}) RETURN d.kind AS kind, d.status AS status, d.unit AS unit, "
        "d.caseIndex AS caseIndex, d.subject AS subject, d.regNumber AS regNumber, "
        "d.signatory AS signatory",
        {"id": document_id},
    )
    return dict(rows[0]) if rows else None


async def user_names(tx: Tx | Database, ids: list[str]) -> dict[str, str]:
    """Display names of users (for the visible block and the certificate's common name)."""
    query = (
        "UNWIND $ids AS id MATCH (u:User {id: id}) "
        "RETURN u.id AS id, coalesce(u.displayName, u.username, u.id) AS name"
    )
    rows = (
        await tx.run(query, {"ids": ids})
        if isinstance(tx, Tx)
        else await tx.read(query, {"ids": ids})
    )
    return {r["id"]: r["name"] for r in rows}


async def create_signature(tx: Tx, row: Mapping[str, Any]) -> None:
    props = dict(row)
    if props.get("statement") is not None:
        props["statement"] = json.dumps(props["statement"], ensure_ascii=False, sort_keys=True)
    await tx.run(
        """
        MATCH (d:Document {id: $props.documentId}), (f:DocumentFile {id: $props.fileId})
        CREATE (s:Signature)
        SET s = $props
        CREATE (s)-[:OF]->(d), (s)-[:SIGNS]->(f)
        """,
        {"props": props},
    )


async def signatures_of(db: Tx | Database, document_id: str) -> list[dict[str, Any]]:
    query = f"MATCH (s:Signature {{documentId: $id}}) RETURN {_FIELDS} AS s ORDER BY s.signedAt"
    rows = (
        await db.run(query, {"id": document_id})
        if isinstance(db, Tx)
        else await db.read(query, {"id": document_id})
    )
    return [r["s"] for r in rows]


async def signatures_by_sha256(db: Database, sha256: str) -> list[dict[str, Any]]:
    rows = await db.read(
        f"MATCH (s:Signature {{sha256: $sha}}) RETURN {_FIELDS} AS s ORDER BY s.signedAt",
        {"sha": sha256},
    )
    return [r["s"] for r in rows]


async def signature_by_code(db: Database, code: str) -> dict[str, Any] | None:
    rows = await db.read(
        f"MATCH (s:Signature {{verificationCode: $code}}) RETURN {_FIELDS} AS s", {"code": code}
    )
    return rows[0]["s"] if rows else None


async def signatures_of_file(db: Database, file_id: str) -> list[dict[str, Any]]:
    rows = await db.read(
        f"MATCH (s:Signature {{fileId: $id}}) RETURN {_FIELDS} AS s ORDER BY s.signedAt",
        {"id": file_id},
    )
    return [r["s"] for r in rows]
