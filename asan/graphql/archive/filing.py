"""The case a document is filed in, for ``Document.case``: a per-request DataLoader, so a page
of documents costs one query."""

from __future__ import annotations

from typing import TYPE_CHECKING

from strawberry.dataloader import DataLoader
from strawberry.types import Info

from asan.archive.cases.models import Case
from asan.archive.filing.reads import cases_of_documents
from asan.core.platform import Platform
from asan.graphql.request import by_key, principal_of, request_loader

if TYPE_CHECKING:
    from asan.graphql.archive.types import CaseType


def _loader(info: Info) -> DataLoader[str, Case | None]:
    principal = principal_of(info)

    async def fetch(platform: Platform, document_ids: list[str]) -> dict[str, Case]:
        return await cases_of_documents(platform, principal, document_ids)

    return request_loader(info, "archive.casesOfDocuments", by_key(fetch))


async def case_of_document(info: Info, document_id: str) -> CaseType | None:
    from asan.graphql.archive.types import CaseType  # imports the document types' neighbours

    found = await _loader(info).load(document_id)
    return CaseType.of(found) if found is not None else None
