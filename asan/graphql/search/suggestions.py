"""The competent-unit suggestion's GraphQL types, shared by ``suggestCompetentUnit`` and the
appeal's ``suggestedUnits`` (where appeals are registered and considered)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from asan.core.errors import BadInput
from asan.graphql.org import OrgUnitNode
from asan.graphql.request import graphql_error, platform_of
from asan.search.querying import suggest_competent_units, text_problem
from asan.search.querying.suggesting import MAX_SUGGESTIONS
from asan.search.suggest import UnitSuggestion

SuggestFirst = Annotated[
    int,
    strawberry.argument(description=f"How many units, best first (1..{MAX_SUGGESTIONS})."),
]


@strawberry.type(
    name="MatchedClause",
    description="A regulation clause (bənd) whose words matched the text.",
)
class MatchedClause:
    key: str = strawberry.field(description="Regulation code and clause number (Clause.key).")
    number: str = strawberry.field(description="Clause number within its regulation, e.g. 3.1.4")
    snippet: str = strawberry.field(description="The clause text, cut at a word boundary.")
    score: float = strawberry.field(description="How well it matched (BM25F).")


@strawberry.type(
    name="CompetentUnit",
    description="A unit of the agency suggested as competent (səlahiyyətli) for a text, with "
    "the clauses of its regulation that matched. A suggestion for a person to confirm.",
)
class CompetentUnit:
    code: str = strawberry.field(description="The unit's code, e.g. DEPT-IT.")
    name: str = strawberry.field(description="The unit's name in Azerbaijani.")
    score: float = strawberry.field(description="Its best clauses' scores added up.")
    clauses: list[MatchedClause] = strawberry.field(
        description="Its best matching clauses (at most three), best first."
    )

    @classmethod
    def of(cls, s: UnitSuggestion) -> CompetentUnit:
        return cls(
            code=s.unit_code,
            name=s.name,
            score=s.score,
            clauses=[
                MatchedClause(key=c.key, number=c.number, snippet=c.snippet, score=c.score)
                for c in s.clauses
            ],
        )

    @strawberry.field(description="The unit itself.")
    async def unit(self, info: Info) -> OrgUnitNode | None:
        found = await OrgUnitNode.resolve_nodes(info=info, node_ids=[self.code])
        return found[0] if found else None


async def suggested(info: Info[Any, Any], text: str, first: int) -> list[CompetentUnit]:
    """Suggestions for ``text``; a text too long or not text, or ``first`` out of range, is
    BAD_USER_INPUT naming the argument."""
    problem = text_problem(text)
    if problem is not None:
        raise graphql_error(BadInput(problem.message, field=problem.field))
    if not 1 <= first <= MAX_SUGGESTIONS:
        raise graphql_error(
            BadInput(
                f"first 1..{MAX_SUGGESTIONS} olmalıdır / first must be 1..{MAX_SUGGESTIONS}",
                field="first",
            )
        )
    found = await suggest_competent_units(platform_of(info), text, first)
    return [CompetentUnit.of(s) for s in found]
