"""What every catalog repository module shares: running a read or a transaction's query,
native values, the visibility filter, code reservation and the missing-reference check."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j.exceptions import ConstraintError

from asan.core.db import Database, Record, Tx
from asan.registry.catalog.flows import PUBLIC_STATUSES
from asan.registry.catalog.models import (
    Visibility,
)

Query = Database | Tx


async def _run(q: Query, cypher: LiteralString, params: Mapping[str, Any]) -> list[Record]:
    if isinstance(q, Tx):
        return await q.run(cypher, params)
    return await q.read(cypher, params)


def _native(value: Any) -> Any:
    """neo4j.time values to Python's (the driver's types do not compare with stdlib ones)."""
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value


def _vis(vis: Visibility) -> dict[str, Any]:
    return {
        "all_statuses": vis.all_statuses,
        "own_body": vis.own_body,
        "public": list(PUBLIC_STATUSES),
    }


# Creating by code: a plain CREATE, so the unique constraint refuses a code that another
# transaction created after we looked (MERGE would silently match it: last writer wins).
_RESERVE: dict[str, LiteralString] = {
    "StateBody": "CREATE (:StateBody {code: $code})",
    "InformationSystem": "CREATE (:InformationSystem {code: $code})",
    "Category": "CREATE (:Category {code: $code})",
    "AsanCentre": "CREATE (:AsanCentre {code: $code})",
}


async def reserve_code(tx: Tx, label: str, code: str) -> bool:
    """Create the node for a new ``code``; False when the code is (now) taken."""
    try:
        await tx.run(_RESERVE[label], {"code": code})
    except ConstraintError:
        return False
    return True


@dataclass(frozen=True)
class References:
    """Codes a write refers to; ``missing_references`` says which of them do not exist."""

    bodies: Sequence[str] = ()
    systems: Sequence[str] = ()
    centres: Sequence[str] = ()
    buses: Sequence[str] = ()
    stops: Sequence[str] = ()
    categories: Sequence[str] = ()


async def missing_references(q: Query, refs: References) -> dict[str, set[str]]:
    rows = await _run(
        q,
        """
        RETURN [c IN $bodies WHERE NOT EXISTS { MATCH (:StateBody {code: c}) }] AS bodies,
               [c IN $systems WHERE NOT EXISTS { MATCH (:InformationSystem {code: c}) }]
               AS systems,
               [c IN $centres WHERE NOT EXISTS { MATCH (:AsanCentre {code: c}) }] AS centres,
               [c IN $buses WHERE NOT EXISTS { MATCH (:MobileBus {code: c}) }] AS buses,
               [c IN $stops WHERE NOT EXISTS { MATCH (:BusStop {code: c}) }] AS stops,
               [c IN $categories WHERE NOT EXISTS { MATCH (:Category {code: c}) }] AS categories
        """,
        {
            "bodies": sorted(set(refs.bodies)),
            "systems": sorted(set(refs.systems)),
            "centres": sorted(set(refs.centres)),
            "buses": sorted(set(refs.buses)),
            "stops": sorted(set(refs.stops)),
            "categories": sorted(set(refs.categories)),
        },
    )
    return {key: set(value) for key, value in rows[0].items() if value}
