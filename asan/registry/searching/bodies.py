"""State bodies and information systems in the search: public reference data.

A body's document holds its names; a system's its names, description and the operating
body's names, so renaming a body re-indexes the systems it operates (one query per batch).
The "body" facet is the body itself, or the system's operator.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from asan.registry.searching.common import RegistryKind, names, text
from asan.search.engine import PUBLIC, SearchDoc

if TYPE_CHECKING:
    from asan.core.platform import Platform

_PUBLIC = frozenset({PUBLIC})

_BODIES = """
UNWIND $codes AS code
MATCH (b:StateBody {code: code})
RETURN b.code AS code, b.nameAz AS nameAz, b.nameEn AS nameEn, b.nameRu AS nameRu
"""

_SYSTEMS = """
UNWIND $codes AS code
MATCH (x:InformationSystem {code: code})
OPTIONAL MATCH (x)-[:OPERATED_BY]->(b:StateBody)
RETURN x.code AS code, x.nameAz AS nameAz, x.nameEn AS nameEn, x.nameRu AS nameRu,
       x.description AS description, b.code AS operator,
       [b.nameAz, b.nameEn, b.nameRu] AS operatorNames
"""

_SYSTEMS_OF_BODIES = """
UNWIND $StateBody AS body
MATCH (:StateBody {code: body})<-[:OPERATED_BY]-(x:InformationSystem)
RETURN DISTINCT x.code AS id
"""


class StateBodySource(RegistryKind):
    """Kind "state_body": every state body, public."""

    kind: str = "state_body"
    log_kinds: frozenset[str] = frozenset({"StateBody"})
    own = "StateBody"
    every = "MATCH (b:StateBody) RETURN b.code AS id ORDER BY id"

    async def load(self, platform: Platform, ids: Sequence[str]) -> list[SearchDoc]:
        if not ids:
            return []
        rows = await platform.db.read(_BODIES, {"codes": list(ids)})
        return [
            SearchDoc(
                self.kind,
                row["code"],
                text(row["nameAz"]) or row["code"],
                text(row["nameEn"], row["nameRu"], row["code"]),
                acl=_PUBLIC,
                state_body=row["code"],
            )
            for row in rows
        ]


class InformationSystemSource(RegistryKind):
    """Kind "information_system": every information system, public."""

    kind: str = "information_system"
    log_kinds: frozenset[str] = frozenset({"InformationSystem", "StateBody"})
    own = "InformationSystem"
    showing = _SYSTEMS_OF_BODIES
    every = "MATCH (x:InformationSystem) RETURN x.code AS id ORDER BY id"

    async def load(self, platform: Platform, ids: Sequence[str]) -> list[SearchDoc]:
        if not ids:
            return []
        rows = await platform.db.read(_SYSTEMS, {"codes": list(ids)})
        return [
            SearchDoc(
                self.kind,
                row["code"],
                text(row["nameAz"]) or row["code"],
                text(
                    row["nameEn"],
                    row["nameRu"],
                    row["code"],
                    row["description"],
                    names(row["operatorNames"]),
                ),
                acl=_PUBLIC,
                state_body=row["operator"],
            )
            for row in rows
        ]
