"""GraphQL root fields of the org domain: thin resolvers that call the domain service.

Every nested list or object goes through a per-request DataLoader backed by one batched
service read, so ``orgUnits -> children -> clauses`` costs one Cypher query per level.
``orgUnit(code:)`` returns null for an unknown code (no error), like ``node(id:)``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry import relay
from strawberry.types import Info

from asan.core.platform import Platform
from asan.core.text import az_sort_key
from asan.graphql.errors import UserError
from asan.graphql.mutation import attempt
from asan.graphql.org_enums import OrgUnitKind, PositionKind
from asan.graphql.paging import page_of
from asan.graphql.relay import (
    After,
    Before,
    Connection,
    First,
    Last,
    Search,
    UpdatedSince,
    build_connection,
    scope_of,
)
from asan.graphql.request import page as _page
from asan.graphql.request import platform_of as _platform
from asan.graphql.request import principal_of as _principal
from asan.graphql.request import request_loader
from asan.registry.org import models as m
from asan.registry.org import service as org

K = TypeVar("K")
V = TypeVar("V")

# --------------------------------------------------------------------------------- plumbing


# ------------------------------------------------------------------------------------ enums


# ------------------------------------------------------------------------------------ types

Section = Annotated[
    int | None, strawberry.argument(description="Only clauses of this section (its number).")
]
On = Annotated[date | None, strawberry.argument(description="The day to answer for; null: today.")]


@strawberry.type(description="A numbered section of a regulation.")
class RegulationSection:
    number: int = strawberry.field(description="Section number, from 1.")
    heading: str = strawberry.field(description="Section heading, in Azerbaijani.")


@strawberry.type(name="Clause", description="A numbered clause of a regulation (current text).")
class ClauseNode(relay.Node):
    _id_attr = "key"
    key: str = strawberry.field(description="Regulation code and clause number, REG-DEPT-IT:5.1.6")
    number: str = strawberry.field(description="Clause number, e.g. 5.1.6 or 3.1.2-1.")
    section: int = strawberry.field(description="Number of the section it is in.")
    text: str = strawberry.field(description="Current text, in Azerbaijani.")
    text_hash: str = strawberry.field(
        description="SHA-256 of the text: changes exactly when the text changes."
    )
    amended: bool = strawberry.field(description="Inserted by a later amendment (3.1.2-1)")
    concerns_code: strawberry.Private[str]
    regulation_code: strawberry.Private[str]

    @classmethod
    def of(cls, clause: m.Clause) -> ClauseNode:
        return cls(
            regulation_code=clause.regulation_code,
            key=clause.key,
            number=clause.number,
            section=clause.section,
            text=clause.text,
            text_hash=clause.text_hash,
            amended=clause.amended,
            concerns_code=clause.concerns_code,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[ClauseNode | None]:
        found = await request_loader(info, "org.clause", org.clauses_by_keys).load_many(
            list(node_ids)
        )
        return [cls.of(c) if c is not None else None for c in found]

    @strawberry.field(description="The unit it concerns: the department, or a named sector.")
    async def concerns(self, info: Info) -> OrgUnitNode | None:
        return await _unit(info, self.concerns_code)

    @strawberry.field(description="The regulation (Əsasnamə) this clause is part of.")
    async def regulation(self, info: Info) -> Regulation | None:
        loader = request_loader(info, "org.regulation_by_code", org.regulations_by_codes)
        found = await loader.load(self.regulation_code)
        return Regulation.of(found) if found is not None else None


ClauseSearch = Annotated[
    str | None,
    strawberry.argument(
        description="Words of the clause text or its number, matched without case and "
        "without Azerbaijani letters (`muqavile` finds `müqavilə`)."
    ),
]


@dataclass(frozen=True)
class _Paging:
    first: int | None
    after: str | None
    last: int | None
    before: str | None
    search: str | None


async def _clause_connection(
    info: Info,
    loader_name: str,
    fetch: Callable[[Platform, Sequence[org.ClausePageRequest]], Awaitable[Sequence[Any]]],
    owner: str,
    section: int | None,
    paging: _Paging,
) -> Connection[ClauseNode]:
    scope = scope_of(loader_name, owner, section, paging.search)
    request = _page(
        paging.first, paging.after, 2, last=paging.last, before=paging.before, scope=scope
    )
    key = org.ClausePageRequest(
        owner=owner,
        section=section,
        after=tuple(request.after) if request.after is not None else None,
        limit=request.limit,
        search=paging.search,
        backward=request.backward,
    )
    page: org.ClausePage = await request_loader(info, loader_name, fetch).load(key)
    return build_connection(
        page.clauses, request, page.total, ClauseNode.of, lambda c: [c.sort_key, c.key]
    )


@strawberry.type(description="An approved regulation (Əsasnamə) of an org unit.")
class Regulation(relay.Node):
    _id_attr = "code"
    code: str = strawberry.field(description="Code of the regulation, e.g. REG-DEPT-IT.")
    title: str = strawberry.field(description="Title, in Azerbaijani.")
    decision_number: str = strawberry.field(description="The chairman's decision, 9/14-05")
    decision_date: date = strawberry.field(description="Date of the approving decision.")
    unit_code: strawberry.Private[str]
    section_headings: strawberry.Private[tuple[str, ...]]

    @classmethod
    def of(cls, regulation: m.Regulation) -> Regulation:
        return cls(
            code=regulation.code,
            title=regulation.title,
            decision_number=regulation.decision_number,
            decision_date=regulation.decision_date,
            unit_code=regulation.unit_code,
            section_headings=regulation.sections,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Regulation | None]:
        loader = request_loader(info, "org.regulation_by_code", org.regulations_by_codes)
        found = await loader.load_many(list(node_ids))
        return [cls.of(r) if r is not None else None for r in found]

    @strawberry.field(description="Section headings in order.")
    def sections(self) -> list[RegulationSection]:
        result = []
        for heading in self.section_headings:
            number, _, text = heading.partition(". ")
            result.append(RegulationSection(number=int(number), heading=text))
        return result

    @strawberry.field(description="The unit it regulates.")
    async def unit(self, info: Info) -> OrgUnitNode | None:
        return await _unit(info, self.unit_code)

    @strawberry.field(description="Current clauses in document order, optionally of one section.")
    async def clauses(
        self,
        info: Info,
        section: Section = None,
        first: First = None,
        after: After = None,
        search: ClauseSearch = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ClauseNode]:
        return await _clause_connection(
            info, "org.regulation_clauses", org.clauses_of_regulations, self.code,
            section, _Paging(first, after, last, before, search),
        )  # fmt: skip


@strawberry.type(name="Position", description="A post in an org unit.")
class PositionNode:
    code: str = strawberry.field(description="Code of the post, e.g. DEPT-IT-HEAD.")
    kind: PositionKind = strawberry.field(description="Kind of post.")
    title: str = strawberry.field(description="Title of the post, in Azerbaijani.")
    acts_for_head: bool = strawberry.field(
        description="The regulation names this deputy as the head's stand-in when absent."
    )
    unit_code: strawberry.Private[str]
    leads_code: strawberry.Private[str | None]

    @classmethod
    def of(cls, position: m.Position) -> PositionNode:
        return cls(
            code=position.code,
            kind=PositionKind(position.kind),
            title=position.title,
            acts_for_head=position.acts_for_head,
            unit_code=position.unit_code,
            leads_code=position.leads_code,
        )

    @strawberry.field(description="The unit the post belongs to.")
    async def unit(self, info: Info) -> OrgUnitNode | None:
        return await _unit(info, self.unit_code)

    @strawberry.field(description="The sector a deputy head also leads.")
    async def leads(self, info: Info) -> OrgUnitNode | None:
        return await _unit(info, self.leads_code) if self.leads_code else None

    @strawberry.field(
        description="Posts exercising this post's powers on a date (default today) under a "
        "delegation; empty when nobody acts for it."
    )
    async def acting_by(self, info: Info, on: On = None) -> list[PositionNode]:
        key = (self.code, on or date.today())
        found = await request_loader(info, "org.acting_by", org.positions_acting_for_many).load(key)
        return [PositionNode.of(p) for p in found]


async def _position(info: Info, code: str) -> PositionNode | None:
    found = await request_loader(info, "org.position", org.positions_by_codes).load(code)
    return PositionNode.of(found) if found is not None else None


@strawberry.type(description="A head's powers handed to the deputy for an inclusive window.")
class Delegation:
    id: strawberry.ID = strawberry.field(description="Identifier of the delegation.")
    valid_from: date = strawberry.field(description="First day the deputy holds the powers.")
    valid_until: date = strawberry.field(description="Last day (inclusive).")
    reason: str = strawberry.field(description="Why, e.g. the head's leave.")
    from_code: strawberry.Private[str]
    to_code: strawberry.Private[str]

    @classmethod
    def of(cls, delegation: m.Delegation) -> Delegation:
        return cls(
            id=strawberry.ID(delegation.id),
            valid_from=delegation.valid_from,
            valid_until=delegation.valid_until,
            reason=delegation.reason,
            from_code=delegation.from_position,
            to_code=delegation.to_position,
        )

    @strawberry.field(name="from", description="The head position delegating.")
    async def from_position(self, info: Info) -> PositionNode | None:
        return await _position(info, self.from_code)

    @strawberry.field(name="to", description="The deputy head position acting.")
    async def to_position(self, info: Info) -> PositionNode | None:
        return await _position(info, self.to_code)


@strawberry.type(name="OrgUnit", description="A unit of the Agency: office, department, sector.")
class OrgUnitNode(relay.Node):
    _id_attr = "code"
    code: str = strawberry.field(description="Deterministic code: DEPT-IT, DEPT-IT-SEC-1, CENTRE")
    kind: OrgUnitKind = strawberry.field(description="Level of the unit.")
    name_az: str = strawberry.field(description="Name in Azerbaijani.")
    name_en: str | None = strawberry.field(description="Name in English; null: not known.")
    parent_code: strawberry.Private[str | None]

    @classmethod
    def of(cls, unit: m.OrgUnit) -> OrgUnitNode:
        return cls(
            code=unit.code,
            kind=OrgUnitKind(unit.kind),
            name_az=unit.name_az,
            name_en=unit.name_en,
            parent_code=unit.parent_code,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[OrgUnitNode | None]:
        found = await request_loader(info, "org.unit", org.units_by_codes).load_many(list(node_ids))
        return [cls.of(u) if u is not None else None for u in found]

    @strawberry.field(description="The unit this one is PART_OF.")
    async def parent(self, info: Info) -> OrgUnitNode | None:
        return await _unit(info, self.parent_code) if self.parent_code else None

    @strawberry.field(description="Units directly PART_OF this one (a department's sectors).")
    async def children(self, info: Info) -> list[OrgUnitNode]:
        units = await request_loader(info, "org.children", org.children_of).load(self.code)
        return [OrgUnitNode.of(u) for u in units]

    @strawberry.field(description="The regulation that REGULATES this unit, if any.")
    async def regulation(self, info: Info) -> Regulation | None:
        found = await request_loader(info, "org.regulation", org.regulations_of).load(self.code)
        return Regulation.of(found) if found is not None else None

    @strawberry.field(description="Current clauses that CONCERN this unit, in document order.")
    async def clauses(
        self,
        info: Info,
        section: Section = None,
        first: First = None,
        after: After = None,
        search: ClauseSearch = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ClauseNode]:
        return await _clause_connection(
            info, "org.unit_clauses", org.clauses_concerning, self.code,
            section, _Paging(first, after, last, before, search),
        )  # fmt: skip

    @strawberry.field(description="Posts in this unit (for a sector also the deputy leading it).")
    async def positions(self, info: Info) -> list[PositionNode]:
        found = await request_loader(info, "org.positions", org.positions_of).load(self.code)
        return [PositionNode.of(p) for p in found]

    @strawberry.field(
        description="The post holding the head's powers on a date (default today): the head, "
        "or the deputy under a delegation covering that date."
    )
    async def acting_head(self, info: Info, on: On = None) -> PositionNode | None:
        key = (self.code, on or date.today())
        found = await request_loader(info, "org.acting", org.acting_authorities).load(key)
        return PositionNode.of(found.acting) if found is not None else None


async def _unit(info: Info, code: str) -> OrgUnitNode | None:
    found = await request_loader(info, "org.unit", org.units_by_codes).load(code)
    return OrgUnitNode.of(found) if found is not None else None


# ------------------------------------------------------------------------------ root fields


@strawberry.type
class OrgQuery:
    @strawberry.field(description="Org units ordered by Azerbaijani-folded name, then code.")
    async def org_units(
        self,
        info: Info,
        kind: Annotated[
            OrgUnitKind | None, strawberry.argument(description="Only units of this level.")
        ] = None,
        parent_code: Annotated[
            str | None, strawberry.argument(description="Only units directly part of this one.")
        ] = None,
        first: First = None,
        after: After = None,
        search: Search = None,
        last: Last = None,
        before: Before = None,
        updated_since: UpdatedSince = None,
    ) -> Connection[OrgUnitNode]:
        kind_value = kind.value if kind is not None else None
        scope = scope_of("orgUnits", kind_value, parent_code, search, updated_since)
        request = _page(first, after, 2, last=last, before=before, scope=scope)
        units, total = await org.list_units(
            _platform(info),
            kind_value,
            parent_code,
            request.after,
            request.limit,
            search=search,
            backward=request.backward,
            updated_since=updated_since,
        )
        return build_connection(
            units, request, total, OrgUnitNode.of, lambda u: [az_sort_key(u.name_az), u.code]
        )

    @strawberry.field(description="One org unit by code; null when no unit has that code.")
    async def org_unit(
        self,
        info: Info,
        code: Annotated[str, strawberry.argument(description="Code of the unit, e.g. DEPT-IT.")],
    ) -> OrgUnitNode | None:
        return await _unit(info, code.strip())

    @strawberry.field(
        description="The approved regulations (Əsasnamə) of the agency's units, by code, with "
        "their clauses (keyset paging)."
    )
    async def regulations(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Regulation]:
        request = _page(first, after, 1, last=last, before=before, scope="regulations")
        found = await org.all_regulations(_platform(info))
        return page_of(found, request, Regulation.of, lambda r: [r.code])


@strawberry.input(description="Hand a head's powers to the same unit's deputy head.")
class CreateDelegationInput:
    head_position_code: str = strawberry.field(description="e.g. DEPT-LEGAL-HEAD")
    deputy_position_code: str = strawberry.field(description="e.g. DEPT-LEGAL-DEPUTY")
    valid_from: date = strawberry.field(description="First day the deputy holds the powers.")
    valid_until: date = strawberry.field(description="Inclusive; not before validFrom")
    reason: str = strawberry.field(description="Why, e.g. the head's leave.")


@strawberry.type(description="Result of delegating a head's powers.")
class CreateDelegationPayload:
    delegation: Delegation | None = strawberry.field(
        default=None, description="The delegation as saved; null when refused."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Why the input was not accepted, one entry per problem; empty when it was.",
    )


@strawberry.type
class OrgMutation:
    @strawberry.mutation(description="Delegate a head's powers (administrators, the unit's head).")
    async def create_delegation(
        self,
        info: Info,
        input: Annotated[
            CreateDelegationInput,
            strawberry.argument(description="The mutation's fields; see the input type."),
        ],
    ) -> CreateDelegationPayload:
        delegation, errors = await attempt(
            lambda: org.create_delegation(
                _platform(info),
                _principal(info),
                input.head_position_code.strip(),
                input.deputy_position_code.strip(),
                input.valid_from,
                input.valid_until,
                input.reason,
            )
        )
        if delegation is None:
            return CreateDelegationPayload(user_errors=errors)
        return CreateDelegationPayload(delegation=Delegation.of(delegation))


QUERIES: list[type] = [OrgQuery]
MUTATIONS: list[type] = [OrgMutation]
