"""The visa holders' mutations: a visa on a step, and the signatory's return before signing.

The step is resolved as the policy's resource in the deciding transaction, after the draft's
lock: its holder is the one subject involved, so the holder (or the deputy acting for them
within a delegation) passes, anyone else is refused (as not found when they cannot see the
document at all). Racing decisions on one draft are judged one after the other.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource, can
from asan.auth.principal import Principal
from asan.core.db import Tx
from asan.core.errors import NotFound
from asan.core.platform import Platform
from asan.edms.documents import flows as doc_flows
from asan.edms.documents.access import to_resource
from asan.edms.documents.timeline import record_step
from asan.edms.drafts import checks, flows, policy
from asan.edms.drafts import repository as repo
from asan.edms.drafts.models import APPROVE_WITH_REMARKS, REJECT, Visa
from asan.edms.drafts.use_cases import advance_step, now


def _visa_target(principal: Principal, document_id: str, step_id: str) -> Any:
    """The step as a resource: its holder is the one subject involved; a caller who cannot
    see the document is refused as not found, one who can is told it is not theirs."""

    async def resolve(tx: Tx) -> Resource:
        row = await repo.lock_draft(tx, document_id)
        document = to_resource({**row, "id": document_id})
        readable = can(principal, "edms.document.read", document)
        step = next((s for s in await repo.steps(tx, document_id) if s.id == step_id), None)
        if step is None and readable:
            raise NotFound("viza addımı tapılmadı / visa step not found", field="stepId")
        return Resource(
            "VisaStep",
            step_id,
            org_unit=document.org_unit,
            status=document.status,
            classification=document.classification,
            involved=frozenset({step.user}) if step is not None else frozenset(),
            hidden_if_denied=not readable,
        )

    return resolve


async def decide_visa(
    platform: Platform,
    principal: Principal,
    document_id: str,
    step_id: str,
    decision: str,
    *,
    remarks: str = "",
    reasons: Sequence[str] = (),
    client_mutation_id: str | None = None,
) -> dict[str, Any]:
    """One visa: approve, approve with remarks, or reject with reasons (back to the unit)."""

    async def work(m: Mutation) -> dict[str, Any]:
        row = await repo.lock_draft(m.tx, document_id)  # already locked: same transaction
        cleaned_reasons = checks.check_reasons(reasons, "reasons", required=decision == REJECT)
        cleaned_remarks = checks.check_reasons(
            [remarks] if remarks else [], "remarks", required=decision == APPROVE_WITH_REMARKS
        )
        if row["status"] != "on_visa":
            raise doc_flows.invalid(row["kind"], row["status"], "visa")
        route = await repo.steps(m.tx, document_id)
        outcome = flows.decide(route, step_id, decision)
        step = next(s for s in route if s.id == step_id)
        visa = Visa(
            id=uuid.uuid4().hex,
            step_id=step_id,
            stage=step.stage,
            role=step.role,
            draft_version=row["version"],
            decision=decision,
            remarks=cleaned_remarks[0] if cleaned_remarks else "",
            reasons=cleaned_reasons,
            actor=m.principal.subject,
            acting_for=m.principal.acting_for,
            at=now(),
        )
        await repo.record_visa(m.tx, visa)
        await repo.set_step_statuses(m.tx, {step_id: outcome.step_status})
        await record_step(
            m.tx,
            document_id,
            "visa",
            m.principal,
            {
                "stepId": step_id,
                "stage": step.stage,
                "role": step.role,
                "decision": decision,
                "remarks": visa.remarks,
                "reasons": list(cleaned_reasons),
                "version": row["version"],
            },
        )
        status = row["status"]
        if outcome.rejected:
            status = await advance_step(
                m, document_id, "reject", {"reasons": list(cleaned_reasons)}
            )
        elif outcome.complete:
            status = await advance_step(m, document_id, "visas_complete")
        else:
            after = await repo.steps(m.tx, document_id)
            await repo.set_step_statuses(m.tx, flows.arrange(after))
        m.changed("Visa", visa.id, "created", ["decision", "documentId", "stepId"])
        m.changed(
            "Document",
            document_id,
            "status_changed" if status != row["status"] else "updated",
            ["status", "visas"] if status != row["status"] else ["visas"],
        )
        m.detail(step=step_id, decision=decision)
        return {"documentId": document_id, "visaId": visa.id, "status": status}

    return await run_mutation(
        platform,
        principal,
        policy.VISA,
        _visa_target(principal, document_id, step_id),
        work,
        client_mutation_id=client_mutation_id,
    )


def _signatory_target(principal: Principal, document_id: str) -> Any:
    async def resolve(tx: Tx) -> Resource:
        row = await repo.lock_draft(tx, document_id)
        document = to_resource({**row, "id": document_id})
        return Resource(
            "Document",
            document_id,
            org_unit=document.org_unit,
            status=document.status,
            classification=document.classification,
            involved=frozenset({row["signatory"]}) if row["signatory"] else frozenset(),
            hidden_if_denied=not can(principal, "edms.document.read", document),
        )

    return resolve


async def return_from_signature(
    platform: Platform,
    principal: Principal,
    document_id: str,
    reasons: Sequence[str],
    *,
    client_mutation_id: str | None = None,
) -> dict[str, Any]:
    """The signatory (or their acting deputy) declines to sign: back to the unit, reasons."""

    async def work(m: Mutation) -> dict[str, Any]:
        cleaned = checks.check_reasons(reasons, "reasons", required=True)
        status = await advance_step(
            m, document_id, "reject", {"reasons": list(cleaned), "by": "signatory"}
        )
        m.changed("Document", document_id, "status_changed", ["status"])
        return {"documentId": document_id, "status": status}

    return await run_mutation(
        platform,
        principal,
        policy.SIGNATORY_RETURN,
        _signatory_target(principal, document_id),
        work,
        client_mutation_id=client_mutation_id,
    )
