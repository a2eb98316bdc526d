"""Where documents are filed: the case behind a document's case index (for the document's
GraphQL ``case`` field, one query for a whole page of documents)."""

from __future__ import annotations

from collections.abc import Sequence

from asan.archive.cases.models import Case
from asan.archive.filing import repository as repo
from asan.archive.nomenclature.policy import READ
from asan.auth.policy import Resource, authorize
from asan.auth.principal import Principal
from asan.core.platform import Platform


async def cases_of_documents(
    platform: Platform, principal: Principal, document_ids: Sequence[str]
) -> dict[str, Case]:
    """document id -> the case it is filed in; the caller already may read the documents."""
    authorize(principal, READ, Resource("Case"))
    rows = await repo.cases_of_documents(platform.db, document_ids)
    return {r["documentId"]: Case.of(r) for r in rows}
