"""BagIt exports over GraphQL: ``exportCase`` and the ``archiveExports`` list.

Thin resolvers over ``asan.archive.export.use_cases``. The export is written, validated and
packed while the request waits, up to ``ASAN_ARCHIVE_EXPORT_WAIT_SECONDS`` (below the API's
request timeout); a larger one is answered as WRITING and finishes in the background
(bench/bench_archive_bagit.py has the figures). The package is downloaded from
``downloadUrl`` with the same bearer token.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from asan.archive.export import use_cases
from asan.archive.export.models import ArchiveExport, download_path
from asan.archive.export.settings import export_settings
from asan.core.errors import NotFound
from asan.graphql.described import value
from asan.graphql.errors import UserError
from asan.graphql.mutation import attempt
from asan.graphql.relay import After, Connection, First, PageRequest, build_connection, scope_of
from asan.graphql.request import platform_of, principal_of


@strawberry.enum(name="ArchiveExportStatus", description="Where an export stands.")
class ArchiveExportStatus(enum.Enum):
    WRITING = value("writing", "The bag is being written (or the process writing it died).")
    DONE = value("done", "Written, validated by bagit and packed as a .tar.")
    FAILED = value("failed", "Refused while writing (e.g. a file that did not match its SHA-256).")


@strawberry.type(
    name="ArchiveExport",
    description="A permanent case exported as a BagIt package (RFC 8493) for the State "
    "Archive: its files, registration cards, signatures, the case's metadata and fixity.",
)
class ArchiveExportType(relay.Node):
    _id_attr = "export_id"
    export_id: str = strawberry.field(description="The export's own id.")
    case_id: str = strawberry.field(description="The case (iş) exported.")
    index: str = strawberry.field(description="The case's index, e.g. `DEPT-IT-03`.")
    year: int = strawberry.field(description="The case's nomenclature year.")
    status: ArchiveExportStatus = strawberry.field(description="Where it stands.")
    files: int | None = strawberry.field(description="File versions in the package.")
    bytes: float | None = strawberry.field(
        description="Size of the .tar in bytes (a Float: packages may pass 2 GiB)."
    )
    payload_bytes: float | None = strawberry.field(
        description="Size of the archived files in bytes."
    )
    sha256: str | None = strawberry.field(description="SHA-256 of the .tar.")
    validated: bool = strawberry.field(
        description="True once bagit validated the bag after writing it (never otherwise)."
    )
    created_at: dt.datetime = strawberry.field(description="When it was started (UTC).")
    created_by: str = strawberry.field(description="Who started it.")
    finished_at: dt.datetime | None = strawberry.field(description="When it ended (UTC).")
    error: str | None = strawberry.field(description="Why it failed, for a failed export.")
    download_url: str | None = strawberry.field(
        description="Path of the .tar (bearer token; the read policy is checked per request); "
        "null until the export is done."
    )

    @classmethod
    def of(cls, e: ArchiveExport) -> ArchiveExportType:
        return cls(
            export_id=e.id,
            case_id=e.case_id,
            index=e.index,
            year=e.year,
            status=ArchiveExportStatus(e.status),
            files=e.files,
            bytes=e.bytes,
            payload_bytes=e.payload_bytes,
            sha256=e.sha256,
            validated=e.validated,
            created_at=e.created_at,
            created_by=e.created_by,
            finished_at=e.finished_at,
            error=e.error,
            download_url=download_path(e.id) if e.status == "done" else None,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[ArchiveExportType | None]:
        platform, principal = platform_of(info), principal_of(info)
        found: list[ArchiveExportType | None] = []
        for node_id in list(node_ids)[:100]:
            try:
                found.append(cls.of(await use_cases.read_export(platform, principal, node_id)))
            except NotFound:
                found.append(None)
        return found


@strawberry.input(name="ExportCaseInput", description="Which permanent case to export.")
class ExportCaseInput:
    case_id: strawberry.ID = strawberry.field(
        description="A permanent case (transferred or kept permanently) whose files are all "
        "in the archive bucket."
    )
    client_mutation_id: str | None = strawberry.field(
        default=None, description="Repeat the request with the same id: it is done once."
    )


@strawberry.type(name="ExportCasePayload", description="The export, or why not.")
class ExportCasePayload:
    export: ArchiveExportType | None = strawberry.field(description="The finished export.")
    user_errors: list[UserError] = strawberry.field(description="Input problems.")
    client_mutation_id: str | None = strawberry.field(description="As sent.")


@strawberry.type
class ExportQuery:
    @strawberry.field(
        description="BagIt exports, newest first (keyset paging); those of cases holding "
        "secret documents only for callers cleared for them."
    )
    async def archive_exports(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        case_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only this case's exports; null: every case's."),
        ] = None,
    ) -> Connection[ArchiveExportType]:
        case = str(case_id) if case_id is not None else None
        page = PageRequest.of(first, after, 2, scope=scope_of("archiveExports", case))
        rows, total = await use_cases.list_exports(
            platform_of(info), principal_of(info), case, after=page.after, limit=page.limit
        )
        return build_connection(rows, page, total, ArchiveExportType.of, use_cases.cursor_of)


@strawberry.type
class ExportMutation:
    @strawberry.mutation(
        description="Export a permanent case as a BagIt package (RFC 8493): every archived "
        "file version (checked against its recorded SHA-256), the registration cards, the "
        "signatures, the case's metadata and fixity; validated with bagit after writing and "
        "packed as a .tar. An export not finished within ASAN_ARCHIVE_EXPORT_WAIT_SECONDS "
        "(20 s) is answered with status WRITING and finishes in the background (poll "
        "`archiveExports`). CONFLICT when a file is not ingested or does not match its hash; "
        "INVALID_TRANSITION for a case that is not permanent, transferred or kept permanently."
    )
    async def export_case(
        self,
        info: Info,
        input: Annotated[ExportCaseInput, strawberry.argument(description="The case.")],
    ) -> ExportCasePayload:
        platform, principal = platform_of(info), principal_of(info)

        async def call() -> ArchiveExportType:
            made = await use_cases.export_case(
                platform,
                principal,
                str(input.case_id),
                client_mutation_id=input.client_mutation_id,
                wait_seconds=export_settings().wait_seconds,
            )
            return ArchiveExportType.of(made)

        made, errors = await attempt(call)
        return ExportCasePayload(
            export=made, user_errors=errors, client_mutation_id=input.client_mutation_id
        )


QUERIES: list[type] = [ExportQuery]
MUTATIONS: list[type] = [ExportMutation]
