"""GraphQL types of the nomenclature of cases (işlərin nomenklaturu) and its cases (iş)."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

import strawberry
from strawberry import relay
from strawberry.types import Info

from asan.archive.cases.models import Case
from asan.archive.cases.use_cases import read_case
from asan.archive.nomenclature.models import Nomenclature
from asan.graphql.archive.holds import ArchiveHoldType, case_active_hold, case_holds
from asan.graphql.archive.records import ArchivedRecordType, record_count, records_connection
from asan.graphql.described import value
from asan.graphql.errors import UserError
from asan.graphql.relay import After, Connection, First
from asan.graphql.request import platform_of, principal_of


@strawberry.enum(
    name="NomenclatureStatus",
    description="Where a year's nomenclature of cases stands in its approval.",
)
class NomenclatureStatus(enum.Enum):
    DRAFT = value("draft", "Units are drafting their lists of cases (layihə).")
    COMPILED = value(
        "compiled", "Compiled by the EDMS department into the general nomenclature (tərtib)."
    )
    APPROVED = value("approved", "Approved by the agency's head (təsdiq edilib).")


@strawberry.enum(
    name="CaseStatus",
    description="A case's (iş) place in its lifecycle: open during its year, closed at the end "
    "of it, kept in the unit's archive, transferred to the agency's archive, then destroyed by "
    "an act or kept permanently.",
)
class CaseStatus(enum.Enum):
    OPEN = value("open", "Documents are filed into it this year (açıq).")
    CLOSED = value("closed", "Closed at the end of the year; its disposal date is fixed.")
    UNIT_ARCHIVE = value("unit_archive", "Kept in the unit's archive (bölmənin arxivi).")
    TRANSFERRED = value("transferred", "Transferred to the agency's archive (arxivə təhvil).")
    DESTROYED = value("destroyed", "Destroyed by an approved act (məhv edilib).")
    PERMANENT = value("permanent", "Kept permanently (daimi saxlanılır).")


@strawberry.type(
    name="Nomenclature",
    description="The nomenclature of cases (işlərin nomenklaturu) of one year: every unit's "
    "list of cases with their retention periods. Its cases: `cases(filter: {year})`.",
)
class NomenclatureType:
    year: int = strawberry.field(description="The calendar year it plans.")
    status: NomenclatureStatus = strawberry.field(description="Where its approval stands.")
    created_at: dt.datetime = strawberry.field(description="When it was created (UTC).")
    compiled_at: dt.datetime | None = strawberry.field(
        description="When the EDMS department compiled it (UTC); null before."
    )
    approved_at: dt.datetime | None = strawberry.field(
        description="When the agency's head approved it (UTC); null before."
    )
    approved_by: str | None = strawberry.field(description="Who approved it (user id).")
    case_count: int = strawberry.field(description="How many cases it lists.")
    unit_count: int = strawberry.field(description="How many units have cases in it.")

    @classmethod
    def of(cls, n: Nomenclature) -> NomenclatureType:
        return cls(
            year=n.year,
            status=NomenclatureStatus(n.status),
            created_at=n.created_at,
            compiled_at=n.compiled_at,
            approved_at=n.approved_at,
            approved_by=n.approved_by,
            case_count=n.cases,
            unit_count=n.units,
        )


@strawberry.type(
    name="Case",
    description="A case (iş) of a year's nomenclature: the file that documents of one kind of "
    "one unit are kept in, with its retention period (saxlama müddəti) and disposal date.",
)
class CaseType(relay.Node):
    _id_attr = "case_id"
    case_id: str = strawberry.field(
        description="The case's own id, new for every year (use it in mutation inputs and "
        "`case(id:)`)."
    )
    year: int = strawberry.field(description="The nomenclature's year.")
    index: str = strawberry.field(
        description="The case's index (işin indeksi): the unit's code and the case's number, "
        "unique within the year, e.g. `DEPT-IT-03`."
    )
    number: int = strawberry.field(description="Its number in the unit's list.")
    title: str = strawberry.field(description="The case's title (işin başlığı).")
    unit: str = strawberry.field(description="Code of the unit (struktur bölmə) it belongs to.")
    retention_years: int | None = strawberry.field(
        description="Retention period in years; null when permanent or not yet set."
    )
    permanent: bool = strawberry.field(description="Kept permanently (daimi saxlanılır).")
    article: str | None = strawberry.field(
        description="The article of the list of typical documents (tipik sənədlərin siyahısı) "
        "its retention follows."
    )
    expert_review: bool = strawberry.field(
        description="Marked for the expert commission's review (ekspert baxışı, 'EYK')."
    )
    status: CaseStatus = strawberry.field(description="Where the case is in its lifecycle.")
    allowed_steps: list[CaseStatus] = strawberry.field(
        description="The statuses it may move to next."
    )
    closed_at: dt.datetime | None = strawberry.field(description="When it was closed (UTC).")
    disposal_date: dt.date | None = strawberry.field(
        description="When its retention ends: 1 January after the closing year plus the "
        "retention years; null while open and for permanent cases."
    )
    document_count: int = strawberry.field(description="Documents filed into it.")

    @strawberry.field(
        description="Holds placed on the case (litigation, investigation): active ones first, "
        "then the newest lifted ones, at most 20; every hold: `archiveHolds(filter: {caseId})`."
    )
    async def holds(self, info: Info) -> list[ArchiveHoldType]:
        return await case_holds(info, self.case_id)

    @strawberry.field(
        description="True while at least one hold is active: nothing of the case can be "
        "destroyed and its archived versions carry a MinIO legal hold."
    )
    async def active_hold(self, info: Info) -> bool:
        return await case_active_hold(info, self.case_id)

    @strawberry.field(
        description="How many file versions of the case are in the archive bucket (destroyed "
        "ones included: their metadata stays)."
    )
    async def archived_record_count(self, info: Info) -> int:
        return await record_count(info, self.case_id)

    @strawberry.field(
        description="The case's archived file versions (arxiv nüsxələri), by id (keyset paging)."
    )
    async def archived_records(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[ArchivedRecordType]:
        return await records_connection(info, self.case_id, first, after)

    @classmethod
    def of(cls, c: Case) -> CaseType:
        return cls(
            case_id=c.id,
            year=c.year,
            index=c.index,
            number=c.number,
            title=c.title,
            unit=c.unit,
            retention_years=c.retention_years,
            permanent=c.permanent,
            article=c.article,
            expert_review=c.expert_review,
            status=CaseStatus(c.status),
            allowed_steps=[CaseStatus(s) for s in c.allowed_steps],
            closed_at=c.closed_at,
            disposal_date=c.disposal_date,
            document_count=c.documents,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[CaseType | None]:
        platform, principal = platform_of(info), principal_of(info)
        found = [await read_case(platform, principal, i) for i in list(node_ids)[:100]]
        return [cls.of(c) if c is not None else None for c in found]


@strawberry.type(name="NomenclaturePayload", description="The nomenclature, or why not.")
class NomenclaturePayload:
    nomenclature: NomenclatureType | None = strawberry.field(description="As it is now.")
    user_errors: list[UserError] = strawberry.field(description="Input problems.")
    client_mutation_id: str | None = strawberry.field(description="As sent.")


@strawberry.type(name="CasePayload", description="The case, or why not.")
class CasePayload:
    case: CaseType | None = strawberry.field(description="As it is now.")
    user_errors: list[UserError] = strawberry.field(description="Input problems.")
    client_mutation_id: str | None = strawberry.field(description="As sent.")
