"""The one audited-mutation pipeline every mutation of every domain goes through.

One call is one unit of work in one Neo4j transaction: resolve the resource (it may read the
graph in the transaction), authorise, run the work, append the change events it reported to
the change log, append the audit event (the last write: it holds the audit chain's head until
commit), commit. Every mutation locks the change-log head and the audit head, so contended
mutations can deadlock; the WHOLE unit is then run again with jittered exponential backoff
(``ASAN_MUTATION_MAX_ATTEMPTS`` attempts in all). When every attempt failed transiently the
caller gets ``ServiceUnavailable("neo4j")`` (SERVICE_UNAVAILABLE: retry later), never a
half-done change.

A refusal rolls the unit back and is appended to the audit chain with the policy's reason in
its own (also retried) transaction, then raised as Forbidden, or NotFound for hidden data.
``ValidationFailed`` and other ``DomainError``s raised by the work roll back and propagate: no
change event and no "allowed" audit event is left behind.

Idempotency: with a ``client_mutation_id`` the unit first MERGEs a ``(:MutationReceipt)`` keyed
by the subject and that id (a unique constraint, so a concurrent twin waits on the lock and then
sees the first one's receipt). A receipt with a result is a repeat: its stored result is
returned (decoded from JSON) and nothing runs, changes or is audited again. Otherwise the work
runs and its result is stored on the receipt in the same transaction, so a rolled-back or
refused attempt leaves no receipt and may be sent again. Results of such calls are stored as
JSON (dataclasses as objects, dates as ISO strings); a repeat gets that JSON back, through the
caller's ``replay`` function when it needs its own type again.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import asdict, is_dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from asan.auth import audit
from asan.auth.policy import Resource, denial_reason, refusal
from asan.auth.principal import Principal
from asan.core import changelog
from asan.core.changelog import Change
from asan.core.db import Tx
from asan.core.errors import BadInput, Conflict, ServiceUnavailable
from asan.core.platform import Platform
from asan.core.uow import (
    RETRY_STATS,
    RetryStats,
    UnitOfWork,
    forced_transient_failures,
    is_transient,
)

__all__ = [
    "RETRY_STATS",
    "Change",
    "Mutation",
    "RetryStats",
    "forced_transient_failures",
    "retry_count",
    "run_mutation",
]

T = TypeVar("T")
ResourceSpec = Resource | Callable[[Tx], Awaitable[Resource]]
# An action may depend on what the resource resolved to in the transaction (a service's
# lifecycle step is "register" or "resume" depending on its current status).
ActionSpec = str | Callable[[Resource], str]


def retry_count() -> int:
    """Whole-unit retries in this process so far (benches and tests read the difference)."""
    return RETRY_STATS.retries


class Mutation:
    """What the work function gets: the unit, the caller, and where to report what changed."""

    def __init__(self, uow: UnitOfWork, principal: Principal, action: str, resource: Resource):
        self.uow = uow
        self.principal = principal
        self.action = action
        self.resource = resource  # as resolved and authorised in this transaction
        self.changes: list[Change] = []
        self.details: dict[str, Any] = {}

    @property
    def tx(self) -> Tx:
        return self.uow.tx

    def changed(self, kind: str, id: str, operation: str, fields: Iterable[str] = ()) -> None:
        """Report one changed entity; it reaches the change log only if the unit commits."""
        self.changes.append(Change(kind, id, operation, tuple(fields)))

    def detail(self, **details: Any) -> None:
        """Merged into the audit event's details."""
        self.details.update(details)


class _Refused(Exception):
    def __init__(self, action: str, resource: Resource, reason: str) -> None:
        super().__init__(reason)
        self.action = action
        self.resource = resource
        self.reason = reason


async def run_mutation(
    platform: Platform,
    principal: Principal,
    action: ActionSpec,
    resource: ResourceSpec,
    work: Callable[[Mutation], Awaitable[T]],
    *,
    details: Mapping[str, Any] | None = None,
    audit_resource: Callable[[T], Resource] | None = None,
    client_mutation_id: str | None = None,
    replay: Callable[[Any], T] | None = None,
) -> T:
    """Authorise ``action`` on ``resource`` and run ``work`` as one audited, retried unit;
    a repeat of ``client_mutation_id`` by the same subject returns the first result (its
    JSON, passed through ``replay`` when given: e.g. ``lambda d: StoredFile(**d)``)."""
    receipt_key = _receipt_key(principal, client_mutation_id)

    async def unit(uow: UnitOfWork) -> T:
        if receipt_key is not None:
            repeated, result = await _receipt(uow.tx, receipt_key, principal, action)
            if repeated:
                return replay(result) if replay is not None else result
        target = resource if isinstance(resource, Resource) else await resource(uow.tx)
        name = action if isinstance(action, str) else action(target)
        reason = denial_reason(principal, name, target)
        if reason is not None:
            raise _Refused(name, target, reason)  # leaves the unit: nothing it read is kept
        mutation = Mutation(uow, principal, name, target)
        result = await work(mutation)
        await changelog.append(uow.tx, mutation.changes, principal.subject, name, datetime.now(UTC))
        await audit.record(
            uow.tx,
            principal,
            name,
            audit_resource(result) if audit_resource is not None else target,
            details={**(details or {}), **mutation.details},
        )
        if receipt_key is not None:
            await _store_receipt(uow.tx, receipt_key, name, result)
        return result

    try:
        try:
            return await platform.in_transaction(unit)
        except _Refused as refused:
            name, target = refused.action, refused.resource
            await record_refusal(platform, principal, name, target, refused.reason)
            raise refusal(principal, name, target) from None
    except Exception as exc:
        if is_transient(exc):  # every attempt failed transiently
            raise ServiceUnavailable("neo4j", retry_after=1.0) from exc
        raise


MAX_CLIENT_MUTATION_ID = 128


def _receipt_key(principal: Principal, client_mutation_id: str | None) -> str | None:
    if client_mutation_id is None:
        return None
    if not 0 < len(client_mutation_id) <= MAX_CLIENT_MUTATION_ID or not (
        client_mutation_id.isprintable()
    ):
        raise BadInput(
            f"clientMutationId 1-{MAX_CLIENT_MUTATION_ID} çap olunan simvol olmalıdır / "
            f"clientMutationId must be 1-{MAX_CLIENT_MUTATION_ID} printable characters",
            field="clientMutationId",
        )
    return f"{principal.kind}:{principal.subject}\x1f{client_mutation_id}"


async def _receipt(tx: Tx, key: str, principal: Principal, action: ActionSpec) -> tuple[bool, Any]:
    """Lock (or create) the receipt; (True, first result) when this is a repeat."""
    rows = await tx.run(
        """
        MERGE (r:MutationReceipt {key: $key})
          ON CREATE SET r.subject = $subject, r.at = $at
        RETURN r.result AS result, r.action AS action
        """,
        {"key": key, "subject": principal.subject, "at": datetime.now(UTC)},
    )
    stored = rows[0]["result"]
    if stored is None:
        return False, None
    if isinstance(action, str) and rows[0]["action"] != action:
        raise Conflict(
            "bu clientMutationId başqa əməliyyat üçün işlədilib / "
            "this clientMutationId was used for another mutation",
            field="clientMutationId",
        )
    return True, json.loads(stored)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"a mutation result with a client mutation id must be JSON: {value!r}")


async def _store_receipt(tx: Tx, key: str, action: str, result: Any) -> None:
    await tx.run(
        "MATCH (r:MutationReceipt {key: $key}) SET r.result = $result, r.action = $action",
        {
            "key": key,
            "result": json.dumps(result, ensure_ascii=False, default=_json_default),
            "action": action,
        },
    )


async def record_refusal(
    platform: Platform, principal: Principal, action: str, resource: Resource, reason: str
) -> None:
    """The refused change never ran; its refusal is appended in its own retried unit."""

    async def unit(uow: UnitOfWork) -> None:
        await audit.record(
            uow.tx, principal, action, resource, outcome="refused", details={"reason": reason}
        )

    await platform.in_transaction(unit)


async def run_audited(platform: Platform, work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    """A unit that audits itself without a policy check (sign-in, token refresh, logout),
    retried like a mutation; exhausted retries answer SERVICE_UNAVAILABLE."""
    try:
        return await platform.in_transaction(work)
    except Exception as exc:
        if is_transient(exc):
            raise ServiceUnavailable("neo4j", retry_after=1.0) from exc
        raise
