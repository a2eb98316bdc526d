"""Running a case's ingest again on request (GraphQL ``ingestCase``): resuming one that was
interrupted, or archiving files added since.

``ingest_case`` looks the case up before it authorises, and refuses without an audit entry;
a request from outside must be refused like every other mutation: authorised first (an
unknown case is a hidden resource, so the caller learns nothing), the refusal appended to
the audit chain with the policy's reason. The ingest itself is idempotent, so a repeated
request (same clientMutationId or not) adds nothing twice.
"""

from __future__ import annotations

from asan.archive.records import repository as repo
from asan.archive.records.ingest import ingest_case
from asan.archive.records.models import IngestReport
from asan.archive.records.policy import INGEST
from asan.auth.pipeline import record_refusal
from asan.auth.policy import Resource, denial_reason, refusal
from asan.auth.principal import Principal
from asan.core.platform import Platform


async def reingest_case(
    platform: Platform, principal: Principal, case_id: str, *, concurrency: int = 16
) -> IngestReport:
    row = await repo.case_for_ingest(platform.db, case_id)
    resource = (
        Resource("Case", id=case_id, hidden_if_denied=True)
        if row is None
        else Resource("Case", id=case_id, org_unit=row["unit"], status=row["status"])
    )
    reason = denial_reason(principal, INGEST, resource)
    if reason is not None:
        await record_refusal(platform, principal, INGEST, resource, reason)
        raise refusal(principal, INGEST, resource)
    return await ingest_case(platform, principal, case_id, concurrency=concurrency)
