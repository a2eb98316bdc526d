"""GraphQL fields of bulk import/export and of the service quality index (thin resolvers).

``importServices`` answers with every rejected line of the file (line, record, field,
message) rather than failing on the first one; a refusal stays a GraphQL error. Quality
scores are read for all requested services or bodies in one query per field.
"""

from __future__ import annotations

import enum
from typing import Annotated

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from asan.core.errors import DomainError
from asan.graphql.described import value
from asan.graphql.errors import UserError
from asan.graphql.mutation import attempt
from asan.graphql.request import graphql_error as _error
from asan.graphql.request import platform_of as _platform
from asan.graphql.request import principal_of as _principal
from asan.registry.catalog import bulk
from asan.registry.catalog import quality as q
from asan.registry.catalog import service as catalog
from asan.registry.catalog.bulk_formats import BulkFormat


@strawberry.enum(name="BulkFormat", description="Exchange format of a bulk import or export.")
class BulkFormatEnum(enum.Enum):
    JSON = value("json", "A JSON array of service records (the API's field names).")
    CSV = value("csv", "CSV with a header row of the API's field names; lists joined by '|'.")


@strawberry.input(description="A whole file of one state body's services.")
class ImportServicesInput:
    state_body_code: str = strawberry.field(
        description="Code of the state body whose services the file holds."
    )
    format: BulkFormatEnum = strawberry.field(description="JSON or CSV.")
    content: str = strawberry.field(
        description="The file's text: a JSON array, or CSV with a header row ("
        "multi-valued cells ';'-separated, see docs)."
    )


@strawberry.type(description="One rejected value of an import.")
class RejectedLine:
    line: int = strawberry.field(description="Text line where the record starts (0: whole file)")
    record: int = strawberry.field(description="Position of the record in the file (1-based)")
    field: str = strawberry.field(description="Field of the record, e.g. requirements[1].code.")
    message: str = strawberry.field(description="Azerbaijani / English")
    code: str = strawberry.field(description="BAD_USER_INPUT, NOT_FOUND, CONFLICT, ...")


@strawberry.type(description="Result of a bulk import: counts, or why nothing was written.")
class ImportServicesPayload:
    accepted: bool = strawberry.field(description="False: nothing was written")
    total: int = strawberry.field(default=0, description="Records in the file.")
    created: int = strawberry.field(default=0, description="New services written.")
    updated: int = strawberry.field(default=0, description="Services whose content changed.")
    unchanged: int = strawberry.field(default=0, description="Services already as in the file.")
    rejected_lines: list[RejectedLine] = strawberry.field(
        default_factory=list,
        description="Every rejected value, by line (at most 500); any rejection writes nothing.",
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Problems with the whole input (body, format); empty when none.",
    )


@strawberry.type(description="One criterion of the quality index and whether a service meets it.")
class QualityCriterion:
    code: str = strawberry.field(description="Code of the criterion.")
    group: str = strawberry.field(
        description="Group: information, term, access, integration or complaints."
    )
    weight: int = strawberry.field(description="Points it is worth.")
    met: bool = strawberry.field(description="True when the service meets it.")
    message: str = strawberry.field(description="What is missing (Azerbaijani / English)")

    @classmethod
    def of(cls, r: q.CriterionResult) -> QualityCriterion:
        c = r.criterion
        return cls(code=c.code, group=c.group, weight=c.weight, met=r.met, message=r.message)


@strawberry.type(description="Quality index of one service, with what it lacks.")
class ServiceQuality:
    code: str = strawberry.field(description="Code of the service.")
    name_az: str = strawberry.field(description="Name of the service in Azerbaijani.")
    state_body_code: str | None = strawberry.field(description="Code of its providing state body.")
    status: str = strawberry.field(description="Lifecycle status, in lower case.")
    score: int = strawberry.field(description="0..100")
    max_score: int = strawberry.field(description="Highest possible score (100).")
    grade: str = strawberry.field(description="A >= 85, B >= 70, C >= 50, D below")
    criteria: list[QualityCriterion] = strawberry.field(
        description="Every criterion with the result (at most 20)."
    )
    missing: list[QualityCriterion] = strawberry.field(
        description="The criteria it does not meet (at most 20)."
    )

    @classmethod
    def of(cls, s: q.ServiceQuality) -> ServiceQuality:
        return cls(
            code=s.code,
            name_az=s.name_az,
            state_body_code=s.body,
            status=s.status,
            score=s.score,
            max_score=q.MAX_SCORE,
            grade=s.grade,
            criteria=[QualityCriterion.of(r) for r in s.results],
            missing=[QualityCriterion.of(r) for r in s.missing],
        )


@strawberry.type(description="How many of a body's services meet one criterion.")
class QualityCoverage:
    code: str = strawberry.field(description="Code of the criterion.")
    group: str = strawberry.field(
        description="Group of the criterion: information, term, access, integration or complaints."
    )
    weight: int = strawberry.field(description="Points it is worth.")
    met: int = strawberry.field(description="Services meeting the criterion")
    services: int = strawberry.field(description="Services counted.")


@strawberry.type(description="Quality index of a state body over its public services.")
class BodyQuality:
    code: str = strawberry.field(description="Code of the state body.")
    name_az: str = strawberry.field(description="Name of the body in Azerbaijani.")
    services: int = strawberry.field(description="Public services counted.")
    score: float | None = strawberry.field(description="Mean service score; null: no services")
    grade: str | None = strawberry.field(
        description="A >= 85, B >= 70, C >= 50, D below; null: no services."
    )
    coverage: list[QualityCoverage] = strawberry.field(
        description="Per criterion, how many services meet it (at most 10)."
    )
    weakest: list[ServiceQuality] = strawberry.field(description="Lowest scores first")

    @classmethod
    def of(cls, b: q.BodyQuality) -> BodyQuality:
        return cls(
            code=b.code,
            name_az=b.name_az,
            services=b.services,
            score=b.score,
            grade=b.grade,
            coverage=[
                QualityCoverage(
                    code=c.criterion.code,
                    group=c.criterion.group,
                    weight=c.criterion.weight,
                    met=c.met,
                    services=c.services,
                )
                for c in b.coverage
            ],
            weakest=[ServiceQuality.of(s) for s in b.weakest],
        )


MAX_RANKING = 200


Code = Annotated[str, strawberry.argument(description="The code to look up.")]


@strawberry.type
class BulkQuery:
    @strawberry.field(
        description="All services of a state body as a file that importServices accepts."
    )
    async def export_services(
        self,
        info: Info,
        state_body_code: Annotated[
            str, strawberry.argument(description="Code of the state body to export.")
        ],
        format: Annotated[BulkFormatEnum, strawberry.argument(description="JSON or CSV.")],
    ) -> str:
        try:
            return await bulk.export_services(
                _platform(info), _principal(info), state_body_code, BulkFormat(format.value)
            )
        except DomainError as exc:
            raise _error(exc) from exc

    @strawberry.field(description="Quality index of a service; null when unknown or not visible.")
    async def service_quality(self, info: Info, code: Code) -> ServiceQuality | None:
        found = await q.service_quality(
            _platform(info).db, [code], catalog.visibility(_principal(info))
        )
        return ServiceQuality.of(found[code]) if code in found else None

    @strawberry.field(description="Quality index of a state body; null when unknown.")
    async def body_quality(self, info: Info, code: Code) -> BodyQuality | None:
        found = await q.body_quality(_platform(info).db, [code])
        return BodyQuality.of(found[code]) if code in found else None

    @strawberry.field(description="State bodies by quality index (bodies without services last).")
    async def quality_ranking(
        self,
        info: Info,
        first: Annotated[
            int, strawberry.argument(description="How many bodies (default 50, max 200).")
        ] = 50,
        lowest_first: Annotated[
            bool, strawberry.argument(description="True: the weakest bodies first.")
        ] = False,
    ) -> list[BodyQuality]:
        if not 1 <= first <= MAX_RANKING:
            raise GraphQLError(
                f"first 1..{MAX_RANKING} olmalıdır / must be 1..{MAX_RANKING}",
                extensions={"code": "BAD_USER_INPUT", "field": "first"},
            )
        bodies = list((await q.body_quality(_platform(info).db, weakest=3)).values())
        rated = sorted(
            (b for b in bodies if b.score is not None),
            key=lambda b: (b.score if lowest_first else -(b.score or 0.0), b.code),
        )
        unrated = sorted((b for b in bodies if b.score is None), key=lambda b: b.code)
        return [BodyQuality.of(b) for b in [*rated, *unrated][:first]]


@strawberry.type
class BulkMutation:
    @strawberry.mutation(
        description="Import a state body's services from JSON or CSV: all lines or none."
    )
    async def import_services(
        self,
        info: Info,
        input: Annotated[
            ImportServicesInput,
            strawberry.argument(description="The mutation's fields; see the input type."),
        ],
    ) -> ImportServicesPayload:
        report, errors = await attempt(
            lambda: bulk.import_services(
                _platform(info),
                _principal(info),
                input.state_body_code,
                BulkFormat(input.format.value),
                input.content,
            )
        )
        if report is None:
            return ImportServicesPayload(accepted=False, user_errors=errors)
        return ImportServicesPayload(
            accepted=report.accepted,
            total=report.total,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            rejected_lines=[
                RejectedLine(
                    line=e.line, record=e.record, field=e.field, message=e.message, code=e.code
                )
                for e in report.rejected
            ],
        )


QUERIES: list[type] = [BulkQuery]
MUTATIONS: list[type] = [BulkMutation]
