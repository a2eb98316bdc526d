"""The clauses of the agency's regulations as Neo4j holds them (the org-structure import).

One read: candidate units with their parent, and every current clause with the unit it
CONCERNS and its section's heading (from the regulation's ``sections`` list).
"""

from __future__ import annotations

import re

from asan.core.db import Database
from asan.search.suggest.models import CANDIDATE_KINDS, Corpus, CorpusClause, CorpusUnit

_UNITS = """
MATCH (u:OrgUnit) WHERE u.kind IN $kinds
RETURN u.code AS code, u.kind AS kind, u.nameAz AS name,
       head([(u)-[:PART_OF]->(p:OrgUnit) | p.code]) AS parent
ORDER BY u.code
"""

_CLAUSES = """
MATCH (c:Clause {current: true})-[:CONCERNS]->(u:OrgUnit) WHERE u.kind IN $kinds
OPTIONAL MATCH (c)-[:OF]->(r:Regulation)
RETURN c.key AS key, u.code AS unit, c.number AS number, c.section AS section,
       c.text AS text, coalesce(r.sections, []) AS sections
ORDER BY c.key
"""

_HEADING = re.compile(r"^(\d+)\.\s*(.*)$")


def _heading(sections: list[str], number: int) -> str:
    for line in sections:
        match = _HEADING.match(line)
        if match and int(match[1]) == number:
            return match[2]
    return ""


async def load_corpus(db: Database) -> Corpus:
    params = {"kinds": list(CANDIDATE_KINDS)}
    unit_rows = await db.read(_UNITS, params)
    clause_rows = await db.read(_CLAUSES, params)
    units = tuple(
        CorpusUnit(code=r["code"], kind=r["kind"], name=r["name"], parent_code=r["parent"])
        for r in unit_rows
    )
    clauses = tuple(
        CorpusClause(
            key=r["key"],
            unit_code=r["unit"],
            number=r["number"],
            section=int(r["section"]),
            heading=_heading(list(r["sections"]), int(r["section"])),
            text=r["text"],
        )
        for r in clause_rows
    )
    return Corpus(units=units, clauses=clauses)
