"""Every Cypher statement of drafts, addressees, visa routes, visas and form checks.

Graph: ``(:Addressee {documentId, position, kind, stateBody, orgUnit, name, address, email})
-[:OF]->(:Document)``; ``(:VisaStep {id, documentId, stage, role, user, positionCode,
restartOnNewVersion, status, round})-[:OF]->(:Document)``; ``(:Visa {id, documentId, stepId,
stage, role, draftVersion, decision, remarks, reasons, actor, actingFor, at})-[:ON]->
(:VisaStep)``; ``(:FormCheck {id, documentId, draftVersion, outcome, reasons, actor, at})
-[:OF]->(:Document)``. On the Document: ``draftVersion`` (1, 2, ...), ``signatory`` (user id),
``signatoryPosition``, ``attachmentTitles``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from asan.core.db import Tx
from asan.core.errors import NotFound
from asan.edms.drafts.models import (
    Addressee,
    FormCheck,
    Visa,
    VisaStep,
)

# What a read of one draft returns at most (GraphQL LIST_BOUNDS say the same).
HISTORY_LIMIT = 500
FORM_CHECK_LIMIT = 100


def _not_found(document_id: str) -> NotFound:
    return NotFound(f"Document {document_id} tapılmadı / not found", field="documentId")


async def lock_draft(tx: Tx, document_id: str) -> dict[str, Any]:
    """Take the document's write lock first, then read it: racing visas and versions on one
    draft are serialised by it (the second waits for the first to commit, then reads)."""
    rows = await tx.run(
        """
        MATCH (d:Document {id: $id}) SET d._lock = true REMOVE d._lock
        RETURN d.kind AS kind, d.status AS status, d.unit AS unit,
               d.classification AS classification, coalesce(d.involved, []) AS involved,
               coalesce(d.draftVersion, 1) AS version, d.signatory AS signatory,
               coalesce(d.attachments, 0) AS attachments
        """,
        {"id": document_id},
    )
    if not rows:
        raise _not_found(document_id)
    return rows[0]


async def set_draft_fields(
    tx: Tx,
    document_id: str,
    *,
    version: int,
    attachment_titles: Sequence[str],
    at: datetime,
) -> None:
    await tx.run(
        """
        MATCH (d:Document {id: $id})
        SET d.draftVersion = $version, d.attachmentTitles = $titles, d.updatedAt = $at
        """,
        {"id": document_id, "version": version, "titles": list(attachment_titles), "at": at},
    )


async def update_card(tx: Tx, document_id: str, fields: dict[str, Any], at: datetime) -> None:
    """Card fields a new version may change (subject, attachments), by their graph names."""
    await tx.run(
        "MATCH (d:Document {id: $id}) SET d += $fields, d.updatedAt = $at",
        {"id": document_id, "fields": fields, "at": at},
    )


# ------------------------------------------------------------------------------ addressees


async def replace_addressees(tx: Tx, document_id: str, addressees: Sequence[Addressee]) -> None:
    await tx.run(
        """
        MATCH (d:Document {id: $id})
        OPTIONAL MATCH (old:Addressee)-[:OF]->(d)
        DETACH DELETE old
        WITH DISTINCT d
        UNWIND $rows AS row
        CREATE (a:Addressee)-[:OF]->(d)
        SET a = row, a.documentId = $id
        """,
        {"id": document_id, "rows": [_addressee_row(a) for a in addressees]},
    )


def _addressee_row(a: Addressee) -> dict[str, Any]:
    return {
        "position": a.position,
        "kind": a.kind,
        "stateBody": a.state_body,
        "orgUnit": a.org_unit,
        "name": a.name,
        "address": a.address,
        "email": a.email,
    }


async def addressees(tx: Tx, document_id: str) -> list[Addressee]:
    rows = await tx.run(
        """
        MATCH (a:Addressee {documentId: $id})
        OPTIONAL MATCH (b:StateBody {code: a.stateBody})
        OPTIONAL MATCH (u:OrgUnit {code: a.orgUnit})
        RETURN a {.*} AS a, b.nameAz AS bodyName, u.nameAz AS unitName
        ORDER BY a.position
        """,
        {"id": document_id},
    )
    return [addressee_of(r["a"], r["bodyName"] or r["unitName"]) for r in rows]


def addressee_of(row: dict[str, Any], registry_name: str | None = None) -> Addressee:
    return Addressee(
        kind=row["kind"],
        state_body=row.get("stateBody"),
        org_unit=row.get("orgUnit"),
        name=row.get("name") or registry_name or "",
        address=row.get("address") or "",
        email=row.get("email") or "",
        position=row.get("position") or 0,
    )


async def existing(tx: Tx, *, bodies: Iterable[str], units: Iterable[str]) -> set[str]:
    """Which of these state-body and org-unit codes exist (as ``body:CODE`` / ``unit:CODE``)."""
    rows = await tx.run(
        """
        CALL () { UNWIND $bodies AS code MATCH (b:StateBody {code: code})
               RETURN 'body:' + b.code AS key
               UNION
               UNWIND $units AS code MATCH (u:OrgUnit {code: code})
               RETURN 'unit:' + u.code AS key }
        RETURN collect(key) AS keys
        """,
        {"bodies": sorted(set(bodies)), "units": sorted(set(units))},
    )
    return set(rows[0]["keys"]) if rows else set()


# ------------------------------------------------------------------------------ people


async def user_clearances(tx: Tx, ids: Iterable[str]) -> dict[str, str]:
    """The clearance of each existing user among ``ids`` (absent: no such user)."""
    rows = await tx.run(
        "UNWIND $ids AS id MATCH (u:User {id: id}) "
        "RETURN u.id AS id, coalesce(u.clearance, 'public') AS clearance",
        {"ids": sorted(set(ids))},
    )
    return {r["id"]: r["clearance"] for r in rows}


async def position_holders(tx: Tx, codes: Iterable[str], today: date) -> dict[str, list[str]]:
    """The users holding each position today (a position may be vacant: absent or empty)."""
    rows = await tx.run(
        """
        UNWIND $codes AS code
        MATCH (u:User)-[h:HOLDS]->(p:Position {code: code})
        WHERE (h.validFrom IS NULL OR h.validFrom <= $today)
          AND (h.validUntil IS NULL OR h.validUntil >= $today)
        RETURN code, collect(DISTINCT u.id) AS users
        """,
        {"codes": sorted(set(codes)), "today": today},
    )
    return {r["code"]: sorted(r["users"]) for r in rows}


# ------------------------------------------------------------------------------ the route


async def replace_route(
    tx: Tx,
    document_id: str,
    steps: Sequence[dict[str, Any]],
    *,
    signatory: str,
    signatory_position: str | None,
) -> None:
    """A new route: the old route's open steps become ``replaced`` (their visas stay)."""
    await tx.run(
        """
        MATCH (d:Document {id: $id})
        SET d.signatory = $signatory, d.signatoryPosition = $signatoryPosition
        WITH d
        OPTIONAL MATCH (old:VisaStep)-[:OF]->(d)
        SET old.status = 'replaced'
        WITH DISTINCT d
        UNWIND $steps AS row
        CREATE (s:VisaStep)-[:OF]->(d)
        SET s = row, s.documentId = $id
        """,
        {
            "id": document_id,
            "steps": list(steps),
            "signatory": signatory,
            "signatoryPosition": signatory_position,
        },
    )


async def steps(tx: Tx, document_id: str, *, with_replaced: bool = False) -> list[VisaStep]:
    rows = await tx.run(
        """
        MATCH (s:VisaStep {documentId: $id})
        WHERE $all OR s.status <> 'replaced'
        RETURN s {.*} AS s ORDER BY s.stage, s.order LIMIT $limit
        """,
        {"id": document_id, "all": with_replaced, "limit": HISTORY_LIMIT},
    )
    return [step_of(r["s"]) for r in rows]


def step_of(row: dict[str, Any]) -> VisaStep:
    return VisaStep(
        id=row["id"],
        stage=row["stage"],
        role=row["role"],
        user=row["user"],
        position_code=row.get("positionCode"),
        restart_on_new_version=bool(row.get("restartOnNewVersion", True)),
        status=row["status"],
        round=row.get("round") or 1,
    )


async def set_step_statuses(tx: Tx, changes: dict[str, str], *, round: int | None = None) -> None:
    if not changes:
        return
    await tx.run(
        """
        UNWIND $rows AS row
        MATCH (s:VisaStep {id: row.id})
        SET s.status = row.status, s.round = coalesce($round, s.round)
        """,
        {"rows": [{"id": k, "status": v} for k, v in changes.items()], "round": round},
    )


async def record_visa(tx: Tx, visa: Visa) -> None:
    await tx.run(
        """
        MATCH (s:VisaStep {id: $stepId})
        CREATE (v:Visa {id: $id, documentId: s.documentId, stepId: $stepId, stage: $stage,
                        role: $role, draftVersion: $version, decision: $decision,
                        remarks: $remarks, reasons: $reasons, actor: $actor,
                        actingFor: $actingFor, at: $at})-[:ON]->(s)
        """,
        {
            "id": visa.id,
            "stepId": visa.step_id,
            "stage": visa.stage,
            "role": visa.role,
            "version": visa.draft_version,
            "decision": visa.decision,
            "remarks": visa.remarks,
            "reasons": list(visa.reasons),
            "actor": visa.actor,
            "actingFor": visa.acting_for,
            "at": visa.at,
        },
    )


async def visas(tx: Tx, document_id: str) -> list[Visa]:
    rows = await tx.run(
        "MATCH (v:Visa {documentId: $id}) RETURN v {.*} AS v ORDER BY v.at, v.id LIMIT $limit",
        {"id": document_id, "limit": HISTORY_LIMIT},
    )
    return [visa_of(r["v"]) for r in rows]


def visa_of(row: dict[str, Any]) -> Visa:
    return Visa(
        id=row["id"],
        step_id=row["stepId"],
        stage=row["stage"],
        role=row["role"],
        draft_version=row["draftVersion"],
        decision=row["decision"],
        remarks=row.get("remarks") or "",
        reasons=tuple(row.get("reasons") or ()),
        actor=row["actor"],
        acting_for=row.get("actingFor"),
        at=row["at"],
    )


# ------------------------------------------------------------------------------ form check


async def attachment_count(tx: Tx, document_id: str) -> tuple[int, bool]:
    """Distinct attachment files present, and whether the draft's own file is there."""
    rows = await tx.run(
        """
        OPTIONAL MATCH (a:DocumentFile {documentId: $id, role: 'attachment'})
        WITH count(DISTINCT a.filename) AS attachments
        OPTIONAL MATCH (f:DocumentFile {documentId: $id, role: 'draft'})
        RETURN attachments, count(f) > 0 AS hasDraft
        """,
        {"id": document_id},
    )
    return (rows[0]["attachments"], rows[0]["hasDraft"]) if rows else (0, False)


async def record_form_check(tx: Tx, document_id: str, check: FormCheck) -> None:
    await tx.run(
        """
        MATCH (d:Document {id: $documentId})
        CREATE (c:FormCheck {id: $id, documentId: $documentId, draftVersion: $version,
                             outcome: $outcome, reasons: $reasons, actor: $actor, at: $at})
               -[:OF]->(d)
        """,
        {
            "documentId": document_id,
            "id": check.id,
            "version": check.draft_version,
            "outcome": check.outcome,
            "reasons": list(check.reasons),
            "actor": check.actor,
            "at": check.at,
        },
    )


async def form_checks(tx: Tx, document_id: str) -> list[FormCheck]:
    rows = await tx.run(
        "MATCH (c:FormCheck {documentId: $id}) RETURN c {.*} AS c ORDER BY c.at, c.id LIMIT $limit",
        {"id": document_id, "limit": FORM_CHECK_LIMIT},
    )
    return [
        FormCheck(
            id=r["c"]["id"],
            draft_version=r["c"]["draftVersion"],
            outcome=r["c"]["outcome"],
            reasons=tuple(r["c"]["reasons"] or ()),
            actor=r["c"]["actor"],
            at=r["c"]["at"],
        )
        for r in rows
    ]


async def draft_row(tx: Tx, document_id: str) -> dict[str, Any] | None:
    rows = await tx.run(
        """
        MATCH (d:Document {id: $id}) WHERE d.kind IN ['outgoing', 'internal', 'order']
        RETURN d.kind AS kind, d.status AS status, d.unit AS unit, d.subject AS subject,
               coalesce(d.draftVersion, 1) AS version, coalesce(d.attachments, 0) AS attachments,
               coalesce(d.attachmentTitles, []) AS attachmentTitles, d.signatory AS signatory
        """,
        {"id": document_id},
    )
    return rows[0] if rows else None


async def signatories(tx: Tx, document_ids: Sequence[str]) -> dict[str, str | None]:
    """The route's signatory of each of these drafts, in one query."""
    rows = await tx.run(
        "MATCH (d:Document) WHERE d.id IN $ids RETURN d.id AS id, d.signatory AS signatory",
        {"ids": list(document_ids)},
    )
    return {row["id"]: row["signatory"] for row in rows}


async def pending_steps_of(
    tx: Tx, users: Sequence[str], limit: int, visible: tuple[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """Visa steps waiting for these users' decision now (a holder and whom they act for),
    of documents the caller may see (``visible``: ``access.visible_where`` on ``d``)."""
    predicate, params = visible
    return await tx.run(
        "MATCH (s:VisaStep {status: 'pending'})-[:OF]->(d:Document {status: 'on_visa'}) "
        "WHERE s.user IN $users AND " + predicate + " "
        "RETURN s {.*} AS s, d.id AS documentId ORDER BY d.updatedAt, s.id LIMIT $limit",
        {**params, "users": list(users), "limit": limit},
    )
