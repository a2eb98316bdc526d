"""Cypher of registration requests: submit, decide, resubmit, reviews, overdue marks, paging.

A request's required reviews are ``(:RegistrationRequest)-[:HAS_REVIEW]->(:RequestReview)``
nodes (one per reviewer: the agency and each body responsible for a legal act of the service),
so the overdue sweep finds late ones in Cypher. Requests made before reviews existed have none;
they read as one agency review derived from the request's own status and deadline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, Final

from asan.core.db import Tx
from asan.registry.catalog.models import (
    AGENCY_REVIEWER,
    RegistrationRequest,
    RequestReview,
)
from asan.registry.catalog.registration import content as codec
from asan.registry.catalog.repo_common import (
    Query,
    _native,
    _run,
)

# ------------------------------------------------------------------- registration requests

_DECISION_OF_STATUS: Final = {"submitted": "pending", "registered": "approved"}


def _review(v: Mapping[str, Any]) -> RequestReview:
    return RequestReview(
        reviewer=v["reviewer"],
        decision=v["decision"],
        due=_native(v["due"]),
        decided_at=_native(v.get("decidedAt")),
        defects=tuple(v.get("defects") or ()),
        overdue=bool(v.get("overdue")),
    )


def _request(row: Mapping[str, Any]) -> RegistrationRequest:
    r = row["r"]
    reviews = tuple(
        sorted(
            (_review(v) for v in row.get("reviews") or ()),
            key=lambda v: (v.reviewer != AGENCY_REVIEWER, v.reviewer),
        )
    )
    if not reviews:  # a request from before reviews were recorded: the agency's alone
        reviews = (
            RequestReview(
                AGENCY_REVIEWER,
                _DECISION_OF_STATUS.get(r["status"], "returned"),
                _native(r["reviewDue"]),
                _native(r.get("decidedAt")),
                tuple(r.get("defects") or ()),
            ),
        )
    proposal, clear = codec.patch_from_json(row["service"], r.get("proposal"))
    return RegistrationRequest(
        id=r["id"],
        kind=r["kind"],
        status=r["status"],
        service=row["service"],
        state_body=row["body"],
        submitted_at=_native(r["submittedAt"]),
        review_due=_native(r["reviewDue"]),
        defects=tuple(r.get("defects") or ()),
        fix_due=_native(r.get("fixDue")),
        decided_at=_native(r.get("decidedAt")),
        service_version=int(r.get("serviceVersion") or 0),
        summary=r.get("summary") or "",
        resubmissions=int(r.get("resubmissions") or 0),
        defect_fields=tuple(r.get("defectFields") or ()),
        proposal=proposal,
        clear=clear,
        base=codec.content_from_json(r.get("base")),
        reviews=reviews,
    )


_REQUEST_RETURN: Final = """
        RETURN r {.*} AS r, [(r)-[:FOR]->(s:Service) | s.code][0] AS service,
               [(r)-[:SUBMITTED_BY]->(b:StateBody) | b.code][0] AS body,
               [(r)-[:HAS_REVIEW]->(v:RequestReview) | v {.*}] AS reviews
"""


def _content_params(request: RegistrationRequest) -> dict[str, Any]:
    return {
        "proposal": (
            codec.patch_to_json(request.proposal, request.clear)
            if request.proposal is not None
            else None
        ),
        "base": codec.content_to_json(request.base) if request.base is not None else None,
    }


# Every required reviewer of a (re)submission, pending, due with the request: the agency and
# each body recorded as responsible for one of ``$acts`` (the service's legal acts), except
# the submitting body itself. Appended to the statement that writes the request ``r``.
_CREATE_REVIEWS: Final = """
        WITH r
        CALL (r) {
            OPTIONAL MATCH (r)-[:HAS_REVIEW]->(old:RequestReview)
            DETACH DELETE old
        }
        CALL (r) {
            OPTIONAL MATCH (a:LegalAct)
            WHERE a.code IN $acts AND a.responsibleBody IS NOT NULL
              AND a.responsibleBody <> $provider
            OPTIONAL MATCH (b:StateBody {code: a.responsibleBody})
            WITH collect(DISTINCT b.code) AS bodies
            UNWIND [$agency] + bodies AS reviewer
            CREATE (r)-[:HAS_REVIEW]->(:RequestReview {
                requestId: r.id, reviewer: reviewer, decision: 'pending', due: $review_due,
                decidedAt: null, defects: [], overdue: false
            })
        }
"""


def _review_params(request: RegistrationRequest, acts: Sequence[str]) -> dict[str, Any]:
    return {
        "acts": list(acts),
        "provider": request.state_body,
        "agency": AGENCY_REVIEWER,
        "review_due": request.review_due,
    }


async def create_request(tx: Tx, request: RegistrationRequest, acts: Sequence[str]) -> None:
    """Create a request with its pending reviews (``acts``: the service's legal act codes)."""
    await tx.run(
        """
        MATCH (s:Service {code: $service}), (b:StateBody {code: $body})
        CREATE (r:RegistrationRequest {
            id: $id, kind: $kind, status: $status, submittedAt: $submitted_at,
            reviewDue: $review_due, defects: [], defectFields: [], fixDue: null,
            serviceVersion: $version, resubmissions: 0, summary: $summary,
            proposal: $proposal, base: $base
        })
        CREATE (r)-[:FOR]->(s), (r)-[:SUBMITTED_BY]->(b)
        """
        + _CREATE_REVIEWS,
        {
            **_review_params(request, acts),
            "id": request.id,
            "kind": request.kind,
            "status": request.status,
            "service": request.service,
            "body": request.state_body,
            "submitted_at": request.submitted_at,
            "review_due": request.review_due,
            "version": request.service_version,
            "summary": request.summary,
            **_content_params(request),
        },
    )


async def decide_review(
    tx: Tx,
    request_id: str,
    reviewer: str,
    *,
    decision: str,
    at: datetime,
    defects: Sequence[str] = (),
) -> None:
    await tx.run(
        """
        MATCH (:RegistrationRequest {id: $id})-[:HAS_REVIEW]->(v:RequestReview {reviewer: $who})
        SET v.decision = $decision, v.decidedAt = $at, v.defects = $defects
        """,
        {
            "id": request_id,
            "who": reviewer,
            "decision": decision,
            "at": at,
            "defects": list(defects),
        },
    )


async def update_request(
    tx: Tx,
    request_id: str,
    *,
    status: str,
    at: datetime,
    defects: Sequence[str] = (),
    defect_fields: Sequence[str] = (),
    fix_due: date | None = None,
    review_due: date | None = None,
    version: int | None = None,
    review: tuple[str, str] | None = None,
    resubmitted: RegistrationRequest | None = None,
    acts: Sequence[str] = (),
) -> None:
    """Decide (register/return) or resubmit a request: the fields that step sets.

    ``review`` is the (reviewer, decision) the step records (with ``defects`` when returned);
    ``resubmitted`` is the request as resubmitted: its content replaces the stored one and
    every review starts pending again (``acts``: the service's legal act codes).
    """
    params: dict[str, Any] = {
        "id": request_id,
        "status": status,
        "at": at,
        "defects": list(defects),
        "defect_fields": list(defect_fields),
        "fix_due": fix_due,
        "review_due": review_due,
        "version": version,
        "reviewer": review[0] if review else None,
        "decision": review[1] if review else None,
    }
    if resubmitted is not None:
        params.update(_review_params(resubmitted, acts))
        params.update(_content_params(resubmitted), summary=resubmitted.summary)
        await tx.run(_UPDATE_REQUEST + _RESUBMIT + _CREATE_REVIEWS, params)
    else:
        await tx.run(_UPDATE_REQUEST + _DECIDE_REVIEW, params)


_RESUBMIT: Final = """
        SET r.proposal = $proposal, r.base = $base,
            r.summary = CASE $summary WHEN '' THEN r.summary ELSE $summary END
"""

_DECIDE_REVIEW: Final = """
        WITH r
        CALL (r) {
            MATCH (r)-[:HAS_REVIEW]->(v:RequestReview {reviewer: $reviewer})
            SET v.decision = $decision, v.decidedAt = $at,
                v.defects = CASE $decision WHEN 'returned' THEN $defects ELSE [] END
        }
"""

_UPDATE_REQUEST: Final = """
        MATCH (r:RegistrationRequest {id: $id})
        SET r.status = $status,
            r.defects = CASE $status WHEN 'returned' THEN $defects ELSE r.defects END,
            r.defectFields = CASE $status WHEN 'returned' THEN $defect_fields
                             ELSE r.defectFields END,
            r.fixDue = CASE $status WHEN 'returned' THEN $fix_due ELSE null END,
            r.fixOverdue = CASE $status WHEN 'returned' THEN false ELSE r.fixOverdue END,
            r.decidedAt = CASE $status WHEN 'submitted' THEN r.decidedAt ELSE $at END,
            r.submittedAt = CASE $status WHEN 'submitted' THEN $at ELSE r.submittedAt END,
            r.reviewDue = coalesce($review_due, r.reviewDue),
            r.serviceVersion = coalesce($version, r.serviceVersion),
            r.resubmissions = r.resubmissions
                              + CASE $status WHEN 'submitted' THEN 1 ELSE 0 END
"""


async def link_version(tx: Tx, service: str, number: int, request_id: str) -> None:
    """The service version a registered change request produced names the request."""
    await tx.run(
        """
        MATCH (:Service {code: $code})-[:HAS_VERSION]->(v:ServiceVersion {number: $number})
        SET v.requestId = $id
        """,
        {"code": service, "number": number, "id": request_id},
    )


async def legal_act_owner(q: Query, act_code: str) -> tuple[bool, str | None]:
    """Whether the legal act exists, and the body that owns (proposed) it."""
    rows = await _run(
        q, "MATCH (a:LegalAct {code: $code}) RETURN a.owner AS owner", {"code": act_code}
    )
    return (True, rows[0]["owner"]) if rows else (False, None)


async def body_exists(q: Query, code: str) -> bool:
    rows = await _run(q, "MATCH (b:StateBody {code: $code}) RETURN b.code AS code", {"code": code})
    return bool(rows)


async def set_responsible_body(tx: Tx, act_code: str, body: str | None) -> None:
    await tx.run(
        "MATCH (a:LegalAct {code: $code}) SET a.responsibleBody = $body",
        {"code": act_code, "body": body},
    )


async def lock_sweep(tx: Tx, at: datetime) -> None:
    """Serialise overdue sweeps (one per process may run at once): each marks what it sees."""
    await tx.run(
        "MERGE (l:RegistrationSweep {id: 'main'}) SET l.at = $at",
        {"at": at},
    )


async def overdue_candidates(q: Query, today: date) -> list[str]:
    """Ids of requests with a review or fix deadline past ``today`` not yet marked overdue."""
    rows = await _run(
        q,
        """
        MATCH (r:RegistrationRequest)
        WHERE (r.status = 'submitted'
               AND EXISTS { MATCH (r)-[:HAS_REVIEW]->(v:RequestReview)
                            WHERE v.decision = 'pending' AND v.due < $today
                              AND NOT coalesce(v.overdue, false) })
           OR (r.status = 'returned' AND r.fixDue < $today
               AND NOT coalesce(r.fixOverdue, false))
        RETURN r.id AS id ORDER BY id
        """,
        {"today": today},
    )
    return [row["id"] for row in rows]


async def mark_overdue(tx: Tx, today: date) -> dict[str, tuple[str, ...]]:
    """Mark late reviews and fix deadlines once; ``{request id: what became overdue}``."""
    rows = await _run(
        tx,
        """
        MATCH (r:RegistrationRequest {status: 'submitted'})-[:HAS_REVIEW]->(v:RequestReview)
        WHERE v.decision = 'pending' AND v.due < $today AND NOT coalesce(v.overdue, false)
        SET v.overdue = true
        RETURN r.id AS id, collect(v.reviewer) AS late
        UNION
        MATCH (r:RegistrationRequest {status: 'returned'})
        WHERE r.fixDue < $today AND NOT coalesce(r.fixOverdue, false)
        SET r.fixOverdue = true
        RETURN r.id AS id, ['fix'] AS late
        """,
        {"today": today},
    )
    return {row["id"]: tuple(sorted(row["late"])) for row in rows}


async def request_by_id(q: Query, request_id: str) -> RegistrationRequest | None:
    rows = await _run(
        q,
        "MATCH (r:RegistrationRequest {id: $id})" + _REQUEST_RETURN,
        {"id": request_id},
    )
    return _request(rows[0]) if rows else None


async def requests_by_ids(q: Query, ids: Sequence[str]) -> dict[str, RegistrationRequest]:
    rows = await _run(
        q,
        "UNWIND $ids AS id MATCH (r:RegistrationRequest {id: id})" + _REQUEST_RETURN,
        {"ids": list(ids)},
    )
    found = [_request(row) for row in rows]
    return {r.id: r for r in found}


async def open_request_for_service(q: Query, service: str) -> RegistrationRequest | None:
    rows = await _run(
        q,
        """
        MATCH (r:RegistrationRequest)-[:FOR]->(:Service {code: $code})
        WHERE r.status IN ['submitted', 'returned']
        """
        + _REQUEST_RETURN,
        {"code": service},
    )
    return _request(rows[0]) if rows else None


async def requests_by_service(
    q: Query, codes: Sequence[str]
) -> dict[str, list[RegistrationRequest]]:
    rows = await _run(
        q,
        """
        UNWIND $codes AS code
        MATCH (r:RegistrationRequest)-[:FOR]->(:Service {code: code})
        WITH code, r ORDER BY r.submittedAt DESC
        RETURN code, collect({r: r {.*}, service: code,
                              body: [(r)-[:SUBMITTED_BY]->(b:StateBody) | b.code][0],
                              reviews: [(r)-[:HAS_REVIEW]->(v:RequestReview) | v {.*}]})
               AS requests
        """,
        {"codes": list(codes)},
    )
    return {row["code"]: [_request(r) for r in row["requests"]] for row in rows}


def sort_key(request: RegistrationRequest) -> list[Any]:
    """The keyset of request lists: the nearest deadline (fix, else review), then the id."""
    due = request.fix_due if request.status == "returned" and request.fix_due else None
    return [(due or request.review_due).isoformat(), request.id]


async def list_requests(
    q: Query,
    *,
    status: str | None = None,
    body: str | None = None,
    overdue_on: date | None = None,
    reviewer: str | None = None,
    after: Sequence[Any] | None = None,
    limit: int | None = None,
) -> tuple[list[RegistrationRequest], int]:
    """A page of requests by status/body (nearest deadline first) and the total matching.

    With ``overdue_on``, only those past their due date then: submitted and the agency's review
    deadline has passed, or returned and the body's fix deadline has passed (the due date
    itself is still in time).
    """
    params = {
        "status": status,
        "body": body,
        "today": overdue_on,
        "reviewer": reviewer,
        "after": list(after) if after is not None else None,
        "limit": limit,
    }
    match = """
        MATCH (r:RegistrationRequest)-[:SUBMITTED_BY]->(b:StateBody)
        WHERE ($status IS NULL OR r.status = $status)
          AND ($body IS NULL OR b.code = $body)
          AND ($reviewer IS NULL
               OR EXISTS { MATCH (r)-[:HAS_REVIEW]->(:RequestReview {reviewer: $reviewer}) })
          AND ($today IS NULL
               OR (r.status = 'submitted' AND r.reviewDue < $today)
               OR (r.status = 'returned' AND r.fixDue < $today))
        WITH r, [toString(CASE WHEN r.status = 'returned' AND r.fixDue IS NOT NULL
                               THEN r.fixDue ELSE r.reviewDue END), r.id] AS key
    """
    counted = await _run(q, match + "RETURN count(r) AS total", params)
    rows = await _run(
        q,
        match
        + """
        WHERE $after IS NULL OR key > $after
        WITH r, key ORDER BY key
        LIMIT coalesce($limit, 1000000)
        """
        + _REQUEST_RETURN,
        params,
    )
    found = sorted((_request(row) for row in rows), key=sort_key)
    return found, int(counted[0]["total"]) if counted else 0
