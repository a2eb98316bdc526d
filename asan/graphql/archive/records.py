"""Archived records over GraphQL: the ``ArchivedRecord`` type and what ``Case`` shows of them.

A case's record count goes through a per-request DataLoader (one query for a whole page of
cases); its records page by id. Thin resolvers over ``asan.archive.records.queries``.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from asan.archive.records import queries
from asan.archive.records.models import ArchivedRecord
from asan.core.platform import Platform
from asan.graphql.described import value
from asan.graphql.relay import Connection, PageRequest, build_connection, scope_of
from asan.graphql.request import by_key, platform_of, principal_of, request_loader


@strawberry.enum(
    name="ArchivedRecordFixity",
    description="What the last fixity audit found for an archived version (SHA-256 check).",
)
class ArchivedRecordFixity(enum.Enum):
    UNCHECKED = value("unchecked", "Not audited since ingest (ingest itself hashed it).")
    OK = value("ok", "Its bytes still hash to the SHA-256 recorded at ingest.")
    MISMATCH = value("mismatch", "Its bytes no longer hash to the recorded SHA-256.")
    MISSING = value("missing", "The pinned version is gone from the archive bucket.")


@strawberry.type(
    name="ArchivedRecord",
    description="One file version of a case's document as kept in the archive bucket under "
    "Object Lock (arxiv nüsxəsi): the object version it pins, its retention and fixity.",
)
class ArchivedRecordType(relay.Node):
    _id_attr = "record_id"
    record_id: str = strawberry.field(description="The record's own id.")
    case_id: str = strawberry.field(description="The case (iş) it belongs to.")
    document_id: str = strawberry.field(description="The document the file belongs to.")
    file_id: str = strawberry.field(description="The document file version it copies.")
    role: str = strawberry.field(description="The file's role (original, scan, signed...).")
    file_version: int = strawberry.field(description="The file's version number.")
    filename: str = strawberry.field(description="The file's name as uploaded.")
    content_type: str = strawberry.field(description="Its MIME type.")
    size: int = strawberry.field(description="Size in bytes.")
    sha256: str = strawberry.field(description="SHA-256 recorded when it was first stored.")
    key: str = strawberry.field(description="Object key in the archive bucket.")
    version_id: str | None = strawberry.field(
        description="The object version it pins (later versions under the key never count)."
    )
    retain_until: dt.datetime | None = strawberry.field(
        description="COMPLIANCE retain-until (UTC); null when the case's date had passed."
    )
    legal_hold: bool = strawberry.field(
        description="Under a legal hold (permanent case, or a hold placed on the case)."
    )
    ingested_at: dt.datetime = strawberry.field(description="When it was archived (UTC).")
    fixity: ArchivedRecordFixity = strawberry.field(description="The last fixity result.")
    fixity_checked_at: dt.datetime | None = strawberry.field(
        description="When the fixity audit last checked it (UTC)."
    )
    destroyed_at: dt.datetime | None = strawberry.field(
        description="When its version was deleted by a destruction act (UTC)."
    )
    destroyed_by_act: str | None = strawberry.field(
        description="The destruction act (məhv etmə aktı) that deleted it."
    )

    @classmethod
    def of(cls, r: ArchivedRecord) -> ArchivedRecordType:
        return cls(
            record_id=r.id,
            case_id=r.case_id,
            document_id=r.document_id,
            file_id=r.file_id,
            role=r.role,
            file_version=r.file_version,
            filename=r.filename,
            content_type=r.content_type,
            size=r.size,
            sha256=r.sha256,
            key=r.key,
            version_id=r.version_id,
            retain_until=r.retain_until,
            legal_hold=r.legal_hold,
            ingested_at=r.ingested_at,
            fixity=ArchivedRecordFixity(r.fixity),
            fixity_checked_at=r.fixity_checked_at,
            destroyed_at=r.destroyed_at,
            destroyed_by_act=r.destroyed_by_act,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[ArchivedRecordType | None]:
        platform, principal = platform_of(info), principal_of(info)
        found = [await queries.record_by_id(platform, principal, i) for i in list(node_ids)[:100]]
        return [cls.of(r) if r is not None else None for r in found]


def record_counts_loader(info: Info) -> DataLoader[str, int | None]:
    principal = principal_of(info)

    async def fetch(platform: Platform, case_ids: list[str]) -> dict[str, int]:
        return await queries.record_counts(platform, principal, case_ids)

    return request_loader(info, "archive.recordCounts", by_key(fetch, lambda: 0))


async def record_count(info: Info, case_id: str) -> int:
    return int(await record_counts_loader(info).load(case_id) or 0)


async def records_connection(
    info: Info, case_id: str, first: int | None, after: str | None
) -> Connection[ArchivedRecordType]:
    page = PageRequest.of(first, after, 1, scope=scope_of("archivedRecords", case_id))
    rows, total = await queries.records_of_case(
        platform_of(info),
        principal_of(info),
        case_id,
        after=page.after[0] if page.after else None,
        limit=page.limit,
    )
    return build_connection(rows, page, total, ArchivedRecordType.of, lambda r: [r.id])
