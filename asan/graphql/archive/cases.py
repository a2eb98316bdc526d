"""Cases over GraphQL: the paged list, one case, its lifecycle steps and filing into it.

Thin resolvers over ``asan.archive.cases``; refusals of a step come back as
INVALID_TRANSITION userErrors naming the case's state and its allowed steps.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from asan.archive.cases import use_cases
from asan.graphql.archive.types import CasePayload, CaseStatus, CaseType
from asan.graphql.mutation import attempt
from asan.graphql.relay import After, Connection, First, PageRequest, build_connection, scope_of
from asan.graphql.request import platform_of, principal_of

CMID = "Repeat the request with the same id: it is done once."


@strawberry.input(name="CaseFilter", description="Which cases; every field null: all.")
class CaseFilter:
    year: int | None = strawberry.field(default=None, description="The nomenclature's year.")
    unit: str | None = strawberry.field(default=None, description="The unit's code.")
    status: CaseStatus | None = strawberry.field(default=None, description="Lifecycle status.")
    index: str | None = strawberry.field(
        default=None, description="The exact index (e.g. `DEPT-IT-03`), of every year."
    )


@strawberry.input(name="ChangeCaseStatusInput", description="A case's next lifecycle step.")
class ChangeCaseStatusInput:
    case_id: strawberry.ID = strawberry.field(description="The case.")
    to: CaseStatus = strawberry.field(description="The status it moves to (one allowed step).")
    closed_on: date | None = strawberry.field(
        default=None,
        description="Only when closing a case of past years: the day it was closed (its "
        "year starts the retention clock). Null: today.",
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=CMID)


@strawberry.input(
    name="FileDocumentIntoCaseInput",
    description="Which document goes into which open case (işə tikmə).",
)
class FileDocumentIntoCaseInput:
    document_id: strawberry.ID = strawberry.field(description="The document.")
    case_id: strawberry.ID = strawberry.field(description="An open case.")
    client_mutation_id: str | None = strawberry.field(default=None, description=CMID)


async def _case_payload(info: Info, case_id: str, cmid: str | None) -> CaseType | None:
    found = await use_cases.read_case(platform_of(info), principal_of(info), case_id)
    return CaseType.of(found) if found else None


@strawberry.type
class CasesQuery:
    @strawberry.field(description="Cases by year, then index (keyset paging).")
    async def cases(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        filter: Annotated[CaseFilter | None, strawberry.argument(description="Filters.")] = None,
    ) -> Connection[CaseType]:
        f = filter or CaseFilter()
        raw = {
            "year": f.year,
            "unit": f.unit,
            "status": f.status.value if f.status else None,
            "index": f.index,
        }
        page = PageRequest.of(first, after, 2, scope=scope_of("cases", raw))
        rows, total = await use_cases.list_cases(
            platform_of(info), principal_of(info), raw, after=page.after, limit=page.limit
        )
        return build_connection(rows, page, total, CaseType.of, use_cases.cursor_of)

    @strawberry.field(description="One case by its id; null when there is none.")
    async def case(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The case's id.")],
    ) -> CaseType | None:
        return await _case_payload(info, str(id), None)


@strawberry.type
class CasesMutation:
    @strawberry.mutation(
        description="Move a case one step along its lifecycle: open -> closed -> unit_archive "
        "-> transferred -> destroyed | permanent. Closing needs a retention period and fixes "
        "the disposal date; destruction waits for it and never applies to permanent cases."
    )
    async def change_case_status(
        self,
        info: Info,
        input: Annotated[ChangeCaseStatusInput, strawberry.argument(description="The step.")],
    ) -> CasePayload:
        platform, principal = platform_of(info), principal_of(info)

        async def call() -> CaseType | None:
            case_id = await use_cases.change_status(
                platform,
                principal,
                str(input.case_id),
                input.to.value,
                closed_on=input.closed_on,
                client_mutation_id=input.client_mutation_id,
            )
            return await _case_payload(info, case_id, input.client_mutation_id)

        made, errors = await attempt(call)
        return CasePayload(
            case=made, user_errors=errors, client_mutation_id=input.client_mutation_id
        )

    @strawberry.mutation(
        description="File a document into an open case (işə tikmək): the document's case "
        "index becomes a link to the case. CONFLICT for a case that is not open, naming the "
        "case open for the same index, if any."
    )
    async def file_document_into_case(
        self,
        info: Info,
        input: Annotated[
            FileDocumentIntoCaseInput, strawberry.argument(description="Document and case.")
        ],
    ) -> CasePayload:
        platform, principal = platform_of(info), principal_of(info)

        async def call() -> CaseType | None:
            case_id = await use_cases.file_document(
                platform,
                principal,
                str(input.document_id),
                str(input.case_id),
                client_mutation_id=input.client_mutation_id,
            )
            return await _case_payload(info, case_id, input.client_mutation_id)

        made, errors = await attempt(call)
        return CasePayload(
            case=made, user_errors=errors, client_mutation_id=input.client_mutation_id
        )


QUERIES: list[type] = [CasesQuery]
MUTATIONS: list[type] = [CasesMutation]
