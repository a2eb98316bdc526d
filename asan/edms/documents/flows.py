"""The document state machine: every step of every part is an explicit transition here.

``TRANSITIONS[kind][status][step] = next_status``. A step in another state is refused with
``InvalidTransition`` naming the current state and the steps allowed from it, which the
GraphQL layer returns as a userError (INVALID_TRANSITION). Appeals register their own table
with ``register_kind``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from asan.core.db import Tx
from asan.core.errors import InvalidTransition, NotFound

Table = dict[str, dict[str, str]]

_INCOMING: Table = {
    "received": {"register": "registered"},
    "registered": {"resolve": "in_execution", "file_without_action": "closed"},
    "in_execution": {"complete": "executed"},
    "executed": {"remove_from_control": "closed"},
    "closed": {"archive": "archived"},
    "archived": {},
}


def _draft_table(final_step: str) -> Table:
    return {
        "draft": {"send_to_visa": "on_visa", "new_version": "draft"},
        "on_visa": {"reject": "returned", "visas_complete": "form_check"},
        "returned": {"new_version": "draft"},
        "form_check": {"form_accepted": "to_sign", "form_rejected": "returned"},
        "to_sign": {"reject": "returned", "sign": "signed"},
        "signed": {final_step: "dispatched"},
        "dispatched": {"archive": "archived"},
        "archived": {},
    }


TRANSITIONS: dict[str, Table] = {
    "incoming": _INCOMING,
    "outgoing": _draft_table("dispatch"),
    "internal": _draft_table("distribute"),
    "order": _draft_table("distribute"),
}


def register_kind(kind: str, table: Table) -> None:
    """A part adds the table of its own document kind (appeals); a second table is a bug."""
    if kind in TRANSITIONS and TRANSITIONS[kind] != table:
        raise RuntimeError(f"document kind {kind} already has a state table")
    TRANSITIONS[kind] = table


def allowed_steps(kind: str, status: str) -> list[str]:
    return sorted(TRANSITIONS.get(kind, {}).get(status, {}))


def next_status(kind: str, status: str, step: str) -> str:
    """The status ``step`` leads to, or InvalidTransition naming the state and allowed steps."""
    target = TRANSITIONS.get(kind, {}).get(status, {}).get(step)
    if target is None:
        raise invalid(kind, status, step)
    return target


def invalid(kind: str, status: str, step: str) -> InvalidTransition:
    return not_in_state(kind, status, f"'{step}' mümkün deyil", f"'{step}' is not allowed")


def not_in_state(kind: str, status: str, what_az: str, what_en: str) -> InvalidTransition:
    """INVALID_TRANSITION for something the current state forbids, naming the allowed steps."""
    steps = allowed_steps(kind, status)
    listed = ", ".join(steps) if steps else "-"
    return InvalidTransition(
        f"{what_az}: sənəd '{status}' vəziyyətindədir, mümkün addımlar: {listed} / "
        f"{what_en}: the document is in state '{status}', allowed steps: {listed}",
        field="id",
    )


async def advance(tx: Tx, document_id: str, step: str) -> tuple[str, str]:
    """Lock the document, check ``step`` against its state, set the new status.

    The write lock is taken before the status is read, so two racing steps are serialised:
    the second sees the first's result and is refused if the step no longer applies.
    """
    rows = await tx.run(
        "MATCH (d:Document {id: $id}) SET d._lock = true REMOVE d._lock "
        "RETURN d.kind AS kind, d.status AS status",
        {"id": document_id},
    )
    if not rows:
        raise NotFound(f"Document {document_id} tapılmadı / not found", field="id")
    kind, old = rows[0]["kind"], rows[0]["status"]
    new = next_status(kind, old, step)
    await tx.run(
        "MATCH (d:Document {id: $id}) SET d.status = $status, d.updatedAt = $at",
        {"id": document_id, "status": new, "at": datetime.now(UTC)},
    )
    return old, new
