"""Cypher of registration requests (submit, decide, resubmit; deadlines as dates)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, Final

from asan.core.db import Tx
from asan.registry.catalog.models import (
    RegistrationRequest,
)
from asan.registry.catalog.repo_common import (
    Query,
    _native,
    _run,
)

# ------------------------------------------------------------------- registration requests


def _request(row: Mapping[str, Any]) -> RegistrationRequest:
    r = row["r"]
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
    )


_REQUEST_RETURN: Final = """
        RETURN r {.*} AS r, [(r)-[:FOR]->(s:Service) | s.code][0] AS service,
               [(r)-[:SUBMITTED_BY]->(b:StateBody) | b.code][0] AS body
"""


async def create_request(tx: Tx, request: RegistrationRequest) -> None:
    await tx.run(
        """
        MATCH (s:Service {code: $service}), (b:StateBody {code: $body})
        CREATE (r:RegistrationRequest {
            id: $id, kind: $kind, status: $status, submittedAt: $submitted_at,
            reviewDue: $review_due, defects: [], fixDue: null, serviceVersion: $version,
            resubmissions: 0, summary: $summary
        })
        CREATE (r)-[:FOR]->(s), (r)-[:SUBMITTED_BY]->(b)
        """,
        {
            "id": request.id,
            "kind": request.kind,
            "status": request.status,
            "service": request.service,
            "body": request.state_body,
            "submitted_at": request.submitted_at,
            "review_due": request.review_due,
            "version": request.service_version,
            "summary": request.summary,
        },
    )


async def update_request(
    tx: Tx,
    request_id: str,
    *,
    status: str,
    at: datetime,
    defects: Sequence[str] = (),
    fix_due: date | None = None,
    review_due: date | None = None,
    version: int | None = None,
) -> None:
    """Decide (register/return) or resubmit a request: the fields that step sets."""
    await tx.run(
        """
        MATCH (r:RegistrationRequest {id: $id})
        SET r.status = $status,
            r.defects = CASE $status WHEN 'returned' THEN $defects ELSE r.defects END,
            r.fixDue = CASE $status WHEN 'returned' THEN $fix_due ELSE null END,
            r.decidedAt = CASE $status WHEN 'submitted' THEN r.decidedAt ELSE $at END,
            r.submittedAt = CASE $status WHEN 'submitted' THEN $at ELSE r.submittedAt END,
            r.reviewDue = coalesce($review_due, r.reviewDue),
            r.serviceVersion = coalesce($version, r.serviceVersion),
            r.resubmissions = r.resubmissions
                              + CASE $status WHEN 'submitted' THEN 1 ELSE 0 END
        """,
        {
            "id": request_id,
            "status": status,
            "at": at,
            "defects": list(defects),
            "fix_due": fix_due,
            "review_due": review_due,
            "version": version,
        },
    )


async def request_by_id(q: Query, request_id: str) -> RegistrationRequest | None:
    rows = await _run(
        q,
        "MATCH (r:RegistrationRequest {id: $id})" + _REQUEST_RETURN,
        {"id": request_id},
    )
    return _request(rows[0]) if rows else None


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
                              body: [(r)-[:SUBMITTED_BY]->(b:StateBody) | b.code][0]}) AS requests
        """,
        {"codes": list(codes)},
    )
    return {row["code"]: [_request(r) for r in row["requests"]] for row in rows}


async def list_requests(
    q: Query,
    *,
    status: str | None = None,
    body: str | None = None,
    overdue_on: date | None = None,
) -> list[RegistrationRequest]:
    """Requests by status/body; with ``overdue_on``, only those past their due date then.

    Overdue means: submitted and the agency's review deadline has passed, or returned and
    the body's fix deadline has passed (the due date itself is still in time).
    """
    rows = await _run(
        q,
        """
        MATCH (r:RegistrationRequest)-[:SUBMITTED_BY]->(b:StateBody)
        WHERE ($status IS NULL OR r.status = $status)
          AND ($body IS NULL OR b.code = $body)
          AND ($today IS NULL
               OR (r.status = 'submitted' AND r.reviewDue < $today)
               OR (r.status = 'returned' AND r.fixDue < $today))
        WITH r ORDER BY coalesce(r.fixDue, r.reviewDue), r.id
        """
        + _REQUEST_RETURN,
        {"status": status, "body": body, "today": overdue_on},
    )
    return [_request(row) for row in rows]
