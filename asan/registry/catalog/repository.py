"""All Cypher of the services catalog, parameterised, batched with UNWIND.

Write functions take the unit of work's transaction (``Tx``) and a list, so one call serves a
single mutation and a bulk import alike. Read functions take a ``Database`` or a ``Tx`` (reads
that must see the same snapshot as the write that follows them).

Keyset paging: callers pass ``after`` (the decoded cursor values) and ``limit`` (page size + 1);
list functions return the total of matching rows from the same query, so a connection with
``totalCount`` costs one round trip.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Final, LiteralString

from neo4j.exceptions import ConstraintError

from asan.core.db import Database, Record, Tx
from asan.core.text import fold
from asan.registry.catalog.flows import PUBLIC_STATUSES
from asan.registry.catalog.models import (
    CHANNELS,
    AsanCentre,
    BusStop,
    CategoryInput,
    ChannelCount,
    Coverage,
    DataLink,
    Evidence,
    Impact,
    ImpactedService,
    InformationSystem,
    InformationSystemInput,
    LegalBasis,
    MobileBus,
    MobileBusInput,
    Output,
    Page,
    PathStep,
    RegistrationRequest,
    Service,
    ServiceFilter,
    ServiceInput,
    ServiceRelations,
    ServiceVersion,
    ServiceWrite,
    StateBody,
    StateBodyInput,
    StopVisit,
    StoredService,
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


# ---------------------------------------------------------------------------------- state bodies

# A state body ``b`` as ``_state_body`` reads it: its properties and its parent's code.
_BODY: Final = "b {.*, parent: [(b)-[:PART_OF]->(p:StateBody) | p.code][0]}"


def _state_body(row: Mapping[str, Any]) -> StateBody:
    return StateBody(
        code=row["code"],
        name_az=row.get("nameAz") or "",
        name_en=row.get("nameEn") or "",
        name_ru=row.get("nameRu") or "",
        kind=row.get("kind") or "other",
        parent=row.get("parent"),
    )


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


async def upsert_state_bodies(tx: Tx, bodies: Sequence[StateBodyInput]) -> None:
    """Create or update bodies; ``parent`` must exist (or be in the same batch)."""
    rows = [
        {
            "code": b.code,
            "nameAz": b.name_az,
            "nameEn": b.name_en,
            "nameRu": b.name_ru,
            "nameFold": fold(b.name_az),
            "kind": b.kind,
            "parent": b.parent,
        }
        for b in bodies
    ]
    await tx.run(
        """
        UNWIND $rows AS r
        MERGE (b:StateBody {code: r.code})
        SET b.nameAz = r.nameAz, b.nameEn = r.nameEn, b.nameRu = r.nameRu,
            b.nameFold = r.nameFold, b.kind = r.kind
        """,
        {"rows": rows},
    )
    await tx.run(
        """
        UNWIND $rows AS r
        MATCH (b:StateBody {code: r.code})
        OPTIONAL MATCH (b)-[old:PART_OF]->()
        DELETE old
        WITH b, r WHERE r.parent IS NOT NULL
        MATCH (p:StateBody {code: r.parent})
        MERGE (b)-[:PART_OF]->(p)
        """,
        {"rows": rows},
    )


async def would_cycle(q: Query, code: str, parent: str) -> bool:
    """Whether making ``parent`` the parent of ``code`` would close a PART_OF cycle."""
    rows = await _run(
        q,
        "RETURN EXISTS { MATCH (:StateBody {code: $parent})-[:PART_OF*0..]->"
        "(:StateBody {code: $code}) } AS cycle",
        {"code": code, "parent": parent},
    )
    return bool(rows[0]["cycle"])


async def state_bodies_by_codes(q: Query, codes: Sequence[str]) -> dict[str, StateBody]:
    rows = await _run(
        q,
        """
        UNWIND $codes AS code
        MATCH (b:StateBody {code: code})
        RETURN b {.*, parent: [(b)-[:PART_OF]->(p:StateBody) | p.code][0]} AS b
        """,
        {"codes": list(codes)},
    )
    return {row["b"]["code"]: _state_body(row["b"]) for row in rows}


async def list_state_bodies(
    q: Query,
    *,
    after: list[Any] | None,
    limit: int,
    search: str | None = None,
    parent: str | None = None,
) -> Page[StateBody]:
    rows = await _run(
        q,
        """
        MATCH (b:StateBody)
        WHERE ($search IS NULL OR b.nameFold CONTAINS $search OR b.code CONTAINS $raw)
          AND ($parent IS NULL OR EXISTS { (b)-[:PART_OF]->(:StateBody {code: $parent}) })
        WITH b ORDER BY b.nameFold, b.code
        WITH collect(b) AS matched
        RETURN size(matched) AS total,
               [b IN matched WHERE $after IS NULL OR [b.nameFold, b.code] > $after
                | b {.*, parent: [(b)-[:PART_OF]->(p:StateBody) | p.code][0]}][0..$limit] AS page
        """,
        {
            "search": fold(search) if search else None,
            "raw": search,
            "parent": parent,
            "after": after,
            "limit": limit,
        },
    )
    row = rows[0]
    return Page([_state_body(b) for b in row["page"]], row["total"])


# --------------------------------------------------------------------------- information systems


def _system(row: Mapping[str, Any]) -> InformationSystem:
    return InformationSystem(
        code=row["code"],
        name_az=row.get("nameAz") or "",
        name_en=row.get("nameEn") or "",
        name_ru=row.get("nameRu") or "",
        description=row.get("description") or "",
        operator=row.get("operator"),
    )


async def upsert_information_systems(tx: Tx, systems: Sequence[InformationSystemInput]) -> None:
    await tx.run(
        """
        UNWIND $rows AS r
        MERGE (x:InformationSystem {code: r.code})
        SET x.nameAz = r.nameAz, x.nameEn = r.nameEn, x.nameRu = r.nameRu,
            x.nameFold = r.nameFold, x.description = r.description
        WITH x, r
        OPTIONAL MATCH (x)-[old:OPERATED_BY]->()
        DELETE old
        WITH x, r
        MATCH (b:StateBody {code: r.operator})
        MERGE (x)-[:OPERATED_BY]->(b)
        """,
        {
            "rows": [
                {
                    "code": s.code,
                    "nameAz": s.name_az,
                    "nameEn": s.name_en,
                    "nameRu": s.name_ru,
                    "nameFold": fold(s.name_az),
                    "description": s.description,
                    "operator": s.operator,
                }
                for s in systems
            ]
        },
    )


async def link_information_systems(tx: Tx, links: Sequence[DataLink]) -> int:
    """MERGE data-exchange links; returns how many were new."""
    rows = await tx.run(
        """
        UNWIND $rows AS r
        MATCH (c:InformationSystem {code: r.consumer}), (p:InformationSystem {code: r.provider})
        OPTIONAL MATCH (c)-[existing:CONSUMES_DATA_FROM]->(p)
        MERGE (c)-[l:CONSUMES_DATA_FROM]->(p)
        SET l.since = coalesce(r.since, l.since)
        RETURN count(existing) AS existed, count(*) AS total
        """,
        {
            "rows": [
                {"consumer": link.consumer, "provider": link.provider, "since": link.since}
                for link in links
            ]
        },
    )
    return int(rows[0]["total"] - rows[0]["existed"]) if rows else 0


async def information_systems_by_codes(
    q: Query, codes: Sequence[str]
) -> dict[str, InformationSystem]:
    rows = await _run(
        q,
        """
        UNWIND $codes AS code
        MATCH (x:InformationSystem {code: code})
        RETURN x {.*, operator: [(x)-[:OPERATED_BY]->(o:StateBody) | o.code][0]} AS x
        """,
        {"codes": list(codes)},
    )
    return {row["x"]["code"]: _system(row["x"]) for row in rows}


async def systems_by_operator(
    q: Query, body_codes: Sequence[str]
) -> dict[str, list[InformationSystem]]:
    rows = await _run(
        q,
        """
        UNWIND $codes AS code
        MATCH (x:InformationSystem)-[:OPERATED_BY]->(:StateBody {code: code})
        WITH code, x ORDER BY x.nameFold, x.code
        RETURN code, collect(x {.*, operator: code}) AS systems
        """,
        {"codes": list(body_codes)},
    )
    return {row["code"]: [_system(x) for x in row["systems"]] for row in rows}


async def data_links(q: Query, codes: Sequence[str]) -> dict[str, tuple[list[str], list[str]]]:
    """Per system: (codes it consumes data from, codes that consume its data)."""
    rows = await _run(
        q,
        """
        UNWIND $codes AS code
        MATCH (x:InformationSystem {code: code})
        RETURN code,
               [(x)-[:CONSUMES_DATA_FROM]->(p:InformationSystem) | p.code] AS providers,
               [(c:InformationSystem)-[:CONSUMES_DATA_FROM]->(x) | c.code] AS consumers
        """,
        {"codes": list(codes)},
    )
    return {row["code"]: (sorted(row["providers"]), sorted(row["consumers"])) for row in rows}


async def list_information_systems(
    q: Query,
    *,
    after: list[Any] | None,
    limit: int,
    operator: str | None = None,
    search: str | None = None,
) -> Page[InformationSystem]:
    rows = await _run(
        q,
        """
        MATCH (x:InformationSystem)
        WHERE ($operator IS NULL
               OR EXISTS { (x)-[:OPERATED_BY]->(:StateBody {code: $operator}) })
          AND ($search IS NULL OR x.nameFold CONTAINS $search OR x.code CONTAINS $raw)
        WITH x ORDER BY x.nameFold, x.code
        WITH collect(x) AS matched
        RETURN size(matched) AS total,
               [x IN matched WHERE $after IS NULL OR [x.nameFold, x.code] > $after
                | x {.*, operator: [(x)-[:OPERATED_BY]->(o:StateBody) | o.code][0]}][0..$limit]
               AS page
        """,
        {
            "operator": operator,
            "search": fold(search) if search else None,
            "raw": search,
            "after": after,
            "limit": limit,
        },
    )
    row = rows[0]
    return Page([_system(x) for x in row["page"]], row["total"])


# --------------------------------------------------------------------------- reference data


async def upsert_categories(tx: Tx, categories: Sequence[CategoryInput]) -> None:
    await tx.run(
        """
        UNWIND $rows AS r
        MERGE (c:Category {code: r.code})
        SET c.nameAz = r.nameAz, c.nameEn = r.nameEn, c.nameRu = r.nameRu,
            c.nameFold = r.nameFold, c.kind = r.kind
        """,
        {
            "rows": [
                {
                    "code": c.code,
                    "nameAz": c.name_az,
                    "nameEn": c.name_en,
                    "nameRu": c.name_ru,
                    "nameFold": fold(c.name_az),
                    "kind": c.kind,
                }
                for c in categories
            ]
        },
    )


def _category(row: Mapping[str, Any]) -> CategoryInput:
    return CategoryInput(
        code=row["code"],
        name_az=row.get("nameAz") or "",
        kind=row.get("kind") or "category",
        name_en=row.get("nameEn") or "",
        name_ru=row.get("nameRu") or "",
    )


async def categories_by_codes(q: Query, codes: Sequence[str]) -> dict[str, CategoryInput]:
    rows = await _run(
        q,
        "UNWIND $codes AS code MATCH (c:Category {code: code}) RETURN c {.*} AS c",
        {"codes": list(codes)},
    )
    return {row["c"]["code"]: _category(row["c"]) for row in rows}


async def list_categories(q: Query, kind: str | None = None) -> list[CategoryInput]:
    rows = await _run(
        q,
        """
        MATCH (c:Category) WHERE $kind IS NULL OR c.kind = $kind
        RETURN c {.*} AS c ORDER BY c.nameFold, c.code
        """,
        {"kind": kind},
    )
    return [_category(row["c"]) for row in rows]


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


# ---------------------------------------------------------------------------------- services


# A service's timestamps as [epoch seconds, nanosecond, offset seconds] (nulls when unset), read
# with ``s {.*, ...}``: the driver's own datetime decoding (pytz zones, per value) cost about
# half a millisecond per ten services, a third of a nested level's query; ``_instant`` decodes.
_SERVICE_TIMES: Final = """createdAt: [s.createdAt.epochSeconds, s.createdAt.nanosecond,
                               s.createdAt.offsetSeconds],
                    updatedAt: [s.updatedAt.epochSeconds, s.updatedAt.nanosecond,
                                s.updatedAt.offsetSeconds]"""


def _instant(value: Any) -> datetime | None:
    """A ``_SERVICE_TIMES`` triple (or a driver datetime) as an aware ``datetime``."""
    if not isinstance(value, list):
        native: datetime | None = _native(value)
        return native
    seconds, nanosecond, offset = value
    if seconds is None:
        return None
    zone = timezone(timedelta(seconds=offset or 0))
    # nanoseconds truncated to microseconds, as the driver's ``to_native`` does
    return datetime.fromtimestamp(seconds, zone) + timedelta(microseconds=nanosecond // 1000)


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value if value is not None else 0)).quantize(Decimal("0.01"))


def _service(row: Mapping[str, Any]) -> Service:
    return Service(
        code=row["code"],
        name_az=row.get("nameAz") or "",
        name_en=row.get("nameEn") or "",
        name_ru=row.get("nameRu") or "",
        name_fold=row.get("nameFold") or "",
        description_az=row.get("descriptionAz") or "",
        description_en=row.get("descriptionEn") or "",
        description_ru=row.get("descriptionRu") or "",
        status=row.get("status") or "draft",
        processing_days=row.get("processingDays"),
        fee_amount=_decimal(row.get("feeAmount")),
        fee_exemptions=tuple(row.get("feeExemptions") or ()),
        online_url=row.get("onlineUrl"),
        version=int(row.get("version") or 0),
        created_at=_instant(row.get("createdAt")),
        updated_at=_instant(row.get("updatedAt")),
        provider=row.get("provider"),
    )


def _service_row(w: ServiceWrite) -> dict[str, Any]:
    c = w.content
    return {
        "code": c.code,
        "nameAz": c.name_az,
        "nameEn": c.name_en,
        "nameRu": c.name_ru,
        "nameFold": fold(c.name_az),
        "descriptionAz": c.description_az,
        "descriptionEn": c.description_en,
        "descriptionRu": c.description_ru,
        "processingDays": c.processing_days,
        "feeAmount": float(c.fee_amount),
        "feeExemptions": list(c.fee_exemptions),
        "onlineUrl": c.online_url,
        "provider": c.provider,
        "status": w.status,
        "statusFrom": w.status_from,
        "version": w.version,
        "changes": json.dumps(w.changes, ensure_ascii=False) if w.changes is not None else None,
        "legal": [
            {"code": a.act_code, "title": a.title, "articles": list(a.articles)}
            for a in c.legal_basis
        ],
        "requirements": [
            {
                "code": e.code,
                "nameAz": e.name_az,
                "nameEn": e.name_en,
                "nameRu": e.name_ru,
                "condition": e.condition,
                "position": i,
            }
            for i, e in enumerate(c.requirements)
        ],
        "outputs": [
            {"code": o.code, "nameAz": o.name_az, "nameEn": o.name_en, "nameRu": o.name_ru}
            for o in c.outputs
        ],
        "channels": list(c.channels),
        "centres": list(c.centres),
        "buses": list(c.buses),
        "systems": list(c.systems),
        "categories": list(c.categories),
    }


async def upsert_services(
    tx: Tx, writes: Sequence[ServiceWrite], *, actor: str, at: datetime
) -> None:
    """Write whole services (properties + every relationship) and their version records.

    Relationships are replaced, not merged: the content is the service's whole truth. A write
    with ``changes is None`` changed nothing and records no version. A write with
    ``status_from is None`` is a creation and uses CREATE, so two concurrent creations of one
    code cannot both succeed: the unique constraint fails the later one (``ConstraintError``).
    Referenced bodies, systems, centres, buses and categories must exist
    (``missing_references`` first). Documents, outputs and legal acts are shared by every body's
    services: a code that exists is only linked (its names are never set from a service write,
    see ``reference_repo``); a new code is created owned by the service's provider.
    """
    if not writes:
        return
    await tx.run(
        """
        UNWIND $rows AS r
        CALL (r) {
            WITH r WHERE r.statusFrom IS NULL
            CREATE (s:Service {code: r.code, createdAt: $at})
            RETURN s
          UNION
            WITH r WHERE r.statusFrom IS NOT NULL
            MATCH (s:Service {code: r.code})
            RETURN s
        }
        SET s.nameAz = r.nameAz, s.nameEn = r.nameEn, s.nameRu = r.nameRu,
            s.nameFold = r.nameFold, s.descriptionAz = r.descriptionAz,
            s.descriptionEn = r.descriptionEn, s.descriptionRu = r.descriptionRu,
            s.processingDays = r.processingDays, s.feeAmount = r.feeAmount,
            s.feeExemptions = r.feeExemptions, s.onlineUrl = r.onlineUrl,
            s.status = r.status, s.version = r.version,
            s.updatedAt = CASE WHEN r.changes IS NULL THEN s.updatedAt ELSE $at END
        WITH s, r
        CALL (s) {
            MATCH (s)-[old:PROVIDED_BY|HAS_LEGAL_BASIS|REQUIRES|PRODUCES|AVAILABLE_VIA|OFFERED_AT
                         |OFFERED_ON|DEPENDS_ON|IN_CATEGORY]->()
            DELETE old
        }
        CALL (s, r) {
            MATCH (b:StateBody {code: r.provider})
            CREATE (s)-[:PROVIDED_BY]->(b)
        }
        CALL (s, r) {
            UNWIND r.legal AS l
            MERGE (a:LegalAct {code: l.code})
            ON CREATE SET a.title = l.title, a.owner = r.provider
            CREATE (s)-[:HAS_LEGAL_BASIS {articles: l.articles}]->(a)
        }
        CALL (s, r) {
            UNWIND r.requirements AS q
            MERGE (e:Evidence {code: q.code})
            ON CREATE SET e.nameAz = q.nameAz, e.nameEn = q.nameEn, e.nameRu = q.nameRu,
                          e.owner = r.provider
            CREATE (s)-[:REQUIRES {condition: q.condition, position: q.position}]->(e)
        }
        CALL (s, r) {
            UNWIND r.outputs AS o
            MERGE (x:Output {code: o.code})
            ON CREATE SET x.nameAz = o.nameAz, x.nameEn = o.nameEn, x.nameRu = o.nameRu,
                          x.owner = r.provider
            CREATE (s)-[:PRODUCES]->(x)
        }
        CALL (s, r) {
            UNWIND r.channels AS code
            MATCH (c:Channel {code: code})
            CREATE (s)-[:AVAILABLE_VIA]->(c)
        }
        CALL (s, r) {
            UNWIND r.centres AS code
            MATCH (c:AsanCentre {code: code})
            CREATE (s)-[:OFFERED_AT]->(c)
        }
        CALL (s, r) {
            UNWIND r.buses AS code
            MATCH (m:MobileBus {code: code})
            CREATE (s)-[:OFFERED_ON]->(m)
        }
        CALL (s, r) {
            UNWIND r.systems AS code
            MATCH (x:InformationSystem {code: code})
            CREATE (s)-[:DEPENDS_ON]->(x)
        }
        CALL (s, r) {
            UNWIND r.categories AS code
            MATCH (c:Category {code: code})
            CREATE (s)-[:IN_CATEGORY]->(c)
        }
        CALL (s, r) {
            WITH s, r WHERE r.changes IS NOT NULL
            CREATE (s)-[:HAS_VERSION]->(:ServiceVersion {
                number: r.version, at: $at, actor: $actor, statusFrom: r.statusFrom,
                statusTo: r.status, changes: r.changes
            })
        }
        """,
        {"rows": [_service_row(w) for w in writes], "actor": actor, "at": at},
    )


async def set_service_status(
    tx: Tx,
    code: str,
    *,
    status_from: str,
    status_to: str,
    version: int,
    actor: str,
    at: datetime,
    note: str | None = None,
) -> None:
    """Move a service to ``status_to`` and record the step as its next version."""
    changes: dict[str, dict[str, str | None]] = {"status": {"from": status_from, "to": status_to}}
    if note:
        changes["note"] = {"from": None, "to": note}
    await tx.run(
        """
        MATCH (s:Service {code: $code})
        SET s.status = $to, s.version = $version, s.updatedAt = $at
        CREATE (s)-[:HAS_VERSION]->(:ServiceVersion {
            number: $version, at: $at, actor: $actor, statusFrom: $from, statusTo: $to,
            changes: $changes
        })
        """,
        {
            "code": code,
            "from": status_from,
            "to": status_to,
            "version": version,
            "actor": actor,
            "at": at,
            "changes": json.dumps(changes, ensure_ascii=False),
        },
    )


def _evidence(e: Mapping[str, Any]) -> Evidence:
    return Evidence(
        code=e["code"],
        name_az=e.get("nameAz") or "",
        name_en=e.get("nameEn") or "",
        name_ru=e.get("nameRu") or "",
        condition=e.get("condition"),
    )


def _legal_basis(rows: Sequence[Mapping[str, Any]]) -> tuple[LegalBasis, ...]:
    return tuple(
        LegalBasis(a["code"], a["title"] or "", tuple(a["articles"] or ()))
        for a in sorted(rows, key=lambda a: a["code"])
    )


def _outputs(rows: Sequence[Mapping[str, Any]]) -> tuple[Output, ...]:
    return tuple(
        Output(o["code"], o.get("nameAz") or "", o.get("nameEn") or "", o.get("nameRu") or "")
        for o in sorted(rows, key=lambda o: o["code"])
    )


def _channels(codes: Sequence[str]) -> tuple[str, ...]:
    return tuple(sorted(codes, key=CHANNELS.index))


def _content(row: Mapping[str, Any]) -> ServiceInput:
    s = row["s"]
    return ServiceInput(
        code=s["code"],
        name_az=s.get("nameAz") or "",
        provider=row.get("provider") or "",
        name_en=s.get("nameEn") or "",
        name_ru=s.get("nameRu") or "",
        description_az=s.get("descriptionAz") or "",
        description_en=s.get("descriptionEn") or "",
        description_ru=s.get("descriptionRu") or "",
        processing_days=s.get("processingDays"),
        fee_amount=_decimal(s.get("feeAmount")),
        fee_exemptions=tuple(s.get("feeExemptions") or ()),
        online_url=s.get("onlineUrl"),
        channels=_channels(row["channels"]),
        legal_basis=_legal_basis(row["legal"]),
        requirements=tuple(
            _evidence(e)
            for e in sorted(row["requirements"], key=lambda e: (e["position"], e["code"]))
        ),
        outputs=_outputs(row["outputs"]),
        centres=tuple(sorted(row["centres"])),
        buses=tuple(sorted(row["buses"])),
        systems=tuple(sorted(row["systems"])),
        categories=tuple(sorted(row["categories"])),
    )


async def stored_services(q: Query, codes: Sequence[str]) -> dict[str, StoredService]:
    """Whole content, status and version of each existing service (one query per batch)."""
    rows = await _run(
        q,
        """
        UNWIND $codes AS code
        MATCH (s:Service {code: code})
        RETURN s {.*} AS s,
               [(s)-[:PROVIDED_BY]->(b:StateBody) | b.code][0] AS provider,
               [(s)-[r:HAS_LEGAL_BASIS]->(a:LegalAct)
                | {code: a.code, title: a.title, articles: r.articles}] AS legal,
               [(s)-[r:REQUIRES]->(e:Evidence)
                | {code: e.code, nameAz: e.nameAz, nameEn: e.nameEn, nameRu: e.nameRu,
                   condition: r.condition, position: r.position}] AS requirements,
               [(s)-[:PRODUCES]->(o:Output) | o {.*}] AS outputs,
               [(s)-[:AVAILABLE_VIA]->(c:Channel) | c.code] AS channels,
               [(s)-[:OFFERED_AT]->(c:AsanCentre) | c.code] AS centres,
               [(s)-[:OFFERED_ON]->(m:MobileBus) | m.code] AS buses,
               [(s)-[:DEPENDS_ON]->(x:InformationSystem) | x.code] AS systems,
               [(s)-[:IN_CATEGORY]->(c:Category) | c.code] AS categories
        """,
        {"codes": list(codes)},
    )
    return {
        row["s"]["code"]: StoredService(
            content=_content(row),
            status=row["s"].get("status") or "draft",
            version=int(row["s"].get("version") or 0),
        )
        for row in rows
    }


async def requirements_by_service(q: Query, codes: Sequence[str]) -> dict[str, list[Evidence]]:
    """Per service, the documents it requires in the order told (services without any absent).

    Only ``REQUIRES -> Evidence`` of the batch: no service properties, no other lists, so the
    documents of a whole level of a nested read cost one light query.
    """
    rows = await _run(
        q,
        """
        UNWIND $codes AS code
        MATCH (:Service {code: code})-[r:REQUIRES]->(e:Evidence)
        WITH code, r.position AS position, e.code AS evidence, e, r
        ORDER BY position, evidence
        RETURN code, collect({code: evidence, nameAz: e.nameAz, nameEn: e.nameEn,
                              nameRu: e.nameRu, condition: r.condition}) AS documents
        """,
        {"codes": list(codes)},
    )
    return {row["code"]: [_evidence(e) for e in row["documents"]] for row in rows}


async def relations_by_service(q: Query, codes: Sequence[str]) -> dict[str, ServiceRelations]:
    """Per existing service, its linked lists other than required documents (one query).

    Unlike ``stored_services`` it reads no service properties and no provider: a nested read
    of a level's channels, centres, legal basis, ... pays only for the relationships.
    """
    rows = await _run(
        q,
        """
        UNWIND $codes AS code
        MATCH (s:Service {code: code})
        RETURN code,
               [(s)-[r:HAS_LEGAL_BASIS]->(a:LegalAct)
                | {code: a.code, title: a.title, articles: r.articles}] AS legal,
               [(s)-[:PRODUCES]->(o:Output)
                | {code: o.code, nameAz: o.nameAz, nameEn: o.nameEn, nameRu: o.nameRu}]
                 AS outputs,
               [(s)-[:AVAILABLE_VIA]->(c:Channel) | c.code] AS channels,
               [(s)-[:OFFERED_AT]->(c:AsanCentre) | c.code] AS centres,
               [(s)-[:OFFERED_ON]->(m:MobileBus) | m.code] AS buses,
               [(s)-[:DEPENDS_ON]->(x:InformationSystem) | x.code] AS systems,
               [(s)-[:IN_CATEGORY]->(c:Category) | c.code] AS categories
        """,
        {"codes": list(codes)},
    )
    return {
        row["code"]: ServiceRelations(
            channels=_channels(row["channels"]),
            legal_basis=_legal_basis(row["legal"]),
            outputs=_outputs(row["outputs"]),
            centres=tuple(sorted(row["centres"])),
            buses=tuple(sorted(row["buses"])),
            systems=tuple(sorted(row["systems"])),
            categories=tuple(sorted(row["categories"])),
        )
        for row in rows
    }


async def services_with_providers(
    q: Query, codes: Sequence[str], vis: Visibility
) -> tuple[dict[str, Service], dict[str, StateBody]]:
    """The visible services among ``codes`` and, by code, the bodies providing them."""
    rows = await _run(
        q,
        """
        UNWIND $codes AS code
        MATCH (s:Service {code: code})-[:PROVIDED_BY]->(b:StateBody)
        WHERE $all_statuses OR s.status IN $public OR b.code = $own_body
        RETURN s {.*, provider: b.code, """
        + _SERVICE_TIMES
        + "} AS s, "
        + _BODY
        + " AS b",
        {"codes": list(codes), **_vis(vis)},
    )
    services = {row["s"]["code"]: _service(row["s"]) for row in rows}
    bodies = {row["b"]["code"]: _state_body(row["b"]) for row in rows}
    return services, bodies


async def services_by_codes(q: Query, codes: Sequence[str], vis: Visibility) -> dict[str, Service]:
    services, _ = await services_with_providers(q, codes, vis)
    return services


async def services_by_body(
    q: Query, body_codes: Sequence[str], vis: Visibility
) -> dict[str, list[Service]]:
    """Per body, its services ``vis`` lets the reader see, by name (bodies without any absent).

    Anchored on the body: the services come from expanding ``PROVIDED_BY`` from each body
    (a pattern comprehension cannot start anywhere else), and status is tested on those rows
    only; a status predicate the planner could seek would start from the status index over
    every service of the registry instead. Whether the body is the reader's own is decided
    once per body, not per service.
    """
    rows = await _run(
        q,
        """
        UNWIND $codes AS code
        MATCH (b:StateBody {code: code})
        WITH code, b, $all_statuses OR code = $own_body AS sees_all
        UNWIND [(b)<-[:PROVIDED_BY]-(s:Service) WHERE sees_all OR s.status IN $public | s] AS s
        WITH code, s ORDER BY s.nameFold, s.code
        RETURN code, collect(s {.*, provider: code, """
        + _SERVICE_TIMES
        + """}) AS services
        """,
        {"codes": list(body_codes), **_vis(vis)},
    )
    return {row["code"]: [_service(s) for s in row["services"]] for row in rows}


@dataclass(frozen=True)
class ServiceOrder:
    """A keyset ordering: the Cypher sort key (a list) and how many values its cursor holds."""

    key: LiteralString
    arity: int


SERVICE_ORDERS: Final[dict[str, ServiceOrder]] = {
    "NAME": ServiceOrder("[s.nameFold, s.code]", 2),
    "CODE": ServiceOrder("[s.code]", 1),
    "PROCESSING_DAYS": ServiceOrder("[coalesce(s.processingDays, 1000000), s.nameFold, s.code]", 3),
    "FEE": ServiceOrder("[coalesce(s.feeAmount, 0.0), s.nameFold, s.code]", 3),
}

_SERVICE_FILTER: Final = """
        MATCH (s:Service)-[:PROVIDED_BY]->(b:StateBody)
        WHERE ($body IS NULL OR b.code = $body)
          AND ($all_statuses OR s.status IN $public OR b.code = $own_body)
          AND ($status IS NULL OR s.status = $status)
          AND ($search IS NULL OR s.nameFold CONTAINS $search OR s.code CONTAINS $raw)
          AND ($category IS NULL
               OR EXISTS { (s)-[:IN_CATEGORY]->(:Category {code: $category}) })
          AND ($channel IS NULL OR EXISTS { (s)-[:AVAILABLE_VIA]->(:Channel {code: $channel}) })
          AND ($centre IS NULL OR EXISTS { (s)-[:OFFERED_AT]->(:AsanCentre {code: $centre}) })
          AND ($stop IS NULL
               OR EXISTS { (s)-[:OFFERED_ON]->(:MobileBus)-[:STOPS_AT]->(:BusStop {code: $stop}) })
          AND ($system IS NULL
               OR EXISTS { (s)-[:DEPENDS_ON]->(:InformationSystem {code: $system}) })
"""

# Count and page in one round trip: the count scans the matches without building rows; the
# page keeps only the top ``limit`` rows after the cursor (ORDER BY ... LIMIT is a top-k sort).
_PAGE_END: Final = (
    """
            RETURN collect(s {.*, provider: b.code, """
    + _SERVICE_TIMES
    + """}) AS page,
                   collect(DISTINCT b) AS bodies
        }
        RETURN total, page, [b IN bodies | """
    + _BODY
    + "] AS bodies\n"
)
_PAGE_ASC: Final = (
    """
            WHERE $after IS NULL OR k > $after
            WITH s, b, k ORDER BY k ASC LIMIT $limit
"""
    + _PAGE_END
)
_PAGE_DESC: Final = (
    """
            WHERE $after IS NULL OR k < $after
            WITH s, b, k ORDER BY k DESC LIMIT $limit
"""
    + _PAGE_END
)


def _list_query(order: ServiceOrder, descending: bool) -> LiteralString:
    page = _PAGE_DESC if descending else _PAGE_ASC
    return (
        "CALL () {"
        + _SERVICE_FILTER
        + "        RETURN count(s) AS total\n}\nCALL () {"
        + _SERVICE_FILTER
        + "            WITH s, b, "
        + order.key
        + " AS k"
        + page
    )


async def list_services(
    q: Query,
    flt: ServiceFilter,
    vis: Visibility,
    *,
    after: list[Any] | None,
    limit: int,
    order: str = "NAME",
    descending: bool = False,
) -> Page[Service]:
    page, _ = await list_services_with_providers(
        q, flt, vis, after=after, limit=limit, order=order, descending=descending
    )
    return page


async def list_services_with_providers(
    q: Query,
    flt: ServiceFilter,
    vis: Visibility,
    *,
    after: list[Any] | None,
    limit: int,
    order: str = "NAME",
    descending: bool = False,
) -> tuple[Page[Service], dict[str, StateBody]]:
    """A page of visible services with its total, and the bodies providing the page's rows."""
    rows = await _run(
        q,
        _list_query(SERVICE_ORDERS[order], descending),
        {
            "body": flt.body,
            "status": flt.status,
            "search": fold(flt.search) if flt.search else None,
            "raw": flt.search,
            "category": flt.category,
            "channel": flt.channel,
            "centre": flt.centre,
            "stop": flt.stop,
            "system": flt.system,
            "after": after,
            "limit": limit,
            **_vis(vis),
        },
    )
    row = rows[0]
    bodies = {b["code"]: _state_body(b) for b in row["bodies"]}
    return Page([_service(s) for s in row["page"]], row["total"]), bodies


async def versions_by_service(q: Query, codes: Sequence[str]) -> dict[str, list[ServiceVersion]]:
    rows = await _run(
        q,
        """
        UNWIND $codes AS code
        MATCH (:Service {code: code})-[:HAS_VERSION]->(v:ServiceVersion)
        WITH code, v ORDER BY v.number DESC
        RETURN code, collect(v {.*}) AS versions
        """,
        {"codes": list(codes)},
    )
    return {
        row["code"]: [
            ServiceVersion(
                number=v["number"],
                at=_native(v["at"]),
                actor=v["actor"],
                status_from=v.get("statusFrom"),
                status_to=v.get("statusTo"),
                changes=json.loads(v.get("changes") or "{}"),
            )
            for v in row["versions"]
        ]
        for row in rows
    }


# ---------------------------------------------------------------------- impact and dependencies


async def impact(
    q: Query,
    system: str,
    vis: Visibility,
    *,
    limit: int = 101,
    after: Sequence[Any] | None = None,
) -> Impact | None:
    """Everything that stops if ``system`` stops, in one query.

    A service is impacted when it depends on the system directly or on any system that
    consumes its data through a chain of data-exchange links; ``hops`` is the shortest such
    chain. One breadth-first search from the system finds every such system with its distance
    (enumerating paths instead costs seconds on a large graph). A core system can stop
    thousands of services, so services come a page at a time (keyset on [hops, nameFold,
    code]) with their total; the centres are those offering any impacted service.
    """
    rows = await _run(
        q,
        """
        MATCH (x:InformationSystem {code: $code})
        CALL (x) {
            MATCH p = SHORTEST 1 (x)<-[:CONSUMES_DATA_FROM]-*(sys:InformationSystem)
            WITH sys, length(p) AS distance
            MATCH (s:Service)-[:DEPENDS_ON]->(sys)
            WITH s, min(distance) AS hops
            // the provider is looked up only where visibility needs it, and for the page
            WHERE $all_statuses OR s.status IN $public
               OR EXISTS { (s)-[:PROVIDED_BY]->(:StateBody {code: $own_body}) }
            RETURN collect({s: s, hops: hops, key: [hops, s.nameFold, s.code]}) AS hits
        }
        CALL (hits) {
            UNWIND hits AS h
            WITH h WHERE $after IS NULL OR h.key > $after
            WITH h ORDER BY h.key LIMIT $limit
            WITH h, h.s AS s
            RETURN collect({s: s {.*, provider: [(s)-[:PROVIDED_BY]->(b:StateBody) | b.code][0], """
        + _SERVICE_TIMES
        + """}, hops: h.hops}) AS page
        }
        CALL (hits) {
            UNWIND hits AS h
            WITH h.s AS s
            MATCH (s)-[:OFFERED_AT]->(c:AsanCentre)
            WITH DISTINCT c ORDER BY c.name, c.code
            RETURN collect(c {.*}) AS centres
        }
        RETURN x {.*, operator: [(x)-[:OPERATED_BY]->(o:StateBody) | o.code][0]} AS system,
               size(hits) AS total, page, centres
        """,
        {"code": system, "limit": limit, "after": list(after) if after else None, **_vis(vis)},
    )
    if not rows:
        return None
    row = rows[0]
    return Impact(
        system=_system(row["system"]),
        total_services=row["total"],
        services=tuple(ImpactedService(_service(r["s"]), r["hops"]) for r in row["page"]),
        centres=tuple(_centre(c) for c in row["centres"]),
    )


async def dependency_path(q: Query, service: str, system: str) -> list[PathStep] | None:
    """The shortest chain service -> system -> ... -> system; None when there is none."""
    rows = await _run(
        q,
        """
        MATCH (s:Service {code: $service}), (x:InformationSystem {code: $system})
        MATCH p = shortestPath((s)-[:DEPENDS_ON|CONSUMES_DATA_FROM*..25]->(x))
        RETURN [n IN nodes(p) | {kind: CASE WHEN n:Service THEN 'Service'
                                            ELSE 'InformationSystem' END,
                                 code: n.code, nameAz: n.nameAz}] AS steps
        """,
        {"service": service, "system": system},
    )
    if not rows:
        return None
    return [PathStep(s["kind"], s["code"], s["nameAz"] or "") for s in rows[0]["steps"]]


async def coverage(q: Query, body_codes: Sequence[str] | None = None) -> list[Coverage]:
    """Published services per body, how many are online (e-services), and per channel."""
    rows = await _run(
        q,
        """
        MATCH (b:StateBody)
        WHERE $codes IS NULL OR b.code IN $codes
        OPTIONAL MATCH (s:Service {status: 'published'})-[:PROVIDED_BY]->(b)
        OPTIONAL MATCH (s)-[:AVAILABLE_VIA]->(c:Channel)
        WITH b, s, collect(c.code) AS channels
        WITH b, collect(CASE WHEN s IS NULL THEN null ELSE channels END) AS perService
        RETURN b.code AS code, b.nameAz AS nameAz, size(perService) AS services,
               size([cs IN perService WHERE 'ONLINE' IN cs]) AS online,
               [ch IN $channels | {channel: ch,
                                   services: size([cs IN perService WHERE ch IN cs])}]
               AS channels
        ORDER BY b.nameFold, b.code
        """,
        {"codes": list(body_codes) if body_codes is not None else None, "channels": list(CHANNELS)},
    )
    return [
        Coverage(
            body=row["code"],
            name_az=row["nameAz"] or "",
            services=row["services"],
            online=row["online"],
            channels=tuple(ChannelCount(c["channel"], c["services"]) for c in row["channels"]),
        )
        for row in rows
    ]


# ---------------------------------------------------------------- centres, buses and stops


def _centre(row: Mapping[str, Any]) -> AsanCentre:
    return AsanCentre(
        code=row["code"],
        name=row.get("name") or "",
        region=row.get("region") or "",
        address=row.get("address") or "",
        hours=row.get("hours") or "",
    )


async def upsert_asan_centres(tx: Tx, centres: Sequence[AsanCentre]) -> None:
    await tx.run(
        """
        UNWIND $rows AS r
        MERGE (c:AsanCentre {code: r.code})
        SET c.name = r.name, c.nameFold = r.nameFold, c.region = r.region,
            c.address = r.address, c.hours = r.hours
        """,
        {
            "rows": [
                {
                    "code": c.code,
                    "name": c.name,
                    "nameFold": fold(c.name),
                    "region": c.region,
                    "address": c.address,
                    "hours": c.hours,
                }
                for c in centres
            ]
        },
    )


async def centres_by_codes(q: Query, codes: Sequence[str]) -> dict[str, AsanCentre]:
    rows = await _run(
        q,
        "UNWIND $codes AS code MATCH (c:AsanCentre {code: code}) RETURN c {.*} AS c",
        {"codes": list(codes)},
    )
    return {row["c"]["code"]: _centre(row["c"]) for row in rows}


async def list_asan_centres(
    q: Query, *, after: list[Any] | None, limit: int, region: str | None = None
) -> Page[AsanCentre]:
    rows = await _run(
        q,
        """
        MATCH (c:AsanCentre)
        WHERE $region IS NULL OR c.region = $region
        WITH c ORDER BY c.nameFold, c.code
        WITH collect(c) AS matched
        RETURN size(matched) AS total,
               [c IN matched WHERE $after IS NULL OR [c.nameFold, c.code] > $after
                | c {.*}][0..$limit] AS page
        """,
        {"region": region, "after": after, "limit": limit},
    )
    row = rows[0]
    return Page([_centre(c) for c in row["page"]], row["total"])


def centre_sort_key(centre: AsanCentre) -> list[Any]:
    return [fold(centre.name), centre.code]


async def upsert_bus_stops(tx: Tx, stops: Sequence[BusStop]) -> None:
    await tx.run(
        """
        UNWIND $rows AS r
        MERGE (p:BusStop {code: r.code})
        SET p.name = r.name, p.region = r.region, p.address = r.address
        """,
        {
            "rows": [
                {"code": s.code, "name": s.name, "region": s.region, "address": s.address}
                for s in stops
            ]
        },
    )


async def upsert_mobile_buses(tx: Tx, buses: Sequence[MobileBusInput]) -> None:
    """Create or update buses; each bus's stop schedule is replaced by the one given."""
    await tx.run(
        """
        UNWIND $rows AS r
        MERGE (m:MobileBus {code: r.code})
        SET m.name = r.name, m.nameFold = r.nameFold
        WITH m, r
        CALL (m) { MATCH (m)-[old:STOPS_AT]->() DELETE old }
        CALL (m, r) {
            UNWIND r.stops AS v
            MATCH (p:BusStop {code: v.stop})
            CREATE (m)-[:STOPS_AT {weekday: v.weekday, startsAt: v.startsAt, endsAt: v.endsAt}]->(p)
        }
        """,
        {
            "rows": [
                {
                    "code": b.code,
                    "name": b.name,
                    "nameFold": fold(b.name),
                    "stops": [
                        {
                            "stop": v.stop,
                            "weekday": v.weekday,
                            "startsAt": v.starts_at,
                            "endsAt": v.ends_at,
                        }
                        for v in b.stops
                    ],
                }
                for b in buses
            ]
        },
    )


async def list_mobile_buses(q: Query) -> list[MobileBus]:
    rows = await _run(
        q,
        "MATCH (m:MobileBus) RETURN m.code AS code, m.name AS name ORDER BY m.nameFold, m.code",
        {},
    )
    return [MobileBus(row["code"], row["name"] or "") for row in rows]


async def buses_by_codes(q: Query, codes: Sequence[str]) -> dict[str, MobileBus]:
    rows = await _run(
        q,
        "UNWIND $codes AS code MATCH (m:MobileBus {code: code}) "
        "RETURN m.code AS code, m.name AS name",
        {"codes": list(codes)},
    )
    return {row["code"]: MobileBus(row["code"], row["name"] or "") for row in rows}


async def schedules_by_bus(
    q: Query, codes: Sequence[str]
) -> dict[str, list[tuple[StopVisit, BusStop]]]:
    rows = await _run(
        q,
        """
        UNWIND $codes AS code
        MATCH (:MobileBus {code: code})-[v:STOPS_AT]->(p:BusStop)
        WITH code, v, p ORDER BY v.weekday, v.startsAt, p.code
        RETURN code, collect({visit: v {.*}, stop: p {.*}}) AS visits
        """,
        {"codes": list(codes)},
    )
    return {
        row["code"]: [
            (
                StopVisit(
                    r["stop"]["code"],
                    r["visit"]["weekday"],
                    r["visit"]["startsAt"],
                    r["visit"]["endsAt"],
                ),
                BusStop(
                    r["stop"]["code"],
                    r["stop"].get("name") or "",
                    r["stop"].get("region") or "",
                    r["stop"].get("address") or "",
                ),
            )
            for r in row["visits"]
        ]
        for row in rows
    }


# ------------------------------------------------------------------- registration requests


def _request(row: Mapping[str, Any]) -> RegistrationRequest:
    r = row["r"]
    return RegistrationRequest(
        id=r["id"],
        kind=r["kind"],
        status=r["status"],
        service=row["service"],
        state_body=row["body"],
        submitted_at=_native(r["submittedAt"]),
        review_due=_native(r["reviewDue"]),
        defects=tuple(r.get("defects") or ()),
        fix_due=_native(r.get("fixDue")),
        decided_at=_native(r.get("decidedAt")),
        service_version=int(r.get("serviceVersion") or 0),
        summary=r.get("summary") or "",
        resubmissions=int(r.get("resubmissions") or 0),
    )


_REQUEST_RETURN: Final = """
        RETURN r {.*} AS r, [(r)-[:FOR]->(s:Service) | s.code][0] AS service,
               [(r)-[:SUBMITTED_BY]->(b:StateBody) | b.code][0] AS body
"""


async def create_request(tx: Tx, request: RegistrationRequest) -> None:
    await tx.run(
        """
        MATCH (s:Service {code: $service}), (b:StateBody {code: $body})
        CREATE (r:RegistrationRequest {
            id: $id, kind: $kind, status: $status, submittedAt: $submitted_at,
            reviewDue: $review_due, defects: [], fixDue: null, serviceVersion: $version,
            resubmissions: 0, summary: $summary
        })
        CREATE (r)-[:FOR]->(s), (r)-[:SUBMITTED_BY]->(b)
        """,
        {
            "id": request.id,
            "kind": request.kind,
            "status": request.status,
            "service": request.service,
            "body": request.state_body,
            "submitted_at": request.submitted_at,
            "review_due": request.review_due,
            "version": request.service_version,
            "summary": request.summary,
        },
    )


async def update_request(
    tx: Tx,
    request_id: str,
    *,
    status: str,
    at: datetime,
    defects: Sequence[str] = (),
    fix_due: date | None = None,
    review_due: date | None = None,
    version: int | None = None,
) -> None:
    """Decide (register/return) or resubmit a request: the fields that step sets."""
    await tx.run(
        """
        MATCH (r:RegistrationRequest {id: $id})
        SET r.status = $status,
            r.defects = CASE $status WHEN 'returned' THEN $defects ELSE r.defects END,
            r.fixDue = CASE $status WHEN 'returned' THEN $fix_due ELSE null END,
            r.decidedAt = CASE $status WHEN 'submitted' THEN r.decidedAt ELSE $at END,
            r.submittedAt = CASE $status WHEN 'submitted' THEN $at ELSE r.submittedAt END,
            r.reviewDue = coalesce($review_due, r.reviewDue),
            r.serviceVersion = coalesce($version, r.serviceVersion),
            r.resubmissions = r.resubmissions
                              + CASE $status WHEN 'submitted' THEN 1 ELSE 0 END
        """,
        {
            "id": request_id,
            "status": status,
            "at": at,
            "defects": list(defects),
            "fix_due": fix_due,
            "review_due": review_due,
            "version": version,
        },
    )


async def request_by_id(q: Query, request_id: str) -> RegistrationRequest | None:
    rows = await _run(
        q,
        "MATCH (r:RegistrationRequest {id: $id})" + _REQUEST_RETURN,
        {"id": request_id},
    )
    return _request(rows[0]) if rows else None


async def open_request_for_service(q: Query, service: str) -> RegistrationRequest | None:
    rows = await _run(
        q,
        """
        MATCH (r:RegistrationRequest)-[:FOR]->(:Service {code: $code})
        WHERE r.status IN ['submitted', 'returned']
        """
        + _REQUEST_RETURN,
        {"code": service},
    )
    return _request(rows[0]) if rows else None


async def requests_by_service(
    q: Query, codes: Sequence[str]
) -> dict[str, list[RegistrationRequest]]:
    rows = await _run(
        q,
        """
        UNWIND $codes AS code
        MATCH (r:RegistrationRequest)-[:FOR]->(:Service {code: code})
        WITH code, r ORDER BY r.submittedAt DESC
        RETURN code, collect({r: r {.*}, service: code,
                              body: [(r)-[:SUBMITTED_BY]->(b:StateBody) | b.code][0]}) AS requests
        """,
        {"codes": list(codes)},
    )
    return {row["code"]: [_request(r) for r in row["requests"]] for row in rows}


async def list_requests(
    q: Query,
    *,
    status: str | None = None,
    body: str | None = None,
    overdue_on: date | None = None,
) -> list[RegistrationRequest]:
    """Requests by status/body; with ``overdue_on``, only those past their due date then.

    Overdue means: submitted and the agency's review deadline has passed, or returned and
    the body's fix deadline has passed (the due date itself is still in time).
    """
    rows = await _run(
        q,
        """
        MATCH (r:RegistrationRequest)-[:SUBMITTED_BY]->(b:StateBody)
        WHERE ($status IS NULL OR r.status = $status)
          AND ($body IS NULL OR b.code = $body)
          AND ($today IS NULL
               OR (r.status = 'submitted' AND r.reviewDue < $today)
               OR (r.status = 'returned' AND r.fixDue < $today))
        WITH r ORDER BY coalesce(r.fixDue, r.reviewDue), r.id
        """
        + _REQUEST_RETURN,
        {"status": status, "body": body, "today": overdue_on},
    )
    return [_request(row) for row in rows]
