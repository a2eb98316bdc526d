"""One Cypher for a body's whole tree: the body, the services a reader may see, their documents.

The nested read ``stateBody -> services -> requiredDocuments`` otherwise costs three round
trips (one per level, through the DataLoaders); this reads the same rows in one, for a GraphQL
resolver that sees the selection ask for them and primes the loaders with the result. It must
answer exactly what ``bodies.repository.state_bodies_by_codes``, ``reads.services_by_body`` and
``reads.requirements_by_service`` answer (same visibility, same order); a test compares them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from asan.registry.catalog.bodies.repository import _BODY, _state_body
from asan.registry.catalog.models import Evidence, Service, StateBody, Visibility
from asan.registry.catalog.repo_common import Query, _run, _vis
from asan.registry.catalog.services.rows import _SERVICE_TIMES, _evidence, _service


@dataclass(frozen=True)
class BodyTrees:
    """By body code: the body, its visible services by name, and by service its documents."""

    bodies: dict[str, StateBody] = field(default_factory=dict)
    services: dict[str, list[Service]] = field(default_factory=dict)
    documents: dict[str, list[Evidence]] = field(default_factory=dict)


async def body_trees(
    q: Query, codes: Sequence[str], vis: Visibility, *, documents: bool
) -> BodyTrees:
    """Bodies among ``codes`` with their services (and, if asked, documents) in one query.

    Services ordered as ``services_by_body`` orders them; documents by position then code as
    ``requirements_by_service`` does (a service without any gets an empty list).
    """
    rows = await _run(
        q,
        """
        UNWIND $codes AS code
        MATCH (b:StateBody {code: code})
        WITH code, b, $all_statuses OR code = $own_body AS sees_all
        CALL (b, code, sees_all) {
            UNWIND [(b)<-[:PROVIDED_BY]-(s:Service) WHERE sees_all OR s.status IN $public | s]
                AS s
            WITH s ORDER BY s.nameSortKey, s.code
            RETURN collect({s: s {.*, provider: code, """
        + _SERVICE_TIMES
        + """},
                            documents: CASE WHEN $documents THEN COLLECT {
                                MATCH (s)-[r:REQUIRES]->(e:Evidence)
                                WITH r, e ORDER BY r.position, e.code
                                RETURN {code: e.code, nameAz: e.nameAz, nameEn: e.nameEn,
                                        nameRu: e.nameRu, condition: r.condition}
                            } END}) AS services
        }
        RETURN code, """
        + _BODY
        + """ AS b, services
        """,
        {"codes": list(codes), "documents": documents, **_vis(vis)},
    )
    trees = BodyTrees()
    for row in rows:
        trees.bodies[row["code"]] = _state_body(row["b"])
        trees.services[row["code"]] = [_service(item["s"]) for item in row["services"]]
        if documents:
            for item in row["services"]:
                trees.documents[item["s"]["code"]] = [_evidence(e) for e in item["documents"]]
    return trees
