"""Transfer inventories (təhvil siyahısı) over GraphQL: drawing up, submitting, returning,
accepting (cases become transferred, their files are ingested), resuming an ingest; the list,
one inventory with its lines and ingest progress, and the URLs of its PDF and CSV.

Thin resolvers over ``asan.archive.transfer``; wrong states are INVALID_TRANSITION, a case
already on another open inventory a CONFLICT naming it, both as userErrors.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Awaitable, Callable, Iterable
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from asan.archive.transfer import ingest, reads, use_cases
from asan.archive.transfer.http import download_path
from asan.archive.transfer.models import Inventory, ListedCase
from asan.auth.principal import Principal
from asan.core.platform import Platform
from asan.graphql.archive.types import CaseStatus
from asan.graphql.described import value
from asan.graphql.errors import UserError
from asan.graphql.mutation import attempt
from asan.graphql.relay import After, Connection, First, PageRequest, build_connection, scope_of
from asan.graphql.request import platform_of, principal_of

CMID = "Repeat the request with the same id: it is done once."


@strawberry.enum(
    name="TransferInventoryStatus",
    description="Where a transfer inventory (təhvil siyahısı) stands: drafted by the unit, "
    "submitted to the archive, returned for correction, or accepted by an archivist.",
)
class TransferInventoryStatus(enum.Enum):
    DRAFT = value("draft", "Being drawn up by the unit (layihə).")
    SUBMITTED = value("submitted", "Handed to the agency's archive (təqdim edilib).")
    RETURNED = value(
        "returned", "Sent back by the archivist with a reason; corrected and submitted again."
    )
    ACCEPTED = value("accepted", "Accepted by an archivist: its cases are transferred.")


@strawberry.enum(
    name="TransferIngestStatus",
    description="How far the ingest of an accepted inventory's files into the Object Lock "
    "archive bucket has come (counted from the archived records, so right after a crash too).",
)
class TransferIngestStatus(enum.Enum):
    NOT_STARTED = value("not_started", "Not accepted yet: nothing is ingested.")
    INCOMPLETE = value(
        "incomplete",
        "Accepted, some files not archived yet: running, or interrupted (resume it with "
        "`resumeTransferIngest` or `asan archive transfer --resume`).",
    )
    COMPLETE = value("complete", "Every file of every listed case is archived.")


@strawberry.type(
    name="TransferInventoryLine",
    description="One case listed on a transfer inventory, with its ingest progress.",
)
class TransferInventoryLine:
    position: int = strawberry.field(description="Its line number on the inventory (from 1).")
    case_id: strawberry.ID = strawberry.field(description="The case (`case(id:)`).")
    index: str = strawberry.field(description="The case's index (işin indeksi).")
    title: str = strawberry.field(description="The case's title.")
    year: int = strawberry.field(description="The case's nomenclature year.")
    case_status: CaseStatus = strawberry.field(description="The case's lifecycle status now.")
    retention_years: int | None = strawberry.field(
        description="Retention in years; null when permanent."
    )
    permanent: bool = strawberry.field(description="Kept permanently (daimi saxlanılır).")
    disposal_date: dt.date | None = strawberry.field(
        description="When its retention ends; null for permanent cases."
    )
    first_document_date: dt.date | None = strawberry.field(
        description="Registration date of its earliest document (the case's start date)."
    )
    last_document_date: dt.date | None = strawberry.field(
        description="Registration date of its latest document (the case's end date)."
    )
    document_count: int = strawberry.field(description="Documents filed in it.")
    file_count: int = strawberry.field(description="File versions of its documents.")
    ingested_count: int = strawberry.field(
        description="Its file versions already archived in the Object Lock bucket."
    )
    ingest_complete: bool = strawberry.field(description="Every file of it is archived.")

    @classmethod
    def of(cls, line: ListedCase) -> TransferInventoryLine:
        return cls(
            position=line.position,
            case_id=strawberry.ID(line.case_id),
            index=line.index,
            title=line.title,
            year=line.year,
            case_status=CaseStatus(line.status),
            retention_years=line.retention_years,
            permanent=line.permanent,
            disposal_date=line.disposal_date,
            first_document_date=line.first_document,
            last_document_date=line.last_document,
            document_count=line.documents,
            file_count=line.files,
            ingested_count=line.ingested,
            ingest_complete=line.ingest_complete,
        )


@strawberry.type(
    name="TransferInventory",
    description="A transfer inventory (təhvil siyahısı, 'opis'): the cases of one unit and "
    "year handed from the unit's archive to the agency's archive, accepted by an archivist.",
)
class TransferInventoryType(relay.Node):
    _id_attr = "inventory_id"
    inventory_id: str = strawberry.field(description="The inventory's own id (use it in inputs).")
    number: str = strawberry.field(
        description="Its number, sequential in the year it was drawn up: `TI-2026-0001`."
    )
    unit: str = strawberry.field(description="Code of the unit handing the cases over.")
    unit_name: str | None = strawberry.field(
        description="The unit's name in Azerbaijani (null when the code names no unit now)."
    )
    year: int = strawberry.field(description="The nomenclature year of its cases.")
    status: TransferInventoryStatus = strawberry.field(description="Where it stands.")
    created_by: str = strawberry.field(description="Who drew it up (user id).")
    created_at: dt.datetime = strawberry.field(description="When it was drawn up (UTC).")
    submitted_at: dt.datetime | None = strawberry.field(description="Last submitted (UTC).")
    submitted_by: str | None = strawberry.field(description="Who last submitted it (user id).")
    accepted_at: dt.datetime | None = strawberry.field(description="When accepted (UTC).")
    accepted_by: str | None = strawberry.field(description="The archivist who accepted it.")
    returned_at: dt.datetime | None = strawberry.field(description="Last returned (UTC).")
    returned_by: str | None = strawberry.field(description="Who last returned it (user id).")
    returned_reason: str | None = strawberry.field(
        description="Why it was last returned (kept after it is submitted again)."
    )
    case_count: int = strawberry.field(description="Cases it lists.")
    file_count: int = strawberry.field(description="File versions of its cases' documents.")
    ingested_count: int = strawberry.field(description="Of those, already archived.")
    ingest_status: TransferIngestStatus = strawberry.field(
        description="How far the ingest of its files has come."
    )
    pdf_url: str = strawberry.field(
        description="Path of the inventory as a PDF with signature places (GET, bearer token)."
    )
    csv_url: str = strawberry.field(description="Path of the inventory as CSV (GET, bearer).")

    @strawberry.field(description="Its lines (the listed cases) in order, with ingest progress.")
    async def cases(self, info: Info) -> list[TransferInventoryLine]:
        lines = await reads.read_lines(platform_of(info), principal_of(info), self.inventory_id)
        return [TransferInventoryLine.of(line) for line in lines]

    @classmethod
    def of(cls, t: Inventory) -> TransferInventoryType:
        return cls(
            inventory_id=t.id,
            number=t.number,
            unit=t.unit,
            unit_name=t.unit_name,
            year=t.year,
            status=TransferInventoryStatus(t.status),
            created_by=t.created_by,
            created_at=t.created_at,
            submitted_at=t.submitted_at,
            submitted_by=t.submitted_by,
            accepted_at=t.accepted_at,
            accepted_by=t.accepted_by,
            returned_at=t.returned_at,
            returned_by=t.returned_by,
            returned_reason=t.returned_reason,
            case_count=t.case_count,
            file_count=t.files,
            ingested_count=t.ingested,
            ingest_status=TransferIngestStatus(t.ingest_status),
            pdf_url=download_path(t.id, "pdf"),
            csv_url=download_path(t.id, "csv"),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[TransferInventoryType | None]:
        platform, principal = platform_of(info), principal_of(info)
        found = [await reads.read_inventory(platform, principal, i) for i in list(node_ids)[:100]]
        return [cls.of(t) if t is not None else None for t in found]


@strawberry.type(name="TransferInventoryPayload", description="The inventory, or why not.")
class TransferInventoryPayload:
    inventory: TransferInventoryType | None = strawberry.field(description="As it is now.")
    user_errors: list[UserError] = strawberry.field(description="Input problems.")
    client_mutation_id: str | None = strawberry.field(description="As sent.")


@strawberry.type(
    name="TransferIngestPayload",
    description="The inventory after acceptance or a resumed ingest, and how the ingest went.",
)
class TransferIngestPayload:
    inventory: TransferInventoryType | None = strawberry.field(
        description="As it is now (see `ingestStatus`)."
    )
    ingest_running: bool = strawberry.field(
        description="The ingest outlasted the request and goes on in the server; watch "
        "`ingestStatus`."
    )
    ingest_error: str | None = strawberry.field(
        description="Why the ingest stopped at a case (it stays INCOMPLETE; fix and resume)."
    )
    user_errors: list[UserError] = strawberry.field(description="Input problems.")
    client_mutation_id: str | None = strawberry.field(description="As sent.")


@strawberry.input(name="TransferInventoryFilter", description="Which inventories; null: all.")
class TransferInventoryFilter:
    unit: str | None = strawberry.field(default=None, description="The unit's code.")
    year: int | None = strawberry.field(default=None, description="The cases' year.")
    status: TransferInventoryStatus | None = strawberry.field(
        default=None, description="Where they stand."
    )


@strawberry.input(
    name="CreateTransferInventoryInput",
    description="A new draft inventory of cases of one unit and year in the unit's archive.",
)
class CreateTransferInventoryInput:
    unit: str = strawberry.field(description="Code of the unit handing the cases over.")
    year: int = strawberry.field(description="The nomenclature year of the cases.")
    case_ids: list[strawberry.ID] = strawberry.field(
        description="The cases, in the order of the inventory (at most 500)."
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=CMID)


@strawberry.input(
    name="SetTransferInventoryCasesInput",
    description="The corrected list of a draft or returned inventory (replaces the old one).",
)
class SetTransferInventoryCasesInput:
    inventory_id: strawberry.ID = strawberry.field(description="The inventory.")
    case_ids: list[strawberry.ID] = strawberry.field(description="The cases, in order.")
    client_mutation_id: str | None = strawberry.field(default=None, description=CMID)


@strawberry.input(name="TransferInventoryInput", description="Which inventory.")
class TransferInventoryInput:
    inventory_id: strawberry.ID = strawberry.field(description="The inventory.")
    client_mutation_id: str | None = strawberry.field(default=None, description=CMID)


@strawberry.input(
    name="ReturnTransferInventoryInput",
    description="Send a submitted inventory back to the unit with what to correct.",
)
class ReturnTransferInventoryInput:
    inventory_id: strawberry.ID = strawberry.field(description="The inventory.")
    reason: str = strawberry.field(description="What the unit must correct (shown to it).")
    client_mutation_id: str | None = strawberry.field(default=None, description=CMID)


async def _inventory(info: Info, inventory_id: str) -> TransferInventoryType | None:
    found = await reads.read_inventory(platform_of(info), principal_of(info), inventory_id)
    return TransferInventoryType.of(found) if found is not None else None


Step = Callable[[Platform, Principal], Awaitable[str]]


async def _inventory_step(info: Info, cmid: str | None, step: Step) -> TransferInventoryPayload:
    """Run one inventory step as the caller and answer with the inventory as it now stands."""

    async def call() -> TransferInventoryType | None:
        return await _inventory(info, await step(platform_of(info), principal_of(info)))

    made, errors = await attempt(call)
    return TransferInventoryPayload(inventory=made, user_errors=errors, client_mutation_id=cmid)


async def _ingest_payload(
    info: Info, inventory_id: str | None, errors: list[UserError], cmid: str | None
) -> TransferIngestPayload:
    """Run (or join) the inventory's ingest for up to ``INLINE_SECONDS``, then answer."""
    if inventory_id is None:
        return TransferIngestPayload(
            inventory=None,
            ingest_running=False,
            ingest_error=None,
            user_errors=errors,
            client_mutation_id=cmid,
        )
    task = ingest.start(platform_of(info), principal_of(info), inventory_id)
    report = await ingest.settle(task)
    return TransferIngestPayload(
        inventory=await _inventory(info, inventory_id),
        ingest_running=report is None,
        ingest_error=report.error if report is not None else None,
        user_errors=errors,
        client_mutation_id=cmid,
    )


@strawberry.type
class TransferQuery:
    @strawberry.field(
        description="Transfer inventories, newest year first, then by number (keyset paging)."
    )
    async def transfer_inventories(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        filter: Annotated[
            TransferInventoryFilter | None, strawberry.argument(description="Filters.")
        ] = None,
    ) -> Connection[TransferInventoryType]:
        f = filter or TransferInventoryFilter()
        raw = {"unit": f.unit, "year": f.year, "status": f.status.value if f.status else None}
        page = PageRequest.of(first, after, 2, scope=scope_of("transferInventories", raw))
        rows, total = await reads.list_inventories(
            platform_of(info), principal_of(info), raw, after=page.after, limit=page.limit
        )
        return build_connection(rows, page, total, TransferInventoryType.of, reads.cursor_of)

    @strawberry.field(description="One transfer inventory by id or number; null when none.")
    async def transfer_inventory(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The inventory's id or number (`TI-2026-0001`)."),
        ],
    ) -> TransferInventoryType | None:
        found = await reads.find_inventory(platform_of(info), principal_of(info), str(id))
        return TransferInventoryType.of(found) if found is not None else None


@strawberry.type
class TransferMutation:
    @strawberry.mutation(
        description="Draw up a transfer inventory (təhvil siyahısı) of a unit's cases of one "
        "year that are in the unit's archive (the unit's head or a registrar). A case already "
        "on another open inventory is a CONFLICT naming it."
    )
    async def create_transfer_inventory(
        self,
        info: Info,
        input: Annotated[
            CreateTransferInventoryInput, strawberry.argument(description="Unit, year, cases.")
        ],
    ) -> TransferInventoryPayload:
        return await _inventory_step(
            info,
            input.client_mutation_id,
            lambda platform, principal: use_cases.create_inventory(
                platform,
                principal,
                input.unit,
                input.year,
                [str(c) for c in input.case_ids],
                client_mutation_id=input.client_mutation_id,
            ),
        )

    @strawberry.mutation(description="Correct the list of cases of a draft or returned inventory.")
    async def set_transfer_inventory_cases(
        self,
        info: Info,
        input: Annotated[
            SetTransferInventoryCasesInput, strawberry.argument(description="The new list.")
        ],
    ) -> TransferInventoryPayload:
        return await _inventory_step(
            info,
            input.client_mutation_id,
            lambda platform, principal: use_cases.set_inventory_cases(
                platform,
                principal,
                str(input.inventory_id),
                [str(c) for c in input.case_ids],
                client_mutation_id=input.client_mutation_id,
            ),
        )

    @strawberry.mutation(
        description="Submit a draft or returned inventory to the agency's archive."
    )
    async def submit_transfer_inventory(
        self,
        info: Info,
        input: Annotated[TransferInventoryInput, strawberry.argument(description="Which.")],
    ) -> TransferInventoryPayload:
        return await _inventory_step(
            info,
            input.client_mutation_id,
            lambda platform, principal: use_cases.submit_inventory(
                platform,
                principal,
                str(input.inventory_id),
                client_mutation_id=input.client_mutation_id,
            ),
        )

    @strawberry.mutation(
        description="Return a submitted inventory to the unit with a reason (an archivist); "
        "the unit corrects it and submits it again."
    )
    async def return_transfer_inventory(
        self,
        info: Info,
        input: Annotated[
            ReturnTransferInventoryInput, strawberry.argument(description="Which and why.")
        ],
    ) -> TransferInventoryPayload:
        return await _inventory_step(
            info,
            input.client_mutation_id,
            lambda platform, principal: use_cases.return_inventory(
                platform,
                principal,
                str(input.inventory_id),
                input.reason,
                client_mutation_id=input.client_mutation_id,
            ),
        )

    @strawberry.mutation(
        description="Accept a submitted inventory (an archivist): in one audited step it is "
        "accepted and every listed case becomes TRANSFERRED; then its files are ingested into "
        "the Object Lock bucket (waited for up to 20 s; a longer ingest goes on in the server)."
    )
    async def accept_transfer_inventory(
        self,
        info: Info,
        input: Annotated[TransferInventoryInput, strawberry.argument(description="Which.")],
    ) -> TransferIngestPayload:
        platform, principal = platform_of(info), principal_of(info)

        async def call() -> str:
            return await use_cases.accept_inventory(
                platform,
                principal,
                str(input.inventory_id),
                client_mutation_id=input.client_mutation_id,
            )

        done, errors = await attempt(call)
        return await _ingest_payload(info, done, errors, input.client_mutation_id)

    @strawberry.mutation(
        description="Finish the ingest of an accepted inventory that was interrupted: files "
        "already archived are not archived again (archivists, registrars)."
    )
    async def resume_transfer_ingest(
        self,
        info: Info,
        input: Annotated[TransferInventoryInput, strawberry.argument(description="Which.")],
    ) -> TransferIngestPayload:
        platform, principal = platform_of(info), principal_of(info)

        async def call() -> str:
            return await use_cases.authorize_resume(platform, principal, str(input.inventory_id))

        done, errors = await attempt(call)
        return await _ingest_payload(info, done, errors, input.client_mutation_id)


QUERIES: list[type] = [TransferQuery]
MUTATIONS: list[type] = [TransferMutation]
