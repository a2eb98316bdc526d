"""The nomenclature of cases over GraphQL: read a year's, and each step of its approval.

Thin resolvers over ``asan.archive.nomenclature``; each mutation is one audited unit that a
repeat with the same ``clientMutationId`` does not do twice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry
from strawberry.types import Info

from asan.archive.cases.use_cases import read_case
from asan.archive.nomenclature import use_cases
from asan.archive.nomenclature.models import Nomenclature
from asan.graphql.archive.types import CasePayload, CaseType, NomenclaturePayload, NomenclatureType
from asan.graphql.mutation import attempt
from asan.graphql.request import platform_of, principal_of

CMID = "Repeat the request with the same id: it is done once."


@strawberry.input(name="NomenclatureYearInput", description="Which year's nomenclature.")
class NomenclatureYearInput:
    year: int = strawberry.field(description="The calendar year (2000-2100).")
    client_mutation_id: str | None = strawberry.field(default=None, description=CMID)


@strawberry.input(
    name="CreateNextNomenclatureInput",
    description="The year whose nomenclature next year's is copied from.",
)
class CreateNextNomenclatureInput:
    from_year: int = strawberry.field(description="This year; next year's is created.")
    client_mutation_id: str | None = strawberry.field(default=None, description=CMID)


@strawberry.input(
    name="AddNomenclatureCaseInput",
    description="A case a unit plans for the year (its line of the nomenclature).",
)
class AddNomenclatureCaseInput:
    year: int = strawberry.field(description="The nomenclature's year (it must be a draft).")
    unit: str = strawberry.field(description="Code of the unit (struktur bölmə) it belongs to.")
    number: int = strawberry.field(
        description="Its number in the unit's list (1-999); the index is `<unit>-<number>`."
    )
    title: str = strawberry.field(description="The case's title (işin başlığı).")
    retention_years: int | None = strawberry.field(
        default=None,
        description="Retention period in years (1-100); may be left for later, but a case "
        "without one (and not permanent) cannot be closed.",
    )
    permanent: bool = strawberry.field(
        default=False, description="Kept permanently (daimi); then no retention years."
    )
    article: str | None = strawberry.field(
        default=None,
        description="Article of the list of typical documents (tipik sənədlər siyahısı).",
    )
    expert_review: bool = strawberry.field(
        default=False, description="Needs the expert commission's review (ekspert baxışı)."
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=CMID)


async def _nomenclature_payload(
    info: Info, call: Callable[[], Awaitable[int]], cmid: str | None
) -> NomenclaturePayload:
    platform, principal = platform_of(info), principal_of(info)

    async def run() -> Nomenclature | None:
        year = await call()
        return await use_cases.read_nomenclature(platform, principal, year)

    found, errors = await attempt(run)
    return NomenclaturePayload(
        nomenclature=NomenclatureType.of(found) if found else None,
        user_errors=errors,
        client_mutation_id=cmid,
    )


@strawberry.type
class NomenclatureQuery:
    @strawberry.field(
        description="A year's nomenclature of cases (işlərin nomenklaturu); null when none was "
        "created. Its cases: `cases(filter: {year})`."
    )
    async def nomenclature(
        self,
        info: Info,
        year: Annotated[int, strawberry.argument(description="The calendar year.")],
    ) -> NomenclatureType | None:
        found = await use_cases.read_nomenclature(platform_of(info), principal_of(info), year)
        return NomenclatureType.of(found) if found else None


@strawberry.type
class NomenclatureMutation:
    @strawberry.mutation(
        description="Start a year's nomenclature as an empty draft (the EDMS department's "
        "registrar). To start from last year's, use `createNextNomenclature`."
    )
    async def create_nomenclature(
        self,
        info: Info,
        input: Annotated[NomenclatureYearInput, strawberry.argument(description="The year.")],
    ) -> NomenclaturePayload:
        platform, principal = platform_of(info), principal_of(info)
        return await _nomenclature_payload(
            info,
            lambda: use_cases.create_nomenclature(
                platform, principal, input.year, client_mutation_id=input.client_mutation_id
            ),
            input.client_mutation_id,
        )

    @strawberry.mutation(
        description="Next year's nomenclature as a copy of this year's: the same indexes, "
        "titles and retention periods, new case ids, every case open, status draft."
    )
    async def create_next_nomenclature(
        self,
        info: Info,
        input: Annotated[
            CreateNextNomenclatureInput, strawberry.argument(description="The year to copy.")
        ],
    ) -> NomenclaturePayload:
        platform, principal = platform_of(info), principal_of(info)
        return await _nomenclature_payload(
            info,
            lambda: use_cases.create_next(
                platform, principal, input.from_year, client_mutation_id=input.client_mutation_id
            ),
            input.client_mutation_id,
        )

    @strawberry.mutation(
        description="Compile the units' drafts into the general nomenclature (the EDMS "
        "department's registrar): no more cases are added. INVALID_TRANSITION unless a draft "
        "with at least one case."
    )
    async def compile_nomenclature(
        self,
        info: Info,
        input: Annotated[NomenclatureYearInput, strawberry.argument(description="The year.")],
    ) -> NomenclaturePayload:
        platform, principal = platform_of(info), principal_of(info)
        return await _nomenclature_payload(
            info,
            lambda: use_cases.compile_nomenclature(
                platform, principal, input.year, client_mutation_id=input.client_mutation_id
            ),
            input.client_mutation_id,
        )

    @strawberry.mutation(
        description="Approve a compiled nomenclature (the agency's head, who leads its root "
        "unit). INVALID_TRANSITION unless compiled."
    )
    async def approve_nomenclature(
        self,
        info: Info,
        input: Annotated[NomenclatureYearInput, strawberry.argument(description="The year.")],
    ) -> NomenclaturePayload:
        platform, principal = platform_of(info), principal_of(info)
        return await _nomenclature_payload(
            info,
            lambda: use_cases.approve_nomenclature(
                platform, principal, input.year, client_mutation_id=input.client_mutation_id
            ),
            input.client_mutation_id,
        )

    @strawberry.mutation(
        description="Add a unit's case to a draft nomenclature (the unit's head, or a "
        "registrar). CONFLICT when the index is taken that year."
    )
    async def add_nomenclature_case(
        self,
        info: Info,
        input: Annotated[AddNomenclatureCaseInput, strawberry.argument(description="The case.")],
    ) -> CasePayload:
        platform, principal = platform_of(info), principal_of(info)
        draft = use_cases.CaseDraft(
            year=input.year,
            unit=input.unit,
            number=input.number,
            title=input.title,
            retention_years=input.retention_years,
            permanent=input.permanent,
            article=input.article,
            expert_review=input.expert_review,
        )

        async def call() -> CaseType | None:
            case_id = await use_cases.add_case(
                platform, principal, draft, client_mutation_id=input.client_mutation_id
            )
            found = await read_case(platform, principal, case_id)
            return CaseType.of(found) if found else None

        made, errors = await attempt(call)
        return CasePayload(
            case=made, user_errors=errors, client_mutation_id=input.client_mutation_id
        )


QUERIES: list[type] = [NomenclatureQuery]
MUTATIONS: list[type] = [NomenclatureMutation]
